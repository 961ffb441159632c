package gitops

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/ferryhq/ferry/model"
)

// cellHistoryDepth bounds the first-parent walk of one history question.
const cellHistoryDepth = 20000

// CellHistory returns every change of the given declarations (one cell's
// images) on the first-parent line from head, newest first: the commits
// where the reference an image's file declares changed, with the reference
// before and after. A commit that touched the file without changing the
// reference is not a change of the cell.
//
// It compares path hashes between each commit and its parent, never
// go-git's path-filtered Log (tens of seconds on long histories, go-git#137),
// and remembers subtree lookups by tree hash, so unchanged folders cost a map
// access and a second question about the same history costs little.
func (r *Repo) CellHistory(ctx context.Context, head string, decls []model.Declared, limit int) ([]model.HistoryEntry, error) {
	return r.walkChanges(ctx, head, decls, limit, nil)
}

// Timeline returns every change of the given declarations (any cells) on
// the first-parent line from head made since the given time, newest first:
// what entered each environment and when. It walks as CellHistory does.
func (r *Repo) Timeline(ctx context.Context, head string, decls []model.Declared, since time.Time) ([]model.HistoryEntry, error) {
	return r.walkChanges(ctx, head, decls, 0, func(c *object.Commit) bool { return c.Committer.When.Before(since) })
}

// walkChanges walks the first-parent line from head until stop says so
// (nil: to the root), collecting the changes of decls' references.
func (r *Repo) walkChanges(ctx context.Context, head string, decls []model.Declared, limit int, stop func(*object.Commit) bool) ([]model.HistoryEntry, error) {
	defer r.lock()()
	c, err := r.git.CommitObject(plumbing.NewHash(head))
	if err != nil {
		return nil, fmt.Errorf("repo %s: commit %s: %w", r.Origin, head, err)
	}
	files := historyFiles(decls)
	trie := newPathTrie(files)
	var out []model.HistoryEntry
	for depth := 0; depth < cellHistoryDepth && (limit <= 0 || len(out) < limit); depth++ {
		if depth%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if stop != nil && stop(c) {
			break
		}
		parent, perr := c.Parent(0)
		parentTree := plumbing.ZeroHash
		if perr == nil {
			parentTree = parent.TreeHash
		}
		for _, i := range r.changedFiles(c.TreeHash, parentTree, trie, nil) {
			f := files[i]
			out = append(out, r.changesIn(c, f, r.pathHash(parentTree, f), r.pathHash(c.TreeHash, f), decls)...)
		}
		if perr != nil {
			break
		}
		c = parent
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// pathTrie holds the files a walk watches, folder by folder, so one
// comparison of two folders' hashes settles every file below them.
type pathTrie struct {
	children map[string]*pathTrie
	file     int // index in the watched files, -1 for a folder
}

func newPathTrie(files []string) *pathTrie {
	root := &pathTrie{children: map[string]*pathTrie{}, file: -1}
	for i, f := range files {
		n := root
		for _, name := range strings.Split(f, "/") {
			next := n.children[name]
			if next == nil {
				next = &pathTrie{children: map[string]*pathTrie{}, file: -1}
				n.children[name] = next
			}
			n = next
		}
		n.file = i
	}
	return root
}

// changedFiles appends the indexes of the watched files whose content
// differs between two trees, in the order they were given.
func (r *Repo) changedFiles(a, b plumbing.Hash, t *pathTrie, out []int) []int {
	if a == b {
		return out
	}
	for name, child := range t.children {
		ha, hb := r.childHash(a, name), r.childHash(b, name)
		if ha == hb {
			continue
		}
		if child.file >= 0 {
			out = append(out, child.file)
		}
		if len(child.children) > 0 {
			out = r.changedFiles(ha, hb, child, out)
		}
	}
	slices.Sort(out)
	return out
}

// childHash is one entry of a tree (zero for the zero tree), cached.
func (r *Repo) childHash(tree plumbing.Hash, name string) plumbing.Hash {
	if tree == plumbing.ZeroHash {
		return tree
	}
	return r.entry(r.historyCache(), tree, name)
}

// historyFiles are the files whose changes change the cell: where each
// image is declared, and the file it inherits from.
func historyFiles(decls []model.Declared) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range decls {
		for _, f := range []string{d.Location.File, d.Inherited} {
			if f != "" && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// changesIn compares the references the file declares before and after one
// commit, for each image declared there.
func (r *Repo) changesIn(c *object.Commit, file string, before, now plumbing.Hash, decls []model.Declared) []model.HistoryEntry {
	var out []model.HistoryEntry
	for _, d := range decls {
		if d.Location.File != file && d.Inherited != file {
			continue
		}
		from, to := r.refIn(before, file, d), r.refIn(now, file, d)
		if from == to || to.IsZero() && from.IsZero() {
			continue
		}
		out = append(out, model.HistoryEntry{
			Commit: c.Hash.String(), When: c.Committer.When, Author: c.Author.Name,
			Subject: firstLine(c.Message), App: d.App, Env: d.Env, Image: d.Name, File: file, From: from, To: to,
			Committer: committerIfOther(c), Merged: len(c.ParentHashes) > 1, Trailers: r.trailersOf(c),
		})
	}
	return out
}

// trailersOf reads a commit's Ferry-* trailers; a merge that has none
// carries those of the branch it merged (ferry's commit on a pull-request
// branch, merged with the forge's button).
func (r *Repo) trailersOf(c *object.Commit) []model.Trailer {
	t := model.ParseTrailers(c.Message)
	if len(t) == 0 && len(c.ParentHashes) > 1 {
		if merged, err := r.git.CommitObject(c.ParentHashes[1]); err == nil {
			t = model.ParseTrailers(merged.Message)
		}
	}
	return t
}

// committerIfOther names the committer when not the author.
func committerIfOther(c *object.Commit) string {
	if c.Committer.Name == c.Author.Name && c.Committer.Email == c.Author.Email {
		return ""
	}
	return c.Committer.Name
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// refIn reads the reference a version of the file declares for d.
func (r *Repo) refIn(blob plumbing.Hash, file string, d model.Declared) model.ImageRef {
	if blob == plumbing.ZeroHash {
		return model.ImageRef{}
	}
	found := r.refsOfBlob(blob, file)
	return pickRef(found, d)
}

// historyCache remembers, for the Repo's lifetime, subtree lookups and the
// references each file version declares: both are keyed by content hashes,
// so they never go stale.
type historyCache struct {
	mu      sync.Mutex
	entries map[treeEntryKey]plumbing.Hash
	refs    map[plumbing.Hash][]foundRef
	raw     map[plumbing.Hash][]byte // the latest trees read, see rawTree
}

type treeEntryKey struct {
	tree plumbing.Hash
	name string
}

var historyCaches sync.Map // *Repo → *historyCache

func (r *Repo) historyCache() *historyCache {
	if c, ok := historyCaches.Load(r); ok {
		return c.(*historyCache) // without building a new one to throw away
	}
	c, _ := historyCaches.LoadOrStore(r, &historyCache{
		entries: map[treeEntryKey]plumbing.Hash{}, refs: map[plumbing.Hash][]foundRef{}, raw: map[plumbing.Hash][]byte{},
	})
	return c.(*historyCache)
}

// pathHash returns the hash of the object at path in a tree (zero when it
// does not exist), one cached lookup per path component.
func (r *Repo) pathHash(tree plumbing.Hash, path string) plumbing.Hash {
	hc := r.historyCache()
	h := tree
	for name := range strings.SplitSeq(path, "/") {
		if h = r.entry(hc, h, name); h == plumbing.ZeroHash {
			return h
		}
	}
	return h
}

// entry is one entry of a tree (zero when absent), cached.
func (r *Repo) entry(hc *historyCache, tree plumbing.Hash, name string) plumbing.Hash {
	key := treeEntryKey{tree, name}
	hc.mu.Lock()
	next, ok := hc.entries[key]
	hc.mu.Unlock()
	if !ok {
		next = r.lookupEntry(tree, name)
		hc.mu.Lock()
		hc.entries[key] = next
		hc.mu.Unlock()
	}
	return next
}

func (r *Repo) lookupEntry(tree plumbing.Hash, name string) plumbing.Hash {
	return scanTree(r.rawTree(tree), name)
}

// rawTree reads a tree object's bytes, keeping the latest few: a walk asks
// one new tree about many names (every app folder of an environment).
func (r *Repo) rawTree(tree plumbing.Hash) []byte {
	hc := r.historyCache()
	hc.mu.Lock()
	raw, ok := hc.raw[tree]
	hc.mu.Unlock()
	if ok {
		return raw
	}
	obj, err := r.git.Storer.EncodedObject(plumbing.TreeObject, tree)
	if err != nil {
		return nil
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil
	}
	defer rd.Close()
	if raw, err = io.ReadAll(rd); err != nil {
		return nil
	}
	hc.mu.Lock()
	if len(hc.raw) >= rawTreesKept {
		clear(hc.raw) // the walk moves on; older trees are rarely asked again
	}
	hc.raw[tree] = raw
	hc.mu.Unlock()
	return raw
}

// rawTreesKept bounds rawTree's memory.
const rawTreesKept = 256

// scanTree finds one entry in a raw tree object ("<mode> <name>\0<hash>"
// repeated) without decoding the others: decoding whole trees was most of
// the cost of a long history walk. Submodules (mode 160000) count as absent.
func scanTree(raw []byte, name string) plumbing.Hash {
	for len(raw) > 0 {
		sp := bytes.IndexByte(raw, ' ')
		nul := bytes.IndexByte(raw, 0)
		if sp < 0 || nul < sp || nul+1+hashSize > len(raw) {
			return plumbing.ZeroHash
		}
		if string(raw[sp+1:nul]) == name {
			if string(raw[:sp]) == "160000" {
				return plumbing.ZeroHash
			}
			var h plumbing.Hash
			copy(h[:], raw[nul+1:nul+1+hashSize])
			return h
		}
		raw = raw[nul+1+hashSize:]
	}
	return plumbing.ZeroHash
}

const hashSize = 20 // SHA-1; go-git v5 reads SHA-1 repositories

// refsOfBlob parses one file version once and remembers its references.
func (r *Repo) refsOfBlob(blob plumbing.Hash, file string) []foundRef {
	hc := r.historyCache()
	hc.mu.Lock()
	found, ok := hc.refs[blob]
	hc.mu.Unlock()
	if ok {
		return found
	}
	if b, err := r.git.BlobObject(blob); err == nil && b.Size <= maxFileSize {
		if rd, err := b.Reader(); err == nil {
			data, _ := io.ReadAll(rd)
			rd.Close()
			found = findRefs(file, data)
		}
	}
	hc.mu.Lock()
	hc.refs[blob] = found
	hc.mu.Unlock()
	return found
}

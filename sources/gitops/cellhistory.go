package gitops

import (
	"bytes"
	"context"
	"fmt"
	"io"
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
	var out []model.HistoryEntry
	for depth := 0; depth < cellHistoryDepth && (limit <= 0 || len(out) < limit); depth++ {
		if depth%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if stop != nil && stop(c) {
			break
		}
		parent, perr := c.Parent(0)
		for _, f := range files {
			now := r.pathHash(c.TreeHash, f)
			before := plumbing.ZeroHash
			if perr == nil {
				before = r.pathHash(parent.TreeHash, f)
			}
			if now == before {
				continue
			}
			out = append(out, r.changesIn(c, f, before, now, decls)...)
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
}

type treeEntryKey struct {
	tree plumbing.Hash
	name string
}

var historyCaches sync.Map // *Repo → *historyCache

func (r *Repo) historyCache() *historyCache {
	c, _ := historyCaches.LoadOrStore(r, &historyCache{
		entries: map[treeEntryKey]plumbing.Hash{}, refs: map[plumbing.Hash][]foundRef{},
	})
	return c.(*historyCache)
}

// pathHash returns the hash of the object at path in a tree (zero when it
// does not exist), one cached lookup per path component.
func (r *Repo) pathHash(tree plumbing.Hash, path string) plumbing.Hash {
	hc := r.historyCache()
	h := tree
	for _, name := range strings.Split(path, "/") {
		key := treeEntryKey{h, name}
		hc.mu.Lock()
		next, ok := hc.entries[key]
		hc.mu.Unlock()
		if !ok {
			next = r.lookupEntry(h, name)
			hc.mu.Lock()
			hc.entries[key] = next
			hc.mu.Unlock()
		}
		if next == plumbing.ZeroHash {
			return next
		}
		h = next
	}
	return h
}

func (r *Repo) lookupEntry(tree plumbing.Hash, name string) plumbing.Hash {
	obj, err := r.git.Storer.EncodedObject(plumbing.TreeObject, tree)
	if err != nil {
		return plumbing.ZeroHash
	}
	rd, err := obj.Reader()
	if err != nil {
		return plumbing.ZeroHash
	}
	defer rd.Close()
	raw, err := io.ReadAll(rd)
	if err != nil {
		return plumbing.ZeroHash
	}
	return scanTree(raw, name)
}

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

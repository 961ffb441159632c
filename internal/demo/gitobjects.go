package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// The history is written as Git objects straight into memory, then into
// both repositories as one packfile: a worktree commit per promotion would
// hash every file each time, and cloning would need the git binary.

const branch = plumbing.ReferenceName("refs/heads/main")

// writeBlob stores content and returns its hash.
func writeBlob(s storer.EncodedObjectStorer, content []byte) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// dirNode is a folder while a tree is assembled.
type dirNode struct {
	files map[string]plumbing.Hash
	dirs  map[string]*dirNode
}

func newDirNode() *dirNode {
	return &dirNode{files: map[string]plumbing.Hash{}, dirs: map[string]*dirNode{}}
}

// writeTree stores the tree of a set of files (repo-relative slash paths).
func writeTree(s storer.EncodedObjectStorer, files map[string][]byte) (plumbing.Hash, error) {
	root := newDirNode()
	for p, content := range files {
		h, err := writeBlob(s, content)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		parts := strings.Split(p, "/")
		d := root
		for _, seg := range parts[:len(parts)-1] {
			if d.dirs[seg] == nil {
				d.dirs[seg] = newDirNode()
			}
			d = d.dirs[seg]
		}
		d.files[parts[len(parts)-1]] = h
	}
	return root.write(s)
}

func (d *dirNode) write(s storer.EncodedObjectStorer) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	for name, h := range d.files {
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	for name, sub := range d.dirs {
		h, err := sub.write(s)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	// Git orders entries by name, a folder's name as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	obj := s.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// writeCommit stores a commit.
func writeCommit(s storer.EncodedObjectStorer, c *object.Commit) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// materialize creates a repository at dir holding every object of mem in
// one packfile, with main at head.
func materialize(dir string, bare bool, mem *memory.Storage, head plumbing.Hash) (*git.Repository, error) {
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: branch}, Bare: bare,
	})
	if err != nil {
		return nil, fmt.Errorf("demo repo %s: %w", dir, err)
	}
	pw, ok := r.Storer.(storer.PackfileWriter)
	if !ok {
		return nil, fmt.Errorf("demo repo %s: storage cannot take a packfile", dir)
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return nil, err
	}
	var hashes []plumbing.Hash
	iter, err := mem.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		return nil, err
	}
	_ = iter.ForEach(func(o plumbing.EncodedObject) error {
		hashes = append(hashes, o.Hash())
		return nil
	})
	if _, err := packfile.NewEncoder(w, mem, false).Encode(hashes, 0); err != nil {
		w.Close()
		return nil, fmt.Errorf("demo repo %s: write objects: %w", dir, err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return r, r.Storer.SetReference(plumbing.NewHashReference(branch, head))
}

// makeClone turns a repository at root into a clone of remote: origin, the
// branch tracking it, and a work tree holding files (the head's).
func makeClone(r *git.Repository, root, remote string, head plumbing.Hash, files map[string][]byte) error {
	cfg, err := r.Config()
	if err != nil {
		return err
	}
	cfg.Remotes["origin"] = &config.RemoteConfig{Name: "origin", URLs: []string{remote},
		Fetch: []config.RefSpec{"+refs/heads/*:refs/remotes/origin/*"}}
	cfg.Branches["main"] = &config.Branch{Name: "main", Remote: "origin", Merge: branch}
	if err := r.SetConfig(cfg); err != nil {
		return err
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", head)); err != nil {
		return err
	}
	return checkout(r, root, files)
}

// checkout writes the files into the work tree with an index that matches
// them, as `git clone` leaves it. go-git's hard reset would do the same but
// compares every file first and took half of the demo's start.
func checkout(r *git.Repository, root string, files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	idx := &index.Index{Version: 2}
	for _, p := range paths {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return err
		}
		fi, err := os.Stat(full)
		if err != nil {
			return err
		}
		idx.Entries = append(idx.Entries, &index.Entry{
			Name: p, Hash: plumbing.ComputeHash(plumbing.BlobObject, files[p]), Mode: filemode.Regular,
			Size: uint32(fi.Size()), ModifiedAt: fi.ModTime(), CreatedAt: fi.ModTime(),
		})
	}
	return r.Storer.SetIndex(idx)
}

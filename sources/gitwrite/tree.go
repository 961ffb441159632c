package gitwrite

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// writeTree stores the tree that is base with files (path → content)
// replaced or added, and returns its hash. Only the trees on the edited
// paths are written again; every other object is shared with base.
func writeTree(s storer.EncodedObjectStorer, base *object.Tree, files map[string][]byte) (plumbing.Hash, error) {
	here := map[string][]byte{}             // files directly in this tree
	below := map[string]map[string][]byte{} // subdirectory → its files
	for p, data := range files {
		dir, rest, nested := strings.Cut(p, "/")
		if !nested {
			here[p] = data
			continue
		}
		if below[dir] == nil {
			below[dir] = map[string][]byte{}
		}
		below[dir][rest] = data
	}
	var entries []object.TreeEntry
	if base != nil {
		entries = append(entries, base.Entries...)
	}
	for name, data := range here {
		h, err := writeBlob(s, data)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = upsert(entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	for dir, sub := range below {
		var subBase *object.Tree
		if i := find(entries, dir); i >= 0 {
			if entries[i].Mode != filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("%s is a file, not a directory", dir)
			}
			t, err := object.GetTree(s, entries[i].Hash)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			subBase = t
		}
		h, err := writeTree(s, subBase, sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = upsert(entries, object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h})
	}
	// Git orders a tree's entries by name, a directory's name read as if
	// it ended in "/".
	sort.Slice(entries, func(i, j int) bool { return sortName(entries[i]) < sortName(entries[j]) })
	obj := s.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

func sortName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

func find(entries []object.TreeEntry, name string) int {
	for i, e := range entries {
		if e.Name == name {
			return i
		}
	}
	return -1
}

// upsert replaces the entry of the same name, keeping an executable
// file's mode, or adds it.
func upsert(entries []object.TreeEntry, e object.TreeEntry) []object.TreeEntry {
	if i := find(entries, e.Name); i >= 0 {
		if e.Mode != filemode.Dir && entries[i].Mode == filemode.Executable {
			e.Mode = filemode.Executable
		}
		entries[i] = e
		return entries
	}
	return append(entries, e)
}

func writeBlob(s storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	obj := s.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

// writeCommit stores a commit of files on top of parent.
func writeCommit(s storer.EncodedObjectStorer, parent plumbing.Hash, files map[string][]byte, message string, sig object.Signature) (plumbing.Hash, error) {
	pc, err := object.GetCommit(s, parent)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: %w", parent, err)
	}
	base, err := pc.Tree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	tree, err := writeTree(s, base, files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	c := &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: tree, ParentHashes: []plumbing.Hash{parent}}
	obj := s.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(obj)
}

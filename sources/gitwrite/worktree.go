package gitwrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/ferryhq/ferry/internal/fsutil"
)

// changedPaths lists the files that differ between two commits.
func changedPaths(r *git.Repository, from, to plumbing.Hash) ([]string, error) {
	a, err := treeOf(r, from)
	if err != nil {
		return nil, err
	}
	b, err := treeOf(r, to)
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTree(a, b)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range changes {
		name := c.To.Name
		if name == "" {
			name = c.From.Name
		}
		out = append(out, name)
	}
	return out, nil
}

func treeOf(r *git.Repository, h plumbing.Hash) (*object.Tree, error) {
	c, err := r.CommitObject(h)
	if err != nil {
		return nil, err
	}
	return c.Tree()
}

// blobAt returns a file's content in a commit; ok is false when the
// commit has no such file.
func blobAt(r *git.Repository, commit plumbing.Hash, path string) (data []byte, ok bool, err error) {
	t, err := treeOf(r, commit)
	if err != nil {
		return nil, false, err
	}
	f, err := t.File(path)
	if errors.Is(err, object.ErrFileNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	rd, err := f.Reader()
	if err != nil {
		return nil, false, err
	}
	defer rd.Close()
	data, err = io.ReadAll(rd)
	return data, true, err
}

// checkUntouched refuses when a file the commit will change has edits in
// the work tree that are not committed: ferry would overwrite them.
func checkUntouched(r *git.Repository, root string, at plumbing.Hash, paths []string) error {
	for _, p := range paths {
		want, exists, err := blobAt(r, at, p)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		switch {
		case errors.Is(err, os.ErrNotExist) && !exists:
			continue
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return err
		case err != nil || !exists || !bytes.Equal(got, want):
			return fmt.Errorf("%s has changes in the work tree that are not committed: commit or stash them first", p)
		}
	}
	return nil
}

// syncWorktree brings the work tree and the index from commit `from` to
// commit `to` (checkUntouched said it may), file by file, each written whole (a temporary file renamed
// over it), so an interrupted write never leaves half a file.
func syncWorktree(r *git.Repository, root string, from, to plumbing.Hash) error {
	paths, err := changedPaths(r, from, to)
	if err != nil {
		return err
	}
	idx, err := r.Storer.Index()
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := syncFile(r, root, idx, to, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return r.Storer.SetIndex(idx)
}

func syncFile(r *git.Repository, root string, idx *index.Index, to plumbing.Hash, p string) error {
	full := filepath.Join(root, filepath.FromSlash(p))
	data, exists, err := blobAt(r, to, p)
	if err != nil {
		return err
	}
	if !exists {
		if _, err := idx.Remove(p); err != nil && !errors.Is(err, index.ErrEntryNotFound) {
			return err
		}
		return removeIfThere(full)
	}
	if err := fsutil.WriteAtomic(full, data); err != nil {
		return err
	}
	info, err := os.Stat(full)
	if err != nil {
		return err
	}
	e, err := idx.Entry(p)
	if err != nil {
		e = idx.Add(p)
	}
	e.Hash = plumbing.ComputeHash(plumbing.BlobObject, data)
	e.Size = uint32(info.Size())
	e.ModifiedAt = info.ModTime()
	if e.Mode != filemode.Executable {
		e.Mode = filemode.Regular
	}
	return nil
}

func removeIfThere(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

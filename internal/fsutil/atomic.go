// Package fsutil holds file helpers shared by ferry's caches, its plan
// store and the files a commit brings into the work tree.
package fsutil

import (
	"os"
	"path/filepath"
)

// WriteAtomic replaces path with data so that a concurrent reader, or one
// after a crash, sees the old file or the new one, never half of one: the
// data is synced before the rename, and the directory after it. A file
// that exists keeps its permissions; directories are created.
func WriteAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		mode = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable. Some file systems cannot sync a
// directory; the rename stands all the same.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

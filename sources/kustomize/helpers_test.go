package kustomize

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferryhq/ferry/sources/repotree"
)

// loadTreeDir reads a fixture directory into a Tree, as the repo reader
// would from a commit.
func loadTreeDir(t testing.TB, dir string) *repotree.Tree {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatalf("reading fixture %s: %v", dir, err)
	}
	return repotree.NewTree("fixture", files)
}

package testrepo

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Files reads every file below dir, keyed by its slash-separated path
// relative to dir: a fixture as the repo reader sees a commit.
func Files(t testing.TB, dir string) map[string][]byte {
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
	return files
}

package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Push clones the demo remote, edits (or creates) one file, commits and
// pushes, as a user of the demo would; it returns the commit. Tests and the
// console's walkthrough drive the world with it.
func (w *World) Push(file, message string, edit func(string) string) (string, error) {
	dir, err := os.MkdirTemp("", "ferry-demo-push-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	repo, err := git.PlainClone(dir, false, &git.CloneOptions{URL: w.RemoteDir})
	if err != nil {
		return "", fmt.Errorf("demo push: clone: %w", err)
	}
	path := filepath.Join(dir, filepath.FromSlash(file))
	content, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(edit(string(content))), 0o644); err != nil {
		return "", err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return "", err
	}
	if _, err := wt.Add(file); err != nil {
		return "", err
	}
	who := &object.Signature{Name: "Demo User", Email: "user@demo.invalid", When: time.Now()}
	hash, err := wt.Commit(message, &git.CommitOptions{Author: who})
	if err != nil {
		return "", err
	}
	if err := repo.Push(&git.PushOptions{}); err != nil {
		return "", fmt.Errorf("demo push: %w", err)
	}
	return hash.String(), nil
}

// SetBuild returns an edit that moves a kustomize overlay from one build
// of an app to another: its digest and its newTag.
func (w *World) SetBuild(app, fromVersion, toVersion string) (func(string) string, error) {
	from, ok := w.build(app, fromVersion)
	if !ok {
		return nil, fmt.Errorf("demo: no build %s %s", app, fromVersion)
	}
	to, ok := w.build(app, toVersion)
	if !ok {
		return nil, fmt.Errorf("demo: no build %s %s", app, toVersion)
	}
	return setBuild(from, to), nil
}

func (w *World) build(app, version string) (build, bool) {
	for _, b := range w.builds[app] {
		if b.Version == version {
			return b, true
		}
	}
	return build{}, false
}

// setBuild rewrites an overlay's tag and digest from one build to another.
func setBuild(from, to build) func(string) string {
	return func(s string) string {
		s = strings.Replace(s, from.Digest, to.Digest, 1)
		return strings.Replace(s, "newTag: "+from.Version, "newTag: "+to.Version, 1)
	}
}

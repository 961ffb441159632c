// Package testrepo makes real git repositories on disk for tests: a work
// tree from a fixture directory, commits on top of it, and a bare remote.
package testrepo

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is a git work tree made for a test.
type Repo struct {
	t   testing.TB
	Dir string
	Git *git.Repository
}

// signature is fixed so commit hashes are stable across runs.
var when = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// FromDir copies fixture into a new temp directory, initialises a repository
// there and commits every file.
func FromDir(t testing.TB, fixture string) *Repo {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(fixture)); err != nil {
		t.Fatalf("copy fixture %s: %v", fixture, err)
	}
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatalf("git init %s: %v", dir, err)
	}
	repo := &Repo{t: t, Dir: dir, Git: r}
	repo.Commit("initial import of " + filepath.Base(fixture))
	return repo
}

// Write writes a file relative to the work tree (creating directories).
func (r *Repo) Write(rel, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages every change in the work tree and commits it; it returns the
// commit hash.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	wt, err := r.Git.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatalf("git add: %v", err)
	}
	sig := &object.Signature{Name: "ferry test", Email: "test@ferry.invalid", When: when}
	when = when.Add(time.Minute)
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatalf("git commit: %v", err)
	}
	return h.String()
}

// BareRemote creates a bare repository, adds it as "origin", pushes the
// current branch to it and makes it the branch's upstream (as git push -u
// does). It returns the bare repository's path.
func (r *Repo) BareRemote() string {
	r.t.Helper()
	bare := r.t.TempDir()
	if _, err := git.PlainInit(bare, true); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.Git.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{bare}}); err != nil {
		r.t.Fatal(err)
	}
	r.Push()
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	cfg, err := r.Git.Config()
	if err != nil {
		r.t.Fatal(err)
	}
	cfg.Branches[head.Name().Short()] = &config.Branch{Name: head.Name().Short(), Remote: "origin", Merge: head.Name()}
	if err := r.Git.SetConfig(cfg); err != nil {
		r.t.Fatal(err)
	}
	return bare
}

// Push pushes every branch to origin.
func (r *Repo) Push() {
	r.t.Helper()
	err := r.Git.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{"refs/heads/*:refs/heads/*"}})
	if err != nil && err != git.NoErrAlreadyUpToDate {
		r.t.Fatalf("push to origin: %v", err)
	}
}

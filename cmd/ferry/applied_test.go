package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/gitops"
)

// commitOnBranch commits one file as the whole content of branch (made
// from the current branch the first time) and returns to where it was.
func commitOnBranch(t *testing.T, r *testrepo.Repo, branch, file, content string) string {
	t.Helper()
	wt, _ := r.Git.Worktree()
	head, _ := r.Git.Head()
	ref := plumbing.NewBranchReferenceName(branch)
	_, missing := r.Git.Reference(ref, false)
	if err := wt.Checkout(&git.CheckoutOptions{Branch: ref, Create: missing != nil}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(r.Dir)
	for _, e := range entries {
		if e.Name() != ".git" {
			os.RemoveAll(filepath.Join(r.Dir, e.Name()))
		}
	}
	r.Write(file, content)
	c := r.Commit("render " + branch)
	if err := wt.Checkout(&git.CheckoutOptions{Branch: head.Name()}); err != nil {
		t.Fatal(err)
	}
	return c
}

// The Applied check follows an environment's own branch: a controller
// that synced an older commit of env/dev has not applied the newer one.
func TestAppliedFollowsTheEnvironmentBranch(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("README.md", "sources\n")
	main := r.Commit("main")
	manifest := func(tag string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:" + tag + "\n"
	}
	older := commitOnBranch(t, r, "env/dev", "web.yaml", manifest("1.0.0"))
	newer := commitOnBranch(t, r, "env/dev", "web.yaml", manifest("1.1.0"))
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	res := gitops.Read(tree)
	if len(res.Declared) != 1 || res.Declared[0].Location.Commit != newer {
		t.Fatalf("declared %+v", res.Declared)
	}
	applied := appliedBy(repo, tree, res.Declared)
	for rev, want := range map[string]bool{newer: true, older: false, main: false} {
		if got := applied("web", "dev", rev); got != want {
			t.Errorf("applied at %s = %v, want %v", rev[:7], got, want)
		}
	}
}

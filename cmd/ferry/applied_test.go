package main

import (
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/gitops"
)

// The Applied check follows an environment's own branch: a controller
// that synced an older commit of env/dev has not applied the newer one.
func TestAppliedFollowsTheEnvironmentBranch(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("README.md", "sources\n")
	main := r.Commit("main")
	manifest := func(tag string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:" + tag + "\n"
	}
	older := r.CommitOnBranch("env/dev", map[string]string{"web.yaml": manifest("1.0.0")})
	newer := r.CommitOnBranch("env/dev", map[string]string{"web.yaml": manifest("1.1.0")})
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

package testrepo

import (
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// CommitOnBranch commits files as the whole content of branch (made from
// the current branch the first time, as an environment branch that holds
// only rendered manifests), returns to the branch it was on, and returns
// the commit.
func (r *Repo) CommitOnBranch(branch string, files map[string]string) string {
	r.t.Helper()
	wt, err := r.Git.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	ref := plumbing.NewBranchReferenceName(branch)
	_, missing := r.Git.Reference(ref, false)
	if err := wt.Checkout(&git.CheckoutOptions{Branch: ref, Create: missing != nil}); err != nil {
		r.t.Fatalf("checkout %s: %v", branch, err)
	}
	entries, _ := os.ReadDir(r.Dir)
	for _, e := range entries {
		if e.Name() != ".git" {
			os.RemoveAll(filepath.Join(r.Dir, e.Name()))
		}
	}
	for p, text := range files {
		r.Write(p, text)
	}
	commit := r.Commit("render " + branch)
	if err := wt.Checkout(&git.CheckoutOptions{Branch: head.Name()}); err != nil {
		r.t.Fatalf("checkout %s: %v", head.Name().Short(), err)
	}
	return commit
}

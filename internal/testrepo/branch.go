package testrepo

import (
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
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

// Merge records branch merged into the current branch as a forge's merge
// button does: a commit with both heads as parents and the branch's tree.
// It returns the merge commit.
func (r *Repo) Merge(branch string) string {
	r.t.Helper()
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	tip, err := r.Git.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		r.t.Fatal(err)
	}
	tipCommit, err := r.Git.CommitObject(tip.Hash())
	if err != nil {
		r.t.Fatal(err)
	}
	sig := object.Signature{Name: "forge", Email: "forge@ferry.invalid", When: when}
	when = when.Add(time.Minute)
	merge := &object.Commit{Author: sig, Committer: sig, Message: "Merge pull request from " + branch,
		TreeHash: tipCommit.TreeHash, ParentHashes: []plumbing.Hash{head.Hash(), tip.Hash()}}
	obj := r.Git.Storer.NewEncodedObject()
	if err := merge.Encode(obj); err != nil {
		r.t.Fatal(err)
	}
	h, err := r.Git.Storer.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.Git.Storer.SetReference(plumbing.NewHashReference(head.Name(), h)); err != nil {
		r.t.Fatal(err)
	}
	return h.String()
}

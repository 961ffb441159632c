package gitwrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/gitops"
)

const devFile = "envs/dev/app.yaml"

// world is a work tree with an upstream, the bare remote, and the
// repo as ferry opens it.
type world struct {
	local *testrepo.Repo
	bare  string
	repo  *gitops.Repo
}

func newWorld(t *testing.T) world {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "Rel Captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	fixture := t.TempDir()
	for name, content := range map[string]string{
		devFile:              "# dev pins\nimage:\n  tag: \"1.0\" # keep quoted\n",
		"envs/prod/app.yaml": "image:\n  tag: \"0.9\"\n",
		"deploy.sh":          "#!/bin/sh\n",
	} {
		p := filepath.Join(fixture, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	os.Chmod(filepath.Join(fixture, "deploy.sh"), 0o755)
	local := testrepo.FromDir(t, fixture)
	bare := local.BareRemote()
	repo, err := gitops.Open(local.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return world{local: local, bare: bare, repo: repo}
}

// replace edits one file on whatever base it is given, as a release does:
// it fails when the text to replace is no longer there.
func replace(repo *gitops.Repo, file, old, new string) Edit {
	return func(_ context.Context, base string) (map[string][]byte, error) {
		tree, err := repo.Tree(base)
		if err != nil {
			return nil, err
		}
		data, _ := tree.Read(file)
		if !bytes.Contains(data, []byte(old)) {
			return nil, fmt.Errorf("%s: %q changed meanwhile", file, old)
		}
		return map[string][]byte{file: bytes.Replace(data, []byte(old), []byte(new), 1)}, nil
	}
}

func branchHead(t *testing.T, dir string) string {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName("master"), true)
	if err != nil {
		t.Fatal(err)
	}
	return ref.Hash().String()
}

// pushFromElsewhere is a colleague's push to the remote from a clone of
// their own.
func pushFromElsewhere(t *testing.T, bare, file, content string) string {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainClone(dir, false, &git.CloneOptions{URL: bare})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644)
	wt, _ := r.Worktree()
	wt.Add(file)
	sig := &object.Signature{Name: "colleague", Email: "c@example.com"}
	h, err := wt.Commit("colleague's change", &git.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&git.PushOptions{}); err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func readFile(t *testing.T, dir, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func assertClean(t *testing.T, l *testrepo.Repo) {
	t.Helper()
	r, err := git.PlainOpen(l.Dir) // afresh: it sees the packs a fetch brought
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	st, err := wt.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsClean() {
		t.Errorf("work tree not clean after the commit:\n%s", st)
	}
}

func TestCommitPushesAndBringsTheWorkTreeAlong(t *testing.T) {
	w := newWorld(t)
	before := branchHead(t, w.local.Dir)
	res, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote app to 2.0\n\nFerry-Kind: promote\n",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Pushed || res.Remote != "origin" || res.Branch != "master" || res.Retries != 0 {
		t.Errorf("result = %+v, want pushed to origin's master at once", res)
	}
	if got := branchHead(t, w.bare); got != res.Commit {
		t.Errorf("remote master = %s, want the commit %s", got, res.Commit)
	}
	if got := branchHead(t, w.local.Dir); got != res.Commit {
		t.Errorf("local master = %s, want the commit", got)
	}
	c, _ := w.repo.Git().CommitObject(plumbing.NewHash(res.Commit))
	if c.ParentHashes[0].String() != before || c.Author.Name != "Rel Captain" || !strings.Contains(c.Message, "Ferry-Kind: promote") {
		t.Errorf("commit parent %s author %q message %q", c.ParentHashes[0], c.Author.Name, c.Message)
	}
	if got := readFile(t, w.local.Dir, devFile); got != "# dev pins\nimage:\n  tag: \"2.0\" # keep quoted\n" {
		t.Errorf("work tree file = %q", got)
	}
	assertClean(t, w.local)
	tracking, _ := w.local.Git.Reference(plumbing.NewRemoteReferenceName("origin", "master"), true)
	if tracking == nil || tracking.Hash().String() != res.Commit {
		t.Errorf("origin/master = %v, want the pushed commit", tracking)
	}
	tree, _ := c.Tree()
	if f, err := tree.File("deploy.sh"); err != nil || f.Mode.String() != "0100755" {
		t.Errorf("deploy.sh lost its mode: %v %v", f, err)
	}
}

func TestARefusedPushIsMadeAgainOnTheRemotesNewHead(t *testing.T) {
	w := newWorld(t)
	theirs := pushFromElsewhere(t, w.bare, "envs/prod/app.yaml", "image:\n  tag: \"1.0\"\n")
	res, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Retries != 1 || !res.Pushed {
		t.Errorf("result = %+v, want pushed after one retry", res)
	}
	c, _ := w.repo.Git().CommitObject(plumbing.NewHash(res.Commit))
	if c.ParentHashes[0].String() != theirs {
		t.Errorf("commit's parent = %s, want the colleague's %s", c.ParentHashes[0], theirs)
	}
	if branchHead(t, w.bare) != res.Commit || branchHead(t, w.local.Dir) != res.Commit {
		t.Error("remote and local master should both be at the commit")
	}
	if got := readFile(t, w.local.Dir, "envs/prod/app.yaml"); !strings.Contains(got, `"1.0"`) {
		t.Errorf("the colleague's change did not reach the work tree: %q", got)
	}
	assertClean(t, w.local)
}

func TestAConflictingPushKeepsTheBranchAndTheWorkTree(t *testing.T) {
	w := newWorld(t)
	before := branchHead(t, w.local.Dir)
	theirs := pushFromElsewhere(t, w.bare, devFile, "image:\n  tag: \"1.5\"\n")
	_, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err == nil || !strings.Contains(err.Error(), "changed meanwhile") {
		t.Fatalf("err = %v, want the edit's conflict", err)
	}
	if got := branchHead(t, w.local.Dir); got != before {
		t.Errorf("local master = %s, want it back at %s", got, before)
	}
	if got := branchHead(t, w.bare); got != theirs {
		t.Errorf("remote master = %s, want the colleague's %s", got, theirs)
	}
	if got := readFile(t, w.local.Dir, devFile); !strings.Contains(got, `"1.0"`) {
		t.Errorf("work tree file = %q, want it as it was", got)
	}
	assertClean(t, w.local)
}

func TestAPushThatKeepsFailingSaysSoAndKeepsTheBranch(t *testing.T) {
	w := newWorld(t)
	before := branchHead(t, w.local.Dir)
	os.RemoveAll(w.bare) // the remote is gone
	_, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err == nil || !strings.Contains(err.Error(), "push to "+w.bare+" refused") || !strings.Contains(err.Error(), "the branch is as it was") {
		t.Fatalf("err = %v, want the push's failure naming the remote", err)
	}
	if got := branchHead(t, w.local.Dir); got != before {
		t.Errorf("local master = %s, want it back at %s", got, before)
	}
	if got := readFile(t, w.local.Dir, devFile); !strings.Contains(got, `"1.0"`) {
		t.Errorf("work tree file = %q, want it as it was", got)
	}
}

func TestUncommittedEditsInTheFileAreNeverOverwritten(t *testing.T) {
	w := newWorld(t)
	before := branchHead(t, w.local.Dir)
	mine := "image:\n  tag: \"1.0\" # my edit, not committed\n"
	w.local.Write(devFile, mine)
	_, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err == nil || !strings.Contains(err.Error(), devFile+" has changes in the work tree") {
		t.Fatalf("err = %v, want a refusal naming the file", err)
	}
	if readFile(t, w.local.Dir, devFile) != mine || branchHead(t, w.local.Dir) != before || branchHead(t, w.bare) != before {
		t.Error("a refused commit must leave the file, the branch and the remote as they were")
	}
}

func TestACachedCloneCommitsAndPushesToItsOrigin(t *testing.T) {
	w := newWorld(t)
	clone, err := gitops.Clone(context.Background(), "file://"+w.bare, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pushFromElsewhere(t, w.bare, "envs/prod/app.yaml", "image:\n  tag: \"1.0\"\n") // the cache is behind
	res, err := Commit(context.Background(), clone, Options{Push: true}, "promote dev",
		replace(clone, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Pushed || res.Retries != 1 || branchHead(t, w.bare) != res.Commit {
		t.Errorf("result = %+v, remote at %s: want pushed after one retry", res, branchHead(t, w.bare))
	}
}

func TestANewBranchCarriesTheCommitForAPullRequest(t *testing.T) {
	w := newWorld(t)
	before := branchHead(t, w.local.Dir)
	res, err := Commit(context.Background(), w.repo, Options{Push: true, NewBranch: "ferry/promote-dev"}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Branch != "ferry/promote-dev" || !res.Pushed {
		t.Errorf("result = %+v", res)
	}
	remote, _ := git.PlainOpen(w.bare)
	ref, err := remote.Reference(plumbing.NewBranchReferenceName("ferry/promote-dev"), true)
	if err != nil || ref.Hash().String() != res.Commit {
		t.Errorf("remote branch = %v %v, want the commit", ref, err)
	}
	if branchHead(t, w.local.Dir) != before || branchHead(t, w.bare) != before {
		t.Error("master must not move for a pull-request branch")
	}
	if got := readFile(t, w.local.Dir, devFile); !strings.Contains(got, `"1.0"`) {
		t.Errorf("the work tree shows master and must not change: %q", got)
	}
	if _, err := Commit(context.Background(), w.repo, Options{NewBranch: "ferry/promote-dev"}, "again",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`)); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("err = %v, want the branch's name taken", err)
	}
}

func TestABareRepositoryTakesTheCommitDirectly(t *testing.T) {
	w := newWorld(t)
	bare, err := gitops.Open(w.bare)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Commit(context.Background(), bare, Options{Push: true}, "promote dev",
		replace(bare, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed || branchHead(t, w.bare) != res.Commit || len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "nothing to push") {
		t.Errorf("result = %+v, want the commit in the bare repo and a note", res)
	}
}

func TestABranchWithoutUpstreamKeepsTheCommitLocalAndSaysSo(t *testing.T) {
	w := newWorld(t)
	cfg, _ := w.local.Git.Config()
	cfg.Branches = map[string]*config.Branch{}
	w.local.Git.SetConfig(cfg)
	res, err := Commit(context.Background(), w.repo, Options{Push: true}, "promote dev",
		replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed || branchHead(t, w.local.Dir) != res.Commit || len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "no upstream") {
		t.Errorf("result = %+v, want a local commit and a note", res)
	}
}

func TestNothingToCommitAndAGuessedAuthorAreSaid(t *testing.T) {
	w := newWorld(t)
	none := func(context.Context, string) (map[string][]byte, error) { return nil, nil }
	if _, err := Commit(context.Background(), w.repo, Options{}, "x", none); !errors.Is(err, ErrNothingToCommit) {
		t.Errorf("err = %v, want ErrNothingToCommit", err)
	}
	t.Setenv("GIT_AUTHOR_NAME", "")
	t.Setenv("GIT_AUTHOR_EMAIL", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	res, err := Commit(context.Background(), w.repo, Options{}, "promote dev", replace(w.repo, devFile, `"1.0"`, `"2.0"`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "no git user is configured") {
		t.Errorf("notes = %q, want the guessed author said", res.Notes)
	}
}

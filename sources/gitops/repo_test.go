package gitops_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/gitops"
)

func newRepo(t *testing.T) *testrepo.Repo {
	t.Helper()
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v1\n")
	r.Commit("dev gets v1")
	return r
}

func TestOpenFromSubdirectory(t *testing.T) {
	r := newRepo(t)
	repo, err := gitops.Open(filepath.Join(r.Dir, "environments", "dev"))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := tree.Read("environments/dev/search/values.yaml"); !ok || !strings.Contains(string(b), "v1") {
		t.Fatalf("values.yaml not read from HEAD: %q %v", b, ok)
	}
}

func TestOpenRejectsNonRepository(t *testing.T) {
	_, err := gitops.Open(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Fatalf("err = %v", err)
	}
	_, err = gitops.Open(filepath.Join(t.TempDir(), "nope"))
	if err == nil || !strings.Contains(err.Error(), "no such directory") {
		t.Fatalf("err = %v", err)
	}
}

func TestTreeAtRefAndWorktree(t *testing.T) {
	r := newRepo(t)
	first := r.Commit("nothing")
	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v2\n")
	second := r.Commit("dev gets v2")
	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v3-uncommitted\n")

	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{"": "v2", first: "v1", second[:7]: "v2", "HEAD~1": "v1"} {
		tree, err := repo.Tree(ref)
		if err != nil {
			t.Fatalf("Tree(%q): %v", ref, err)
		}
		b, _ := tree.Read("environments/dev/search/values.yaml")
		if !strings.Contains(string(b), want) {
			t.Errorf("Tree(%q) values = %q, want %s", ref, b, want)
		}
	}
	wt, err := repo.WorktreeTree()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := wt.Read("environments/dev/search/values.yaml"); !strings.Contains(string(b), "v3-uncommitted") {
		t.Errorf("work tree values = %q", b)
	}
	if wt.Has(".git/HEAD") {
		t.Error("work tree read .git")
	}
	if _, err := repo.Tree("no-such-branch"); err == nil || !strings.Contains(err.Error(), "no-such-branch") {
		t.Errorf("bad ref err = %v", err)
	}
}

func TestCloneIntoCacheThenFetch(t *testing.T) {
	r := newRepo(t)
	url := "file://" + r.BareRemote()
	cache := t.TempDir()
	ctx := context.Background()

	repo, err := gitops.Clone(ctx, url, cache)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := tree.Read("environments/dev/search/values.yaml"); !strings.Contains(string(b), "v1") {
		t.Fatalf("cloned values = %q", b)
	}

	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v9\n")
	head := r.Commit("dev gets v9")
	r.Push()
	again, err := gitops.Clone(ctx, url, cache)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := again.Head(); got != head {
		t.Fatalf("after fetch HEAD = %s, want %s", got, head)
	}
	entries, _ := os.ReadDir(filepath.Join(cache, "repos"))
	if len(entries) != 1 {
		t.Errorf("cache holds %d clones, want the one reused", len(entries))
	}
}

func TestCloneFailureIsOneClearError(t *testing.T) {
	_, err := gitops.Clone(context.Background(), "file://"+filepath.Join(t.TempDir(), "missing"), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "cannot clone") {
		t.Fatalf("err = %v", err)
	}
}

func TestLastChangesAndContains(t *testing.T) {
	r := newRepo(t)
	base := r.Commit("unrelated")
	r.Write("environments/prod/search/values.yaml", "image:\n  tag: v1\n")
	prod := r.Commit("prod gets v1")
	r.Write("README.md", "hi\n")
	head := r.Commit("docs")

	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := repo.LastChanges(head, []string{"environments/prod/search/values.yaml", "README.md"})
	if err != nil {
		t.Fatal(err)
	}
	if got["environments/prod/search/values.yaml"] != prod || got["README.md"] != head {
		t.Fatalf("last changes = %v; want prod=%s readme=%s", got, prod, head)
	}
	if ok, known := repo.Contains(head, prod); !ok || !known {
		t.Errorf("head should contain the prod commit")
	}
	if ok, known := repo.Contains(base, prod); ok || !known {
		t.Errorf("an older revision should not contain the prod commit")
	}
	if _, known := repo.Contains(strings.Repeat("ab", 20), prod); known {
		t.Errorf("an unknown revision should be reported unknown")
	}
}

// An empty repository is named as such, not as a --ref the user never
// passed (issue 12's wrong words).
func TestAnEmptyRepositorySaysItHasNoCommits(t *testing.T) {
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	repo, err := gitops.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Tree("")
	if err == nil || !strings.Contains(err.Error(), "has no commits yet") || strings.Contains(err.Error(), "--ref") {
		t.Errorf("err = %v", err)
	}
}

// A values file over the size ferry reads is named as a problem, not
// dropped with its environment in silence (issue 12's silent drops).
func TestAnOversizedFileIsReportedNotDropped(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v1\n")
	r.Write("environments/prod/search/values.yaml", "image:\n  tag: v1\n"+strings.Repeat("# padding\n", 500000))
	r.Commit("prod's values grew")
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, read := range map[string]func() (*gitops.Tree, error){"commit": func() (*gitops.Tree, error) { return repo.Tree("") }, "worktree": repo.WorktreeTree} {
		tree, err := read()
		if err != nil {
			t.Fatal(err)
		}
		res := gitops.Read(tree)
		found := false
		for _, p := range res.Problems {
			if p.File == "environments/prod/search/values.yaml" && strings.Contains(p.Message, "not read (ferry reads files up to 4 MiB)") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problems %+v lack the oversized file", name, res.Problems)
		}
	}
}

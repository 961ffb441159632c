package gitops

import (
	"context"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
)

func values(tag string) string { return "image:\n  repository: ghcr.io/shop/web\n  tag: " + tag + "\n" }

// The timeline of a repo: what entered each environment since a time,
// newest first, with who, the Ferry-* trailers of a promotion, and whether
// it came in through a pull request.
func TestTimelineListsWhatEnteredEachEnvironment(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("environments/dev/web/values.yaml", values("1.0.0"))
	r.Write("environments/prod/web/values.yaml", values("1.0.0"))
	r.Commit("web 1.0.0 everywhere")
	r.Write("environments/dev/web/values.yaml", values("1.1.0"))
	devCommit := r.Commit("web 1.1.0 in dev")
	r.CommitOnBranch("ferry/prod/web-1.1.0", map[string]string{
		"environments/dev/web/values.yaml":  values("1.1.0"),
		"environments/prod/web/values.yaml": values("1.1.0"),
	})
	// CommitOnBranch wrote the branch's whole content; the message carries trailers.
	tip, _ := r.Git.Reference(plumbing.NewBranchReferenceName("ferry/prod/web-1.1.0"), true)
	tipCommit, _ := r.Git.CommitObject(tip.Hash())
	amended := *tipCommit
	amended.Message = "promote web 1.1.0 to prod\n\nFerry-Kind: promote\nFerry-Env: prod\nFerry-Reason: INC-3\n"
	obj := r.Git.Storer.NewEncodedObject()
	_ = amended.Encode(obj)
	h, _ := r.Git.Storer.SetEncodedObject(obj)
	_ = r.Git.Storer.SetReference(plumbing.NewHashReference(tip.Name(), h))
	merge := r.Merge("ferry/prod/web-1.1.0")

	repo, err := Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := repo.Tree(merge)
	decls := Read(tree).Declared
	dev, _ := repo.git.CommitObject(plumbing.NewHash(devCommit))
	entries, err := repo.Timeline(context.Background(), merge, decls, dev.Committer.When)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("entries = %+v, want prod's merge and dev's commit", entries)
	}
	prod, devEntry := entries[0], entries[1]
	if prod.Env != "prod" || prod.App != "web" || prod.To.Tag != "1.1.0" || prod.From.Tag != "1.0.0" || !prod.Merged || prod.Commit != merge {
		t.Errorf("prod entry %+v", prod)
	}
	if want := []model.Trailer{{Key: "Ferry-Kind", Value: "promote"}, {Key: "Ferry-Env", Value: "prod"}, {Key: "Ferry-Reason", Value: "INC-3"}}; len(prod.Trailers) != 3 || prod.Trailers[2] != want[2] {
		t.Errorf("prod trailers %+v, want %+v (from the merged branch)", prod.Trailers, want)
	}
	if devEntry.Env != "dev" || devEntry.Commit != devCommit || devEntry.Merged || devEntry.Author != "ferry test" {
		t.Errorf("dev entry %+v", devEntry)
	}
	later, _ := repo.Timeline(context.Background(), merge, decls, time.Now())
	if len(later) != 0 {
		t.Errorf("nothing happened since now, got %+v", later)
	}
}

// BenchmarkTimeline5000 is `ferry log --since 720h` on a 5,000-commit repo
// (100 cells, one changing per commit): every commit is in the window.
func BenchmarkTimeline5000(b *testing.B) {
	dir := historyRepo(b, 5000)
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	head, _ := r.Head()
	tree, err := r.Tree(head)
	if err != nil {
		b.Fatal(err)
	}
	decls := Read(tree).Declared
	headCommit, _ := r.git.CommitObject(plumbing.NewHash(head))
	since := headCommit.Committer.When.Add(-720 * time.Hour)
	for range b.N {
		fresh, _ := Open(dir)
		entries, err := fresh.Timeline(context.Background(), head, decls, since)
		if err != nil || len(entries) < 4999 {
			b.Fatalf("%d entries, %v", len(entries), err)
		}
	}
	b.ReportMetric(float64(len(decls)), "cells")
}

// BenchmarkWhere10000 is what `ferry where` asks of a 10,000-commit app
// repo for one environment: does the running revision contain the commit
// (the oldest, the worst case), and how far behind the newest is it.
func BenchmarkWhere10000(b *testing.B) {
	dir := historyRepo(b, 10000)
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	head, _ := r.Head()
	first, _ := r.Resolve("main~9999")
	mid, _ := r.Resolve("main~5000")
	for range b.N {
		fresh, _ := Open(dir)
		if ok, known := fresh.Contains(head, first); !ok || !known {
			b.Fatal("the head does not contain the first commit")
		}
		if n, known := fresh.Behind(mid, head); !known || n != 5000 {
			b.Fatalf("behind %d (%v), want 5000", n, known)
		}
	}
}

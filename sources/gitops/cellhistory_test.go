package gitops

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
)

const historyValues = `# search in prod
image:
  repository: ghcr.io/shop/search-api
  tag: %s
`

func TestCellHistoryListsEachChangeOfTheReference(t *testing.T) {
	repo := testrepo.FromDir(t, t.TempDir())
	file := "environments/prod/search/values.yaml"
	repo.Write(file, fmt.Sprintf(historyValues, "1.0.0"))
	first := repo.Commit("search 1.0.0 to prod")
	repo.Write("environments/dev/search/values.yaml", fmt.Sprintf(historyValues, "1.2.0"))
	repo.Commit("dev only")
	repo.Write(file, fmt.Sprintf(historyValues, "1.1.0"))
	second := repo.Commit("promote search 1.1.0 to prod\n\nbody")
	repo.Write(file, "# a comment changed\n"+fmt.Sprintf(historyValues, "1.1.0"))
	repo.Commit("comment only")
	repo.Write(file, fmt.Sprintf(historyValues, "1.0.0"))
	third := repo.Commit("roll back search in prod")

	r, err := Open(repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := r.Head()
	d := model.Declared{App: "search", Env: "prod", Name: "api",
		Ref:      model.ImageRef{Repository: "ghcr.io/shop/search-api", Tag: "1.0.0"},
		Location: model.Location{File: file, Path: "image", Kind: model.KindHelmValues}}
	got, err := r.CellHistory(context.Background(), head, []model.Declared{d}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		commit, subject, from, to string
	}{
		{third, "roll back search in prod", "1.1.0", "1.0.0"},
		{second, "promote search 1.1.0 to prod", "1.0.0", "1.1.0"},
		{first, "search 1.0.0 to prod", "", "1.0.0"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Commit != w.commit || g.Subject != w.subject || g.From.Tag != w.from || g.To.Tag != w.to || g.Author != "ferry test" {
			t.Errorf("entry %d = %s %q %s → %s by %s, want %s %q %s → %s", i,
				g.Commit[:7], g.Subject, g.From.Tag, g.To.Tag, g.Author, w.commit[:7], w.subject, w.from, w.to)
		}
	}
	if got[2].From != (model.ImageRef{}) {
		t.Errorf("the first entry introduced the image, from = %+v", got[2].From)
	}
	if limited, _ := r.CellHistory(context.Background(), head, []model.Declared{d}, 1); len(limited) != 1 || limited[0].Commit != third {
		t.Errorf("limit 1 = %+v", limited)
	}
}

func TestFindRefsReadsEveryDeclaredShape(t *testing.T) {
	data := []byte(`images:
- name: search-api
  newName: ghcr.io/shop/search-api
  newTag: 1.2.0
---
spec:
  template:
    spec:
      containers:
      - name: api
        image: ghcr.io/shop/cart:2.0@sha256:` + fmt.Sprintf("%064d", 1) + `
frontend:
  image:
    registry: ghcr.io
    repository: shop/web
    tag: "3.1"
`)
	got := findRefs("f.yaml", data)
	want := map[string]string{
		"images[0]":                              "ghcr.io/shop/search-api:1.2.0",
		"spec.template.spec.containers[0].image": "ghcr.io/shop/cart:2.0@sha256:" + fmt.Sprintf("%064d", 1),
		"frontend.image":                         "ghcr.io/shop/web:3.1",
	}
	if len(got) != len(want) {
		t.Fatalf("found %+v", got)
	}
	for _, f := range got {
		if want[f.Path] != f.Ref.String() {
			t.Errorf("%s = %s, want %s", f.Path, f.Ref, want[f.Path])
		}
	}
}

// BenchmarkCellHistory5000 asks one cell's history on a 5,000-commit repo
// where the cell changes every 10th commit, against go-git's path-filtered
// Log as the baseline would (measured once, it takes far longer). The
// target is under 200 ms for the cold question.
func BenchmarkCellHistory5000(b *testing.B) {
	dir := historyRepo(b, 5000)
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	head, _ := r.Head()
	d := model.Declared{App: "app7", Env: "prod", Name: "api",
		Ref:      model.ImageRef{Repository: "ghcr.io/shop/app7"},
		Location: model.Location{File: "environments/prod/app7/values.yaml", Path: "image"}}
	b.Run("cold", func(b *testing.B) {
		for range b.N {
			fresh, _ := Open(dir)
			entries, err := fresh.CellHistory(context.Background(), head, []model.Declared{d}, 0)
			if err != nil || len(entries) == 0 {
				b.Fatalf("%d entries, %v", len(entries), err)
			}
		}
	})
	b.Run("another-cell", func(b *testing.B) {
		// What the console pays once it has walked the history for one
		// cell (it does so in the background after each Git read): the
		// shared folders are cached, the cell's own are not.
		other := d
		other.Location.File = "environments/prod/app8/values.yaml"
		for range b.N {
			b.StopTimer()
			fresh, _ := Open(dir)
			if _, err := fresh.CellHistory(context.Background(), head, []model.Declared{d}, 0); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := fresh.CellHistory(context.Background(), head, []model.Declared{other}, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		for range b.N {
			if _, err := r.CellHistory(context.Background(), head, []model.Declared{d}, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// historyRepo writes a repo of n commits with git fast-import: 50 apps in
// two environments, one app's prod values changing per commit in turn.
func historyRepo(b *testing.B, n int) string {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed")
	}
	dir := b.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v %s", err, out)
	}
	var s bytes.Buffer
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < n; i++ {
		fmt.Fprintf(&s, "commit refs/heads/main\ncommitter ferry <f@ferry.invalid> %d +0000\n", when+int64(i)*60)
		msg := fmt.Sprintf("change %d", i)
		fmt.Fprintf(&s, "data %d\n%s\n", len(msg), msg)
		if i == 0 {
			for a := 0; a < 50; a++ {
				for _, env := range []string{"dev", "prod"} {
					writeInline(&s, fmt.Sprintf("environments/%s/app%d/values.yaml", env, a), a, 0)
				}
			}
		} else {
			a := i % 50
			writeInline(&s, fmt.Sprintf("environments/prod/app%d/values.yaml", a), a, i)
		}
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &s
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("fast-import: %v %s", err, out)
	}
	exec.Command("git", "-C", dir, "symbolic-ref", "HEAD", "refs/heads/main").Run()
	return dir
}

func writeInline(s *bytes.Buffer, path string, app, version int) {
	body := fmt.Sprintf("image:\n  repository: ghcr.io/shop/app%d\n  tag: 1.%d.0\n", app, version)
	fmt.Fprintf(s, "M 644 inline %s\ndata %d\n%s\n", path, len(body), body)
}

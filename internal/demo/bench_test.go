package demo

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"
)

// BenchmarkStart measures a whole start (registry, builds, repos, clusters,
// controller) and its close; the goal is well under a second.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		w, err := Start(context.Background(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartPhases breaks a start down, to show where the time goes.
func BenchmarkStartPhases(b *testing.B) {
	ctx := context.Background()
	reg, err := startRegistry()
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	sources, err := writeSources()
	if err != nil {
		b.Fatal(err)
	}
	builds, err := reg.pushBuilds(ctx, 0, sources)
	if err != nil {
		b.Fatal(err)
	}
	r := renderer{registry: reg.Host, builds: builds}
	b.Run("push-builds", func(b *testing.B) {
		for b.Loop() {
			if _, err := reg.pushBuilds(ctx, 0, sources); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("history", func(b *testing.B) {
		for b.Loop() {
			if _, err := writeHistory(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	h, err := writeHistory(r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("repos", func(b *testing.B) {
		for b.Loop() {
			dir := b.TempDir()
			if _, err := materialize(filepath.Join(dir, "remote"), true, h.mem, h.head); err != nil {
				b.Fatal(err)
			}
			clone, err := materialize(filepath.Join(dir, "clone"), false, h.mem, h.head)
			if err != nil {
				b.Fatal(err)
			}
			if err := makeClone(clone, filepath.Join(dir, "clone"), filepath.Join(dir, "remote"), h.head, h.files); err != nil {
				b.Fatal(err)
			}
		}
	})
	s := seeder{builds: builds, repoOf: reg.Repository, head: h.head.String(), beforePending: h.beforePending.String()}
	b.Run("clusters", func(b *testing.B) {
		for b.Loop() {
			for _, env := range envPlans {
				if err := s.seed(newFakeCluster(env, 0)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkCheckout compares the clone's checkout (files and index written
// directly) with go-git's hard reset, which it replaced.
func BenchmarkCheckout(b *testing.B) {
	reg, err := startRegistry()
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	sources, err := writeSources()
	if err != nil {
		b.Fatal(err)
	}
	builds, err := reg.pushBuilds(context.Background(), 0, sources)
	if err != nil {
		b.Fatal(err)
	}
	h, err := writeHistory(renderer{registry: reg.Host, builds: builds})
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, checkout func(r *git.Repository, dir string) error) {
		for b.Loop() {
			dir := filepath.Join(b.TempDir(), "clone")
			r, err := materialize(dir, false, h.mem, h.head)
			if err != nil {
				b.Fatal(err)
			}
			if err := checkout(r, dir); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("go-git-hard-reset", func(b *testing.B) {
		run(b, func(r *git.Repository, _ string) error {
			wt, err := r.Worktree()
			if err != nil {
				return err
			}
			return wt.Reset(&git.ResetOptions{Commit: h.head, Mode: git.HardReset})
		})
	})
	b.Run("own-checkout", func(b *testing.B) {
		run(b, func(r *git.Repository, dir string) error { return checkout(r, dir, h.files) })
	})
}

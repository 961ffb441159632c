package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ferryhq/ferry/model"
)

// synthetic builds the updates of a world of apps × envs: every app
// declared everywhere by tag and digest, the registry describing each
// artifact, the clusters running it. Every 7th cell runs an older artifact
// (drift), every 11th is rolling. Deterministic, for tests and benchmarks.
func synthetic(apps, envs int) (model.GitUpdate, model.RegistryUpdate, model.ClusterUpdate) {
	names := make([]string, envs)
	for e := range envs {
		names[e] = fmt.Sprintf("env%02d", e)
	}
	environments := make(model.Environments, envs)
	for e, n := range names {
		environments[e] = model.Environment{Name: n}
		if e > 0 {
			environments[e].Upstream = []string{names[e-1]}
		}
	}
	git := model.GitUpdate{Environments: environments, Commit: "0123456789abcdef0123456789abcdef01234567"}
	reg := model.RegistryUpdate{Facts: map[string]model.RegistryFacts{}}
	cl := model.ClusterUpdate{Live: map[model.ImageKey]model.LiveFacts{}, Envs: map[string]model.ClusterProgress{}}
	for _, n := range names {
		cl.Envs[n] = model.ClusterProgress{Synced: true, Context: "ctx-" + n}
	}
	for a := range apps {
		app := fmt.Sprintf("app-%04d", a)
		git.Apps = append(git.Apps, app)
		for e, env := range names {
			version := fmt.Sprintf("1.%d.%d", a%20, e%3)
			digest := fakeDigest(a, e%3)
			ref := model.ImageRef{Repository: "ghcr.io/shop/" + app, Tag: version, Digest: digest}
			git.Declared = append(git.Declared, model.Declared{App: app, Env: env, Name: "api", Ref: ref,
				Workload: "Deployment/" + app,
				Location: model.Location{File: "apps/" + app + "/overlays/" + env + "/kustomization.yaml", Line: 9, Kind: model.KindKustomizeImages}})
			reg.Facts[ref.String()] = model.RegistryFacts{Digest: digest, Version: version, Revision: fmt.Sprintf("%07x", a*10+e%3)}
			running := digest
			if (a+e)%7 == 0 {
				running = fakeDigest(a, 9)
			}
			live := model.LiveFacts{Digests: map[string]int{running: 3}, Desired: 3, Ready: 3, Updated: 3, Available: 3, RolloutComplete: true}
			if (a+e)%11 == 0 {
				live.Digests = map[string]int{digest: 1, fakeDigest(a, 8): 2}
				live.Updated, live.RolloutComplete = 1, false
			}
			cl.Live[model.ImageKey{App: app, Env: env, Image: "api"}] = live
		}
	}
	reg.Done, reg.Total = len(reg.Facts), len(reg.Facts)
	return git, reg, cl
}

func fakeDigest(a, n int) string { return fmt.Sprintf("sha256:%060x%04x", a, n) }

// fakeBackend records what the console asked.
type fakeBackend struct {
	mu        sync.Mutex
	refreshes int
	asked     []model.CellKey
	history   map[model.CellKey][]model.HistoryEntry
	timeline  []model.HistoryEntry
	tags      map[string][]string
}

func (b *fakeBackend) Refresh() {
	b.mu.Lock()
	b.refreshes++
	b.mu.Unlock()
}

func (b *fakeBackend) History(_ context.Context, k model.CellKey) ([]model.HistoryEntry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.asked = append(b.asked, k)
	return b.history[k], nil
}

func (b *fakeBackend) Timeline(context.Context, int) ([]model.HistoryEntry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.timeline, nil
}

func (b *fakeBackend) Tags(_ context.Context, repository string) ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tags[repository], nil
}

// clock is a settable time for change marks.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

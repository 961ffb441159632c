package feed_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/internal/feed"
	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/sources/registry"
)

// world starts a demo world whose controller reconciles at once.
func world(t *testing.T) *demo.World {
	t.Helper()
	w, err := demo.Start(context.Background(), demo.Options{
		ReconcileDelay: time.Millisecond, RolloutStep: time.Millisecond, PollInterval: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

// options wires the demo world's repo remote, registry and clusters as
// cmd/ferry does.
func options(t *testing.T, w *demo.World, live bool) feed.Options {
	t.Helper()
	repo, err := gitops.Open(w.RemoteDir)
	if err != nil {
		t.Fatal(err)
	}
	return feed.Options{
		Git: &feed.RepoGit{Repo: repo, Declarations: gitops.Read, PollInterval: time.Millisecond},
		Registry: feed.Resolver{R: registry.New(registry.Options{CacheDir: "-",
			Insecure: func(string) bool { return true }})},
		Clusters: func(envs model.Environments, applied func(app, env, rev string) bool) (feed.Clusters, []model.CellProblem) {
			return cluster.NewFromClients(cluster.Options{Environments: envs, Applied: applied}, w.Clusters), nil
		},
		Live: live,
	}
}

// next returns the next update, failing the test when none comes: the
// deadline only turns a hang into a failure, it never paces the test.
func next(t *testing.T, updates <-chan model.Update) model.Update {
	t.Helper()
	select {
	case u := <-updates:
		return u
	case <-time.After(time.Minute):
		t.Fatal("no update from the feed")
		return nil
	}
}

// blockedRegistry answers only when released.
type blockedRegistry struct {
	feed.Registry
	release chan struct{}
}

func (b blockedRegistry) Stream(ctx context.Context, refs []model.ImageRef, emit func(model.RegistryUpdate)) {
	select {
	case <-b.release:
	case <-ctx.Done():
		return
	}
	b.Registry.Stream(ctx, refs, emit)
}

// TestGitArrivesWhileTheRegistryIsBlocked: the grid's skeleton and the
// clusters' facts must not wait for a slow registry.
func TestGitArrivesWhileTheRegistryIsBlocked(t *testing.T) {
	w := world(t)
	o := options(t, w, true)
	release := make(chan struct{})
	o.Registry = blockedRegistry{Registry: o.Registry, release: release}
	updates := run(t, o)

	if u, ok := next(t, updates).(model.SourcesUpdate); !ok || !u.Registry || !u.Clusters {
		t.Fatalf("first update = %T %+v, want which sources will report", u, u)
	}
	git, ok := next(t, updates).(model.GitUpdate)
	if !ok || len(git.Declared) == 0 || git.Commit != w.Head {
		t.Fatalf("second update = %T %+v, want the Git reading of %s", git, git, w.Head)
	}
	for {
		u := next(t, updates)
		if reg, ok := u.(model.RegistryUpdate); ok && (reg.Done > 0 || len(reg.Facts) > 0) {
			t.Fatalf("registry answered while blocked: %+v", reg)
		}
		if cl, ok := u.(model.ClusterUpdate); ok && len(cl.Envs) > 0 {
			break // the clusters came while the registry is blocked
		}
	}
	close(release)
	for {
		if u, ok := next(t, updates).(model.RegistryUpdate); ok && u.Done == u.Total {
			if len(u.Facts) == 0 && u.Total > 0 {
				t.Errorf("the last registry batch carries no facts")
			}
			return
		}
	}
}

func run(t *testing.T, o feed.Options) <-chan model.Update {
	ctx, cancel := context.WithCancel(context.Background())
	updates := make(chan model.Update)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = feed.New(o).Run(ctx, updates)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return updates
}

// TestLiveFeedFollowsAPushToReconciled pushes a promotion to the demo
// remote and follows the cell, with no refresh asked, from behind through
// pending to in sync.
func TestLiveFeedFollowsAPushToReconciled(t *testing.T) {
	w := world(t)
	updates := run(t, options(t, w, true))
	world := &model.World{}
	key := model.CellKey{App: "catalog", Env: "prod-us"}
	waitState := func(what string, ok func(model.State) bool) {
		t.Helper()
		for {
			world.Apply(next(t, updates))
			if c := world.Grid().Cell(key.App, key.Env); c != nil && ok(c.State) && world.Progress.Registry.Finished() {
				return
			}
			_ = what
		}
	}
	waitState("behind", func(s model.State) bool { return s == model.StateBehind })
	edit, err := w.SetBuild("catalog", "4.2.0", "4.3.0")
	if err != nil {
		t.Fatal(err)
	}
	commit, err := w.Push("apps/catalog/overlays/prod-us/kustomization.yaml", "promote catalog 4.3.0 to prod-us", edit)
	if err != nil {
		t.Fatal(err)
	}
	for world.Progress.Git.Commit != commit {
		world.Apply(next(t, updates))
	}
	if reads := world.Progress.Git.Reads; reads != 2 {
		t.Errorf("%d readings of the repo, want 2 (the start and the push)", reads)
	}
	waitState("in sync", func(s model.State) bool { return s == model.StateInSync })
}

// TestDrainWaitsForEverySource is what ferry status reads: every source
// answered, the registry round complete, every cluster synced or failing.
func TestDrainWaitsForEverySource(t *testing.T) {
	w := world(t)
	got, err := feed.Drain(context.Background(), feed.New(options(t, w, false)))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Progress.Git.Read || !got.Progress.Registry.Finished() {
		t.Errorf("progress = %+v", got.Progress)
	}
	if len(got.Progress.Clusters) != len(w.Clusters) {
		t.Errorf("%d clusters answered, want %d", len(got.Progress.Clusters), len(w.Clusters))
	}
	for env, c := range got.Progress.Clusters {
		if !c.Answered() {
			t.Errorf("cluster %s has not answered", env)
		}
	}
	if s := got.Grid().Cell("catalog", "prod-us").State; s != model.StateBehind {
		t.Errorf("catalog@prod-us = %s, want behind", s)
	}
}

// silentClusters never answer: a real API server that accepts and hangs.
type silentClusters struct{}

func (silentClusters) Follow(ctx context.Context, targets <-chan []cluster.Target, out chan<- cluster.Snapshot) {
	<-targets
	select {
	case out <- cluster.Snapshot{Envs: map[string]model.ClusterProgress{"prod": {Context: "kind-prod"}}}:
	case <-ctx.Done():
	}
	<-ctx.Done()
}

func TestDrainGivesUpOnASilentCluster(t *testing.T) {
	w := world(t)
	o := options(t, w, false)
	o.Clusters = func(model.Environments, func(string, string, string) bool) (feed.Clusters, []model.CellProblem) {
		return silentClusters{}, nil
	}
	o.ClusterDeadline = 50 * time.Millisecond
	got, err := feed.Drain(context.Background(), feed.New(o))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range got.Problems {
		found = found || p.Env == "prod" && strings.Contains(p.Message, `context "kind-prod" did not answer within 50ms`)
	}
	if !found {
		t.Errorf("no problem on the silent cluster's column: %+v", got.Problems)
	}
}

// An environment on a branch of its own (Kargo's env/prod) changes when
// that branch moves, though the branch read does not: the feed reads again.
func TestLiveFeedFollowsAnEnvironmentBranch(t *testing.T) {
	deployment := func(image string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: " + image + "\n"
	}
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("kargo/stages.yaml", "apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata: {name: prod}\nspec:\n  requestedFreight: [{origin: {kind: Warehouse, name: web}, sources: {direct: true}}]\n")
	r.Commit("stages")
	r.CommitOnBranch("env/prod", map[string]string{"web/deployment.yaml": deployment("ghcr.io/acme/web:1.0.0")})
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	updates := run(t, feed.Options{Git: &feed.RepoGit{Repo: repo, Declarations: gitops.Read, PollInterval: time.Millisecond}, Live: true})
	world := &model.World{}
	declares := func(tag string) bool {
		c := world.Grid().Cell("web", "prod")
		return c != nil && len(c.Images) == 1 && c.Images[0].Declared != nil && c.Images[0].Declared.Tag != nil && *c.Images[0].Declared.Tag == tag
	}
	for !declares("1.0.0") {
		world.Apply(next(t, updates))
	}
	// Committed the way ferry commits: HEAD and its branch never move.
	promote := func(context.Context, string) (map[string][]byte, error) {
		return map[string][]byte{"web/deployment.yaml": []byte(deployment("ghcr.io/acme/web:1.1.0"))}, nil
	}
	if _, err := gitwrite.Commit(context.Background(), repo, gitwrite.Options{Branch: "env/prod"}, "promote web 1.1.0 to prod", promote); err != nil {
		t.Fatal(err)
	}
	for !declares("1.1.0") {
		world.Apply(next(t, updates))
	}
}

package demo

import (
	"context"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/registry"
)

// readGrid reads the world through ferry's own sources — Git (the remote,
// where pushes land), the registry over its loopback port, the clusters
// through sources/cluster — the way `ferry status` does, and derives the
// grid.
func readGrid(t *testing.T, ctx context.Context, w *World) *model.Grid {
	t.Helper()
	repo, err := gitops.Clone(ctx, w.RemoteDir, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	res := gitops.Read(tree)
	world := &model.World{Environments: res.Environments, Apps: res.Apps,
		Declared: res.Declared, Problems: res.Problems}

	refs := make([]model.ImageRef, 0, len(res.Declared))
	for _, d := range res.Declared {
		refs = append(refs, d.Ref)
	}
	regRes := registry.New(registry.Options{CacheDir: "-", Insecure: res.Config.Insecure}).Resolve(ctx, refs)
	world.Registry, world.RegistryProblems = regRes.Facts, regRes.Problems

	src := cluster.NewFromClients(cluster.Options{
		Environments: res.Environments,
		Applied:      appliedBy(t, repo, head, res.Declared),
	}, w.Clusters)
	snap := src.List(ctx, targets(res))
	world.Live, world.Controllers = snap.Live, snap.Controllers
	world.Problems = append(world.Problems, snap.Problems...)
	return world.Grid()
}

// appliedBy decides whether a controller's revision contains the commit
// that last changed a cell's declaration.
func appliedBy(t *testing.T, repo *gitops.Repo, head string, declared []model.Declared) func(app, env, rev string) bool {
	files := map[model.CellKey][]string{}
	var paths []string
	for _, d := range declared {
		k := model.CellKey{App: d.App, Env: d.Env}
		files[k] = append(files[k], d.Location.File)
		paths = append(paths, d.Location.File)
	}
	last, err := repo.LastChanges(head, paths)
	if err != nil {
		t.Fatal(err)
	}
	return func(app, env, rev string) bool {
		for _, f := range files[model.CellKey{App: app, Env: env}] {
			if ok, _ := repo.Contains(rev, last[f]); !ok {
				return false
			}
		}
		return true
	}
}

func targets(res *gitops.Result) []cluster.Target {
	byCell := map[model.CellKey]*cluster.Target{}
	var out []*cluster.Target
	for _, d := range res.Declared {
		k := model.CellKey{App: d.App, Env: d.Env}
		if byCell[k] == nil {
			tg := &cluster.Target{App: d.App, Env: d.Env}
			if a, ok := res.Config.App(d.App); ok {
				tg.Workload = a.Workload
			}
			byCell[k] = tg
			out = append(out, tg)
		}
		byCell[k].Declared = append(byCell[k].Declared, d)
	}
	list := make([]cluster.Target, len(out))
	for i, tg := range out {
		list[i] = *tg
	}
	return list
}

// TestPlannedStates reads the fresh world through ferry's sources and finds
// every cell in the state the plan put it in, and every state on screen.
func TestPlannedStates(t *testing.T) {
	ctx := context.Background()
	w := startWorld(t, Options{})
	g := readGrid(t, ctx, w)
	seen := map[model.State]bool{}
	for k, want := range Planned() {
		c := g.Cell(k.App, k.Env)
		if c == nil {
			t.Fatalf("%s@%s: no cell in the grid", k.App, k.Env)
		}
		seen[c.State] = true
		if c.State != want {
			t.Errorf("%s@%s: state %s, planned %s; problems %v", k.App, k.Env, c.State, want, c.Problems)
		}
	}
	for _, s := range model.AllStates() {
		if !seen[s] && s != model.StateUnknown {
			t.Errorf("no cell is %s", s)
		}
	}
}

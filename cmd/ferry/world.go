package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/registry"
)

// clusterListTimeout bounds one reading of every cluster: an API server
// that does not answer becomes a problem on its column, not a hang.
const clusterListTimeout = 30 * time.Second

// sourceFlags choose and tune the sources.
type sourceFlags struct {
	sources     []string
	refresh     bool
	concurrency int
	kubeconfig  string
	// clusters, when set, replaces the kubeconfig: the demo world hands its
	// simulated clusters in here, and they are read by the same code.
	clusters map[string]cluster.Clients
	// ephemeral worlds (the demo's repo and registry live one run, on a new
	// port) are not cached on disk: the entries would only be litter.
	ephemeral bool
}

func (f *sourceFlags) register(fs *pflag.FlagSet) {
	fs.StringSliceVar(&f.sources, "sources", nil,
		"sources to read: git, registry, cluster (default: git,registry, and cluster when ferry.yaml names contexts)")
	fs.BoolVar(&f.refresh, "refresh", false, "ask the registry again for tags resolved in the last minutes")
	fs.IntVar(&f.concurrency, "registry-concurrency", 16, "registry requests in flight at once")
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
}

// loadWorld reads every chosen source once and merges their facts.
func loadWorld(ctx context.Context, rf *repoFlags, sf *sourceFlags, notes io.Writer) (*model.World, error) {
	if _, err := sourceList(sf.sources); len(sf.sources) > 0 && err != nil {
		return nil, err
	}
	repo, tree, err := rf.open(ctx)
	if err != nil {
		return nil, err
	}
	res := readGit(tree, !sf.ephemeral)
	w := &model.World{
		Environments: res.Environments,
		Apps:         res.Apps,
		Declared:     res.Declared,
		Problems:     res.Problems,
	}
	use := sf.chosen(res.Environments)
	if use["registry"] {
		readRegistry(ctx, w, res.Config, sf)
	}
	if use["cluster"] {
		readClusters(ctx, w, res.Config, sf, appliedBy(repo, tree, w.Declared), notes)
	}
	return w, nil
}

// chosen returns the sources to read: --sources, else git and registry, and
// the clusters when an environment names a kubeconfig context.
func (sf *sourceFlags) chosen(envs model.Environments) map[string]bool {
	if len(sf.sources) > 0 {
		use, _ := sourceList(sf.sources)
		return use
	}
	use := map[string]bool{"git": true, "registry": true}
	use["cluster"] = sf.clusters != nil || slices.ContainsFunc(envs, func(e model.Environment) bool {
		return e.Kube.Context != ""
	})
	return use
}

// readRegistry resolves every declared reference once.
func readRegistry(ctx context.Context, w *model.World, cfg *model.Config, sf *sourceFlags) {
	resolver := registry.New(registry.Options{
		CacheDir:    sf.registryCacheDir(),
		Refresh:     sf.refresh,
		Concurrency: sf.concurrency,
		Insecure:    cfg.Insecure,
		Logf:        logf(),
	})
	refs := make([]model.ImageRef, 0, len(w.Declared))
	for _, d := range w.Declared {
		// A tag set over a chart outside the repo names no repository:
		// there is nothing to ask a registry about.
		if d.Ref.Repository != "" {
			refs = append(refs, d.Ref)
		}
	}
	results := resolver.Resolve(ctx, refs)
	w.Registry, w.RegistryProblems = results.Facts, results.Problems
}

// readClusters lists what every environment's cluster runs for the
// declared cells.
func readClusters(ctx context.Context, w *model.World, cfg *model.Config, sf *sourceFlags,
	applied func(app, env, rev string) bool, notes io.Writer) {
	opts := cluster.Options{Kubeconfig: sf.kubeconfig, Environments: w.Environments, Applied: applied, Logf: logf()}
	var (
		src      *cluster.Source
		problems []model.CellProblem
	)
	if sf.clusters != nil {
		src = cluster.NewFromClients(opts, sf.clusters)
	} else {
		src, problems = cluster.New(opts)
	}
	ctx, cancel := context.WithTimeout(ctx, clusterListTimeout)
	defer cancel()
	snap := src.List(ctx, cluster.Targets(w.Declared, cfg.Apps))
	w.Problems = append(append(w.Problems, problems...), snap.Problems...)
	w.Live, w.Controllers = snap.Live, snap.Controllers
	tellChosenContexts(notes, w.Environments, snap.Contexts)
}

// tellChosenContexts says which kubeconfig context ferry picked for an
// environment that ferry.yaml does not pin to one: reading the wrong
// cluster would show false truth, so the user must be able to check.
func tellChosenContexts(notes io.Writer, envs model.Environments, chosen map[string]string) {
	for _, e := range envs {
		if ctxName := chosen[e.Name]; ctxName != "" && e.Kube.Context == "" {
			fmt.Fprintf(notes, "ferry: environment %s reads kubeconfig context %q (set environments[].kube.context in ferry.yaml to choose another)\n", e.Name, ctxName)
		}
	}
}

// registryCacheDir is the registry's disk cache: the default, or none.
func (sf *sourceFlags) registryCacheDir() string {
	if sf.ephemeral {
		return "-"
	}
	return ""
}

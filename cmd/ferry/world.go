package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/ferryhq/ferry/internal/feed"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/registry"
	"github.com/ferryhq/ferry/ui"
)

// clusterDeadline bounds how long `ferry status` waits for a cluster: an
// API server that does not answer becomes a problem on its column, not a
// hang.
const clusterDeadline = 30 * time.Second

// sourceFlags choose and tune the sources.
type sourceFlags struct {
	sources       []string
	refresh       bool
	concurrency   int
	kubeconfig    string
	contexts      map[string]string // --context ENV=CONTEXT
	fetchInterval time.Duration
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
	fs.StringToStringVar(&f.contexts, "context", nil, "ENV=CONTEXT: read the environment from this kubeconfig context, whatever ferry.yaml says (repeatable)")
	fs.DurationVar(&f.fetchInterval, "fetch-interval", 30*time.Second, "how often the console fetches a repo cloned from a URL")
}

// loadWorld reads every chosen source until each has answered, through
// the same feed the console follows.
func loadWorld(ctx context.Context, rf *repoFlags, sf *sourceFlags, notes io.Writer) (*model.World, error) {
	fd, _, err := newFeed(ctx, rf, sf, false)
	if err != nil {
		return nil, err
	}
	return drain(ctx, fd, notes)
}

// drain reads the feed until every source has answered.
func drain(ctx context.Context, fd *feed.Feed, notes io.Writer) (*model.World, error) {
	started := time.Now()
	var waiting func(*model.World)
	if isTerminal(notes) {
		// notes is the terminal's stderr, quiet while the sources read.
		waiting = func(w *model.World) { sayWaiting(toTerminal{}, w, time.Since(started)) }
	}
	restore, err := quietStderr()
	if err != nil {
		return nil, err
	}
	w, err := feed.DrainWatching(ctx, fd, slowNote, waiting)
	restore()
	if err != nil {
		return nil, err
	}
	tellChosenContexts(notes, w.Environments, w.Progress.Clusters)
	return w, nil
}

// slowNote is how often `ferry status` on a terminal names what it still
// waits for.
const slowNote = 5 * time.Second

// sayWaiting names the sources that have not answered yet.
func sayWaiting(notes io.Writer, w *model.World, waited time.Duration) {
	if names := w.Progress.Waiting(w.Environments); len(names) > 0 {
		fmt.Fprintf(notes, "ferry: waiting %s for %s\n", waited.Round(time.Second), ui.Clean(strings.Join(names, ", ")))
	}
}

// newFeed opens the repo and wires the chosen sources into a feed, and a
// releaser that commits to the same repo and asks the same registry.
func newFeed(ctx context.Context, rf *repoFlags, sf *sourceFlags, live bool) (*feed.Feed, *release.Releaser, error) {
	if _, err := sourceList(sf.sources); len(sf.sources) > 0 && err != nil {
		return nil, nil, err
	}
	repo, err := rf.openRepo(ctx)
	if err != nil {
		return nil, nil, err
	}
	s := settingsOf(ctx)
	if err := s.applyRepoSettings(repo, rf); err != nil {
		return nil, nil, err
	}
	git := &feed.RepoGit{
		Repo: repo, Ref: rf.ref, Worktree: rf.worktree,
		Declarations: func(t *gitops.Tree) *gitops.Result { return readGit(t, !sf.ephemeral) },
		Applied: func(t *gitops.Tree, decls []model.Declared) func(app, env, rev string) bool {
			return appliedBy(repo, t, decls)
		},
		FetchInterval: sf.fetchInterval, Logf: logf(),
	}
	var fd *feed.Feed
	use, _ := sourceList(sf.sources)
	o := feed.Options{Git: git, Live: live, ClusterDeadline: clusterDeadline, Logf: logf()}
	var reg *registry.Resolver
	if len(sf.sources) == 0 || use["registry"] {
		reg = registry.New(registry.Options{
			CacheDir:    sf.registryCacheDir(),
			Refresh:     sf.refresh,
			Concurrency: sf.concurrency,
			// ferry.yaml's registries, as the latest reading has them, and
			// the user config's.
			Insecure: func(host string) bool { return fd.Config().Insecure(host) || s.user.IsInsecure(host) },
			Logf:     logf(),
		})
		o.Registry = feed.Resolver{R: reg}
	}
	o.Clusters = sf.newClusters(len(sf.sources) == 0, use["cluster"], s.user.Contexts)
	fd = feed.New(o)
	return fd, newReleaser(repo, rf.ref, reg), nil
}

// newClusters builds the cluster source over the kubeconfig, or over the
// demo world's simulated clusters. Unless --sources names them, clusters
// are read when a context is named (or the demo has clusters): --context
// beats ferry.yaml, which beats the user config's contexts.
func (sf *sourceFlags) newClusters(byDefault, asked bool, contexts map[string]string) feed.NewClusters {
	return func(envs model.Environments, applied func(app, env, rev string) bool) (feed.Clusters, []model.CellProblem) {
		envs = withContexts(withContexts(envs, sf.contexts, true), contexts, false)
		named := slices.ContainsFunc(envs, func(e model.Environment) bool { return e.Kube.Context != "" })
		if !asked && !(byDefault && (named || sf.clusters != nil)) {
			return nil, nil
		}
		opts := cluster.Options{Kubeconfig: sf.kubeconfig, Environments: envs, Applied: applied, Logf: logf(), Asked: asked}
		if sf.clusters != nil {
			return cluster.NewFromClients(opts, sf.clusters), nil
		}
		return cluster.New(opts)
	}
}

// tellChosenContexts says which kubeconfig context ferry picked for an
// environment that ferry.yaml does not pin to one: reading the wrong
// cluster would show false truth, so the user must be able to check.
func tellChosenContexts(notes io.Writer, envs model.Environments, clusters map[string]model.ClusterProgress) {
	for _, e := range envs {
		if ctxName := clusters[e.Name].Context; ctxName != "" && e.Kube.Context == "" {
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

// withContexts sets the kubeconfig contexts of environments: those
// ferry.yaml leaves unset, or (override, for --context) all it names.
func withContexts(envs model.Environments, contexts map[string]string, override bool) model.Environments {
	if len(contexts) == 0 {
		return envs
	}
	out := slices.Clone(envs)
	for i, e := range out {
		if ctx := contexts[e.Name]; (override || e.Kube.Context == "") && ctx != "" {
			out[i].Kube.Context = ctx
		}
	}
	return out
}

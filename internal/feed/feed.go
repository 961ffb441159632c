// Package feed starts ferry's sources and streams what they learn as
// model updates: the GitOps repo when it is read (and again whenever its
// branch moves), the registry's answers in small batches as they arrive, and
// the clusters' snapshots as their watches report. The console hands each
// update to its program; `ferry status` drains the same stream until every
// source has answered (Drain), so the two cannot disagree.
//
// The sources sit behind small interfaces declared here; the adapters to
// sources/gitops, sources/registry and sources/cluster are in this package
// too, and cmd/ferry wires them.
package feed

import (
	"context"
	"sync"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// Git reads the GitOps repo.
type Git interface {
	// Read reads what the repo declares now.
	Read(ctx context.Context) (Reading, error)
	// Moved blocks until the repo holds something other than what the
	// reading read (a new commit on its branch or on any other, or one a
	// fetch brought), or ctx ends; it reports whether it moved.
	Moved(ctx context.Context, since Reading) bool
	// History lists the changes of one cell's declarations, newest first.
	History(ctx context.Context, head string, decls []model.Declared) ([]model.HistoryEntry, error)
	// Timeline lists the newest changes of any declarations, at most limit.
	Timeline(ctx context.Context, head string, decls []model.Declared, limit int) ([]model.HistoryEntry, error)
}

// Reading is one reading of the repo.
type Reading struct {
	Update model.GitUpdate
	// Config is ferry.yaml as read (never nil); its apps name workloads
	// for the clusters, its registries say which are insecure.
	Config *model.Config
	// Applied answers whether a controller's revision contains the commit
	// that last changed a cell's declaration; nil when Git cannot tell.
	Applied func(app, env, revision string) bool
	// Refs is where every branch was when the reading began (opaque):
	// environments may live on branches of their own.
	Refs string
}

// Registry answers what references are.
type Registry interface {
	// Stream answers the references in batches as they come; the last
	// batch has Done == Total. emit is never called concurrently.
	Stream(ctx context.Context, refs []model.ImageRef, emit func(model.RegistryUpdate))
	// Refresh forgets answers that can change (tags, failures).
	Refresh()
	// Tags lists a repository's tags, newest first.
	Tags(ctx context.Context, repository string) ([]string, error)
}

// Clusters follows what the clusters run for changing targets.
type Clusters interface {
	Follow(ctx context.Context, targets <-chan []cluster.Target, out chan<- cluster.Snapshot)
}

// NewClusters builds the cluster source for the environments of the first
// reading; applied is how it asks Git whether a controller applied a cell's
// commit. The problems are those of loading the kubeconfig: they stay on
// every snapshot. A nil Clusters means the clusters are not read.
type NewClusters func(envs model.Environments, applied func(app, env, revision string) bool) (Clusters, []model.CellProblem)

// Options choose the sources and how the feed runs.
type Options struct {
	Git      Git
	Registry Registry    // nil: the registry is not read
	Clusters NewClusters // nil: the clusters are not read
	// Live keeps following the sources until ctx ends (the console);
	// otherwise Run returns once every source answered (ferry status).
	Live bool
	// ClusterDeadline bounds how long a run that is not live waits for a
	// cluster to answer; default 30s.
	ClusterDeadline time.Duration
	Logf            func(format string, args ...any)
}

// Feed streams the facts of the sources.
type Feed struct {
	opts    Options
	refresh chan struct{}

	mu      sync.Mutex
	reading Reading
}

// New builds a feed; Run starts it.
func New(o Options) *Feed {
	if o.ClusterDeadline <= 0 {
		o.ClusterDeadline = 30 * time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return &Feed{opts: o, refresh: make(chan struct{}, 1)}
}

// Refresh asks every source again now: the repo is re-read (a clone is
// fetched first), tags are resolved again. It never blocks.
func (f *Feed) Refresh() {
	select {
	case f.refresh <- struct{}{}:
	default:
	}
}

// History lists the changes of one cell's declarations in the latest
// reading, newest first.
func (f *Feed) History(ctx context.Context, k model.CellKey) ([]model.HistoryEntry, error) {
	f.mu.Lock()
	r := f.reading
	f.mu.Unlock()
	var decls []model.Declared
	for _, d := range r.Update.Declared {
		if d.App == k.App && d.Env == k.Env {
			decls = append(decls, d)
		}
	}
	if len(decls) == 0 {
		return []model.HistoryEntry{}, nil
	}
	return f.opts.Git.History(ctx, r.Update.Commit, decls)
}

// Timeline lists the newest changes of what every environment declares
// (at most limit), over the latest reading.
func (f *Feed) Timeline(ctx context.Context, limit int) ([]model.HistoryEntry, error) {
	f.mu.Lock()
	r := f.reading
	f.mu.Unlock()
	if len(r.Update.Declared) == 0 {
		return []model.HistoryEntry{}, nil
	}
	return f.opts.Git.Timeline(ctx, r.Update.Commit, r.Update.Declared, limit)
}

// Tags lists a repository's tags, newest first: what a promotion by hand
// can pick. Without a registry there are none.
func (f *Feed) Tags(ctx context.Context, repository string) ([]string, error) {
	if f.opts.Registry == nil {
		return nil, nil
	}
	return f.opts.Registry.Tags(ctx, repository)
}

// Config returns ferry.yaml of the latest reading (an empty one before).
func (f *Feed) Config() *model.Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reading.Config == nil {
		return &model.Config{}
	}
	return f.reading.Config
}

// applied asks the latest reading; the cluster source calls it.
func (f *Feed) applied(app, env, rev string) bool {
	f.mu.Lock()
	a := f.reading.Applied
	f.mu.Unlock()
	return a == nil || a(app, env, rev)
}

// Drain runs a feed that is not live and merges every update into a world:
// what `ferry status` prints.
func Drain(ctx context.Context, f *Feed) (*model.World, error) {
	return DrainWatching(ctx, f, 0, nil)
}

// DrainWatching is Drain that also hands the world so far to waiting
// every interval while the sources are still answering: `ferry status`
// names a slow source with it. It runs on the goroutine that applies the
// updates, so it may read the world.
func DrainWatching(ctx context.Context, f *Feed, interval time.Duration, waiting func(*model.World)) (*model.World, error) {
	out := make(chan model.Update, 64)
	errc := make(chan error, 1)
	go func() {
		errc <- f.Run(ctx, out)
		close(out)
	}()
	var tick <-chan time.Time
	if waiting != nil && interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	w := &model.World{}
	for {
		select {
		case u, ok := <-out:
			if !ok {
				return w, <-errc
			}
			w.Apply(u)
		case <-tick:
			waiting(w)
		}
	}
}

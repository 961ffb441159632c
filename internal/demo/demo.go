// Package demo builds ferry's demo world inside one process: a GitOps repo
// with a bare remote and a history of promotions, a real OCI registry on
// loopback holding every build, one fake Kubernetes cluster per environment
// reached through sources/cluster's own code path, and a simulated Argo CD
// that applies commits pushed to the remote. The world starts with a cell
// of every state on purpose (see plan.go), and a seed replays it exactly.
package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ferryhq/ferry/sources/cluster"
)

// Options configure the world.
type Options struct {
	Seed int64 // the same seed gives the same builds, digests and objects
	// ReconcileDelay is how long the controller waits after noticing a
	// commit before it applies it (default 2s).
	ReconcileDelay time.Duration
	// RolloutStep is the time between pod replacements (default 1s).
	RolloutStep time.Duration
	// PollInterval is how often the controller looks at the remote's
	// branch (default 250ms).
	PollInterval time.Duration
	// Dir is where the repos go; "" makes a temp dir. Close removes the
	// temp dir unless Keep is set, and never removes a Dir given here.
	Dir  string
	Keep bool
	Logf func(format string, args ...any)

	// step, when set, replaces the RolloutStep wait: each receive lets a
	// rollout replace one pod. Tests use it to look at every stage.
	step <-chan struct{}
}

// World is the running demo.
type World struct {
	RepoDir      string // a clone (work tree) of the GitOps repo, with ferry.yaml
	RemoteDir    string // its bare remote (origin): pushes land here
	RegistryHost string // "127.0.0.1:PORT", plain HTTP (ferry.yaml marks it insecure)
	// Clusters are the fake clients per environment, as
	// cluster.NewFromClients takes them.
	Clusters map[string]cluster.Clients
	// Events report the controller's progress. Nobody has to read them:
	// when the buffer is full, events are dropped, never waited for. Close
	// closes the channel.
	Events <-chan Event
	// Close stops everything, closes the port and removes the temp dir
	// (unless kept). It is safe to call more than once.
	Close func() error

	// SourceDirs are the apps' source repos (bare), by app: the commits
	// the images' revision labels name.
	SourceDirs map[string]string

	// Head is the commit the remote's branch pointed at when the world
	// started.
	Head string
	// Kept is true when Close leaves the repos on disk.
	Kept bool

	builds         map[string][]build
	clusters       map[string]*fakeCluster
	registryFaults *faults
}

// Start builds the world and starts its registry and controller. Cancelling
// ctx stops it as Close does.
func Start(ctx context.Context, o Options) (w *World, err error) {
	o = o.withDefaults()
	root, kept, err := prepareDir(o)
	if err != nil {
		return nil, err
	}
	var cleanups []func() error
	cleanup := func() error {
		var errs []error
		for i := len(cleanups) - 1; i >= 0; i-- {
			errs = append(errs, cleanups[i]())
		}
		if !kept {
			errs = append(errs, os.RemoveAll(root))
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			_ = cleanup()
		}
	}()

	reg, err := startRegistry()
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, reg.Close)
	w, err = assemble(ctx, o, root, reg)
	if err != nil {
		return nil, err
	}
	w.Kept = kept

	runCtx, stop := context.WithCancel(context.Background())
	events := make(chan Event, 1024)
	ctl := newController(o, w, reg, events)
	var wg sync.WaitGroup
	wg.Go(func() { ctl.run(runCtx) })
	cleanups = append(cleanups, func() error { stop(); wg.Wait(); close(events); return nil })
	w.Events = events

	var once sync.Once
	var closeErr error
	w.Close = func() error {
		once.Do(func() { closeErr = cleanup() })
		return closeErr
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = w.Close()
		case <-runCtx.Done():
		}
	}()
	if kept {
		o.Logf("demo: the GitOps repo is at %s (remote %s)", w.RepoDir, w.RemoteDir)
	}
	return w, nil
}

func (o Options) withDefaults() Options {
	if o.ReconcileDelay <= 0 {
		o.ReconcileDelay = 2 * time.Second
	}
	if o.RolloutStep <= 0 {
		o.RolloutStep = time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 250 * time.Millisecond
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// prepareDir returns the folder the repos go in and whether Close keeps it.
// A given Dir must be empty or absent: the demo never writes over files.
func prepareDir(o Options) (string, bool, error) {
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "ferry-demo-")
		return dir, o.Keep, err
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return "", false, err
	}
	entries, err := os.ReadDir(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return abs, true, os.MkdirAll(abs, 0o755)
	case err != nil:
		return "", false, fmt.Errorf("demo: %w", err)
	case len(entries) > 0:
		return "", false, fmt.Errorf("demo: %s is not empty; give an empty or new folder", abs)
	}
	return abs, true, nil
}

// assemble pushes the builds, writes the repos and seeds the clusters.
func assemble(ctx context.Context, o Options, root string, reg *demoRegistry) (*World, error) {
	sources, err := writeSources()
	if err != nil {
		return nil, err
	}
	builds, err := reg.pushBuilds(ctx, o.Seed, sources)
	if err != nil {
		return nil, err
	}
	h, err := writeHistory(renderer{seed: o.Seed, registry: reg.Host, builds: builds})
	if err != nil {
		return nil, err
	}
	w := &World{
		RepoDir: filepath.Join(root, "shop-gitops"), RemoteDir: filepath.Join(root, "shop-gitops.git"),
		RegistryHost: reg.Host, Head: h.head.String(), builds: builds, registryFaults: reg.faults,
		Clusters: map[string]cluster.Clients{}, clusters: map[string]*fakeCluster{},
	}
	if w.SourceDirs, err = materializeSources(root, sources); err != nil {
		return nil, err
	}
	if _, err := materialize(w.RemoteDir, true, h.mem, h.head); err != nil {
		return nil, err
	}
	clone, err := materialize(w.RepoDir, false, h.mem, h.head)
	if err != nil {
		return nil, err
	}
	if err := makeClone(clone, w.RepoDir, w.RemoteDir, h.head, h.files); err != nil {
		return nil, fmt.Errorf("demo repo %s: %w", w.RepoDir, err)
	}
	s := seeder{builds: builds, repoOf: reg.Repository, repoURL: w.RemoteDir,
		head: h.head.String(), beforePending: h.beforePending.String()}
	for _, env := range envPlans {
		c := newFakeCluster(env, o.Seed)
		if err := s.seed(c); err != nil {
			return nil, fmt.Errorf("demo cluster %s: %w", env.Context, err)
		}
		w.clusters[env.Name] = c
		w.Clusters[env.Name] = c.Clients()
	}
	return w, nil
}

package cluster

import (
	"context"
	"sync"

	"github.com/ferryhq/ferry/model"
)

// Watch keeps shared informers on every environment and sends a Snapshot on
// out whenever what ferry reads changes. Each Snapshot is complete: facts of
// every environment whose caches have synced, and the current problems of
// all (an environment that has not synced yet contributes only problems).
// Bursts of changes are coalesced into one Snapshot; a slow reader delays
// Snapshots, never the informers. Watch blocks until ctx is done and does
// not close out.
func (s *Source) Watch(ctx context.Context, targets []Target, out chan<- Snapshot) {
	ts := make(chan []Target, 1)
	ts <- targets
	s.Follow(ctx, ts, out)
}

// Follow is Watch for targets that change while it runs: each value
// received on targets replaces the cells it reads (a GitOps repo re-read
// after a commit), without restarting the informers. It sends nothing
// before the first targets arrive.
func (s *Source) Follow(ctx context.Context, targets <-chan []Target, out chan<- Snapshot) {
	w := &watcher{src: s, kick: make(chan struct{}, 1)}
	for _, e := range s.envs {
		ew := newEnvWatch(s, e, w.notify)
		w.envs = append(w.envs, ew)
		go ew.run(ctx)
	}
	started := false
	for {
		select {
		case <-ctx.Done():
			return
		case ts := <-targets:
			w.setTargets(ts)
			started = true
		case <-w.kick:
		}
		if !started {
			continue
		}
		snap := w.snapshot()
		select {
		case out <- snap:
		case <-ctx.Done():
			return
		}
	}
}

// watcher joins the environments' watches into Snapshots.
type watcher struct {
	src  *Source
	envs []*envWatch
	kick chan struct{}

	mu      sync.Mutex
	targets []Target
}

// notify asks for a new Snapshot; pending requests coalesce.
func (w *watcher) notify() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// setTargets replaces the cells read; every environment recomputes its
// facts from its caches.
func (w *watcher) setTargets(ts []Target) {
	w.mu.Lock()
	w.targets = ts
	w.mu.Unlock()
	for _, ew := range w.envs {
		ew.mu.Lock()
		ew.dirty = true
		ew.mu.Unlock()
	}
}

func (w *watcher) snapshot() Snapshot {
	w.mu.Lock()
	targets := w.targets
	w.mu.Unlock()
	parts := make([]envFacts, 0, len(w.envs))
	for _, ew := range w.envs {
		parts = append(parts, ew.facts(targets))
	}
	return w.src.merge(parts)
}

// facts returns the environment's facts, recomputed only when an informer
// reported a change since the last call, plus its current problems.
func (ew *envWatch) facts(targets []Target) envFacts {
	ew.mu.Lock()
	defer ew.mu.Unlock()
	if ew.dirty && ew.synced {
		ew.cached = ew.src.factsFor(ew.e, ew.inventory(), targets)
		ew.dirty = false
	}
	out := envFacts{env: ew.e.env, live: ew.cached.live, controllers: ew.cached.controllers}
	failing := true // reads fail now: what the caches hold may be stale
	if err := ew.unreachable(); err != nil {
		// One problem says it all; the failing reads it causes add nothing.
		out.problems = []model.CellProblem{envProblem(ew.e.env, describeContext(ew.e.Context, err))}
	} else if len(ew.problems) > 0 {
		out.problems = ew.problemList()
	} else {
		out.problems, failing = ew.cached.problems, len(ew.cached.problems) > 0 && !ew.synced
	}
	out.status = model.ClusterProgress{Synced: ew.synced, Failing: failing, Context: ew.e.Context}
	return out
}

// unreachable returns the transport error of the context's last request.
func (ew *envWatch) unreachable() error {
	if ew.e.reach == nil {
		return nil
	}
	return ew.e.reach.failure()
}

// problemList returns the watch problems in a stable order.
func (ew *envWatch) problemList() []model.CellProblem {
	var out []model.CellProblem
	names := []string{discoveryProblem}
	for _, r := range ew.resources {
		names = append(names, r.name)
	}
	said := map[string]bool{}
	for _, name := range names {
		// A server that is down fails every resource with the same words.
		if msg, ok := ew.problems[name]; ok && !said[msg] {
			said[msg] = true
			out = append(out, envProblem(ew.e.env, msg))
		}
	}
	return out
}

// setProblem records (msg != "") or clears a failing resource and reports
// whether anything changed.
func (ew *envWatch) setProblem(resource, msg string) bool {
	ew.mu.Lock()
	defer ew.mu.Unlock()
	old, had := ew.problems[resource]
	switch {
	case msg == "" && had:
		delete(ew.problems, resource)
		return true
	case msg != "" && old != msg:
		ew.problems[resource] = msg
		return true
	}
	return false
}

func (ew *envWatch) markDirty() {
	ew.mu.Lock()
	ew.dirty = true
	ew.mu.Unlock()
	ew.notify()
}

package demo

import (
	"context"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/ctxutil"
	"github.com/ferryhq/ferry/model"
)

// controller is the simulated GitOps controller: it watches the remote's
// branch and, after ReconcileDelay, applies to each cell a commit changed.
// A newer commit for the same cell replaces a rollout still in progress.
type controller struct {
	o      Options
	w      *World
	reg    *demoRegistry
	events chan<- Event
	last   plumbing.Hash

	mu       sync.Mutex
	inflight map[model.CellKey]*rolloutHandle
	wg       sync.WaitGroup
}

type rolloutHandle struct{ cancel context.CancelFunc }

func newController(o Options, w *World, reg *demoRegistry, events chan<- Event) *controller {
	return &controller{o: o, w: w, reg: reg, events: events,
		last: plumbing.NewHash(w.Head), inflight: map[model.CellKey]*rolloutHandle{}}
}

// run polls the remote until ctx ends, then waits for its rollouts.
func (c *controller) run(ctx context.Context) {
	defer c.wg.Wait()
	t := time.NewTicker(c.o.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.poll(ctx)
		}
	}
}

// poll compares the remote's branch with the last commit seen. The repo is
// opened afresh each time: a push writes new packfiles that an open
// repository might not notice.
func (c *controller) poll(ctx context.Context) {
	repo, err := git.PlainOpen(c.w.RemoteDir)
	if err != nil {
		c.o.Logf("demo controller: %v", err)
		return
	}
	ref, err := repo.Reference(branch, true)
	if err != nil || ref.Hash() == c.last {
		return
	}
	old, head := c.last, ref.Hash()
	c.last = head
	c.emit(Event{Kind: CommitSeen, Commit: head.String()})
	before, err := readCommit(repo, old)
	if err != nil {
		before = map[string][]byte{} // history rewritten: treat all as new
	}
	after, err := readCommit(repo, head)
	if err != nil {
		c.o.Logf("demo controller: read %s: %v", head, err)
		return
	}
	c.applyChanges(ctx, before, after, head.String())
}

// applyChanges starts a rollout for every cell whose image changed.
func (c *controller) applyChanges(ctx context.Context, before, after map[string][]byte, commit string) {
	for _, app := range appPlans {
		for _, env := range envPlans {
			next, declared, err := desiredImage(after, app, env.Name)
			if err != nil {
				c.emit(Event{Kind: ReconcileFailed, Commit: commit, App: app.Name, Env: env.Name, Err: err})
				continue
			}
			prev, _, _ := desiredImage(before, app, env.Name)
			if declared && next != prev {
				c.start(ctx, app, env.Name, commit, next)
			}
		}
	}
}

// start runs one cell's reconcile, cancelling the one it supersedes.
func (c *controller) start(ctx context.Context, app appPlan, env, commit string, ref model.ImageRef) {
	key := model.CellKey{App: app.Name, Env: env}
	rctx, cancel := context.WithCancel(ctx)
	h := &rolloutHandle{cancel: cancel}
	c.mu.Lock()
	if prev := c.inflight[key]; prev != nil {
		prev.cancel()
	}
	c.inflight[key] = h
	c.mu.Unlock()
	c.wg.Go(func() {
		defer func() {
			c.mu.Lock()
			if c.inflight[key] == h {
				delete(c.inflight, key)
			}
			c.mu.Unlock()
			cancel()
		}()
		if ctxutil.Sleep(rctx, c.o.ReconcileDelay) != nil {
			return
		}
		r := &reconcile{c: c, app: app, env: env, commit: commit, ref: ref}
		if err := r.run(rctx); err != nil && rctx.Err() == nil {
			c.emit(Event{Kind: ReconcileFailed, Commit: commit, App: app.Name, Env: env, Err: err})
		}
	})
}

// emit publishes an event without ever blocking the controller.
func (c *controller) emit(e Event) {
	c.o.Logf("demo controller: %s", e)
	select {
	case c.events <- e:
	default:
	}
}

package registry

import (
	"context"
	"errors"
	"sync"
	"time"
)

// faultTTL is how long a fault that concerns a whole registry (DNS, TLS,
// timeouts, rate limits) or repository (401, 403) keeps its references from
// asking again. A console re-reads Git often, and without it each read would
// wait out the same timeout or knock on the same rate limit; after a minute
// the next read asks again, so a registry that came back shows without a
// restart. Refresh forgets faults at once. It matches pingTTL: a registry's
// failed ping is reused for as long.
const faultTTL = time.Minute

// book keeps answers that expire: faults per registry ("host") or
// repository ("host/repo") for faultTTL, and tags the registry does not know
// ("tag host/repo:tag") for the tag TTL. Refresh empties it.
type book struct {
	mu      sync.Mutex
	entries map[string]bookEntry
}

type bookEntry struct {
	fault *Fault
	until time.Time
}

// get returns the fault kept under key, if it has not expired.
func (b *book) get(key string, now time.Time) *Fault {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.entries[key]
	if !ok || !now.Before(e.until) {
		return nil
	}
	return e.fault
}

// put keeps a fault until a time; a fault already kept and not expired
// stays, so every reference reports the first one.
func (b *book) put(key string, f *Fault, until time.Time, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.entries == nil {
		b.entries = map[string]bookEntry{}
	}
	if e, ok := b.entries[key]; ok && now.Before(e.until) {
		return
	}
	b.entries[key] = bookEntry{fault: f, until: until}
}

func (b *book) clear() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entries = nil
}

// flight runs one lookup per key at a time for the Resolver's lifetime:
// concurrent callers, from one Stream or several, wait for the lookup in
// flight and share its answer instead of asking the registry again. It keeps
// nothing once the lookup is done: answers live in the cache store.
type flight[V any] struct {
	mu    sync.Mutex
	calls map[string]*call[V]
}

type call[V any] struct {
	done    chan struct{}
	v       V
	err     error
	waiters int // callers waiting for this lookup (tests watch it)
}

func (f *flight[V]) do(ctx context.Context, key string, lookup func() (V, error)) (V, error) {
	for {
		f.mu.Lock()
		if f.calls == nil {
			f.calls = map[string]*call[V]{}
		}
		c := f.calls[key]
		if c == nil {
			c = &call[V]{done: make(chan struct{})}
			f.calls[key] = c
			f.mu.Unlock()
			c.v, c.err = lookup()
			f.mu.Lock()
			delete(f.calls, key)
			f.mu.Unlock()
			close(c.done)
			return c.v, c.err
		}
		c.waiters++
		f.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
		// The caller that asked gave up (its Stream was cancelled): that says
		// nothing about the registry, so ask again for this caller.
		if callerGaveUp(c.err) && ctx.Err() == nil {
			continue
		}
		return c.v, c.err
	}
}

// waiting returns how many callers wait for the lookup of key in flight.
func (f *flight[V]) waiting(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.calls[key]; c != nil {
		return c.waiters
	}
	return 0
}

// callerGaveUp reports an error that came from the caller's context ending,
// not from the registry (a request's own timeout wraps errTimeout).
func callerGaveUp(err error) bool {
	var f *Fault
	if errors.As(err, &f) {
		return f.callerGone
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, errTimeout)
}

// failures are the lookups that failed in one Stream (or one Tags call), so
// its other references on the same tag or digest learn it without asking
// again. They are not kept beyond it: the next Stream asks again.
type failures struct {
	mu   sync.Mutex
	errs map[string]error
}

func (f *failures) get(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.errs[key]
}

func (f *failures) put(key string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs == nil {
		f.errs = map[string]error{}
	}
	f.errs[key] = err
}

// gate lets a repository's first request go alone: if it fails for the
// whole repository (401, 403), the others learn it without asking again, so
// a repository costs one token exchange even when it is refused. Once a
// request was answered (even a 404: the credentials were accepted), the gate
// stays open for the Resolver's lifetime.
type gate struct {
	turn   chan struct{} // holds one token while a request goes alone
	opened chan struct{} // closed when the gate opens
	once   sync.Once
}

func newGate() *gate { return &gate{turn: make(chan struct{}, 1), opened: make(chan struct{})} }

func (g *gate) isOpen() bool {
	select {
	case <-g.opened:
		return true
	default:
		return false
	}
}

func (g *gate) open() { g.once.Do(func() { close(g.opened) }) }

// enter waits until the caller may send a request; leave must be called
// when its answer is in.
func (g *gate) enter(ctx context.Context) (leave func(), err error) {
	if g.isOpen() {
		return func() {}, nil
	}
	select {
	case g.turn <- struct{}{}:
		return func() { <-g.turn }, nil
	case <-g.opened:
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

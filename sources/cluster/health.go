package cluster

import (
	"context"
	"errors"
	"net/http"
	"sync"
)

// reachability follows whether one context's API server answers, from the
// requests the clients make anyway. Informers retry a refused watch on
// their own without reporting it, so this is how a dead control plane
// becomes a problem, and how its recovery clears it: push, not polling.
type reachability struct {
	mu        sync.Mutex
	err       error
	listeners map[int]func()
	next      int
}

// failure returns the transport error of the last request, or nil.
func (r *reachability) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// observe records a request's outcome and tells listeners when the state
// flips between reachable and unreachable.
func (r *reachability) observe(err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return // the caller gave up; that says nothing about the server
	}
	r.mu.Lock()
	changed := (r.err == nil) != (err == nil)
	r.err = err
	listeners := make([]func(), 0, len(r.listeners))
	for _, l := range r.listeners {
		listeners = append(listeners, l)
	}
	r.mu.Unlock()
	if changed {
		for _, l := range listeners {
			l()
		}
	}
}

// listen calls f on every flip until the returned stop is called.
func (r *reachability) listen(f func()) (stop func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.listeners == nil {
		r.listeners = map[int]func(){}
	}
	id := r.next
	r.next++
	r.listeners[id] = f
	return func() {
		r.mu.Lock()
		delete(r.listeners, id)
		r.mu.Unlock()
	}
}

// observingTransport reports every round trip to a reachability: an error
// means the server could not be reached; any response means it could.
type observingTransport struct {
	next http.RoundTripper
	seen *reachability
}

func (t *observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if req.Context().Err() == nil {
		t.seen.observe(err)
	}
	return resp, err
}

package registry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// pingTTL is how long a registry's answer to "GET /v2/" is reused.
const pingTTL = time.Minute

// pingCache answers go-containerregistry's "GET /v2/" ping once per registry
// and scheme: go-containerregistry pings before every repository's token
// exchange, but the answer (200, or 401 with the auth challenge) belongs to
// the registry. Concurrent pings wait for the first.
type pingCache struct {
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*pingEntry // "scheme://host"
}

type pingEntry struct {
	done   chan struct{}
	at     time.Time
	status int
	header http.Header
	err    error
	shared bool // false: the answer was not a challenge; each caller asks itself
}

func isPing(req *http.Request) bool {
	return req.Method == http.MethodGet && req.URL.Path == "/v2/" && req.Header.Get("Authorization") == ""
}

func (p *pingCache) roundTrip(req *http.Request, next http.RoundTripper) (*http.Response, error) {
	key := req.URL.Scheme + "://" + req.URL.Host
	p.mu.Lock()
	e := p.entries[key]
	if e != nil && e.closed() && p.now().Sub(e.at) > pingTTL {
		e = nil
	}
	if e == nil {
		e = &pingEntry{done: make(chan struct{})}
		p.entries[key] = e
		p.mu.Unlock()
		return p.ask(req, next, e)
	}
	p.mu.Unlock()
	select {
	case <-e.done:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	if !e.shared {
		return next.RoundTrip(req)
	}
	return e.response(req)
}

// ask pings for real and keeps the answer if it describes the registry.
func (p *pingCache) ask(req *http.Request, next http.RoundTripper, e *pingEntry) (*http.Response, error) {
	defer close(e.done)
	resp, err := next.RoundTrip(req)
	e.at = p.now()
	switch {
	case err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return nil, err // this caller gave up; that says nothing about the registry
	case err != nil:
		e.err, e.shared = err, true
		return nil, err
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized:
		e.status, e.header, e.shared = resp.StatusCode, resp.Header.Clone(), true
		drain(resp)
		return e.response(req)
	}
	return resp, nil
}

// forgetFailures drops failed pings, so a registry that came back is asked
// again at once (Refresh).
func (p *pingCache) forgetFailures() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, e := range p.entries {
		if e.closed() && e.err != nil {
			delete(p.entries, key)
		}
	}
}

func (e *pingEntry) closed() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

func (e *pingEntry) response(req *http.Request) (*http.Response, error) {
	if e.err != nil {
		return nil, e.err
	}
	return &http.Response{
		Status: http.StatusText(e.status), StatusCode: e.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: e.header.Clone(), Body: io.NopCloser(http.NoBody), Request: req,
	}, nil
}

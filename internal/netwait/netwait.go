// Package netwait holds the deadlines every network operation of ferry
// waits at most — Git, the registry and the API servers alike — and words
// a wait that ran out as one plain sentence naming the host.
package netwait

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// Deadlines bound the two waits a request can hang in: for a connection
// (TCP, and TLS where the transport lets ferry set it) and, once
// connected, for the answer's headers. A body that streams (a watch, a
// pack) is not bounded by them.
type Deadlines struct {
	Connect time.Duration
	Answer  time.Duration
}

// Default is what ferry waits unless told otherwise (--connect-timeout,
// --answer-timeout).
var Default = Deadlines{Connect: 15 * time.Second, Answer: 60 * time.Second}

var current atomic.Pointer[Deadlines]

// Current returns the deadlines in force.
func Current() Deadlines {
	if d := current.Load(); d != nil {
		return *d
	}
	return Default
}

// Set changes the deadlines for every source built afterwards; zero
// fields keep the default.
func Set(d Deadlines) {
	if d.Connect <= 0 {
		d.Connect = Default.Connect
	}
	if d.Answer <= 0 {
		d.Answer = Default.Answer
	}
	current.Store(&d)
}

// Apply sets the deadlines on an HTTP transport.
func (d Deadlines) Apply(tr *http.Transport) *http.Transport {
	tr.DialContext = d.Dial
	tr.TLSHandshakeTimeout = d.Connect
	tr.ResponseHeaderTimeout = d.Answer
	return tr
}

// Dial connects within the connect deadline.
func (d Deadlines) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return (&net.Dialer{Timeout: d.Connect, KeepAlive: 30 * time.Second}).DialContext(ctx, network, addr)
}

// The causes of a request Bound cut off, worded as net/http words its
// own, so Explain reads both alike.
var (
	errNoConnection = errors.New("dial tcp: i/o timeout")
	errNoHandshake  = errors.New("net/http: TLS handshake timeout")
	errNoAnswer     = errors.New("net/http: timeout awaiting response headers")
)

// Bound holds a request to the deadlines on a transport whose own timeouts
// ferry cannot set (client-go builds its own, with a 10s TLS handshake):
// Connect until the connection is ready, TLS included, then Answer until
// the response's headers. The body (a watch's stream) is not bounded.
func (d Deadlines) Bound(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		ctx, cancel := context.WithCancelCause(req.Context())
		var stage atomic.Value
		stage.Store(errNoConnection)
		timer := time.AfterFunc(d.Connect, func() { cancel(stage.Load().(error)) })
		trace := &httptrace.ClientTrace{
			TLSHandshakeStart: func() { stage.Store(errNoHandshake) },
			GotConn: func(httptrace.GotConnInfo) {
				stage.Store(errNoAnswer)
				timer.Reset(d.Answer)
			},
		}
		resp, err := next.RoundTrip(req.WithContext(httptrace.WithClientTrace(ctx, trace)))
		timer.Stop()
		if err != nil {
			cause := context.Cause(ctx)
			cancel(nil)
			if cause != nil && cause != context.Canceled && req.Context().Err() == nil {
				return nil, fmt.Errorf("%w (%w)", cause, err)
			}
			return nil, err
		}
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// cancelOnClose releases the request's context when its body is done.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel(nil)
	return err
}

// Explain words a wait that ran out, naming host and the deadline; false
// when err is no such wait.
func (d Deadlines) Explain(host string, err error) (string, bool) {
	if err == nil {
		return "", false
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "timeout awaiting response headers"):
		return fmt.Sprintf("%s accepted the connection but did not answer within %s", host, d.Answer), true
	case strings.Contains(msg, "TLS handshake timeout"):
		return fmt.Sprintf("%s accepted the connection but did not finish the TLS handshake within %s", host, d.Connect), true
	case strings.Contains(msg, "i/o timeout") && (strings.Contains(msg, "dial") || strings.Contains(msg, "connect")):
		return fmt.Sprintf("no connection to %s within %s", host, d.Connect), true
	}
	return "", false
}

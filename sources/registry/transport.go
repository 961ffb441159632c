package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/internal/netwait"
)

var (
	errPlainHTTP = errors.New("plain HTTP refused")
	errTimeout   = errors.New("request timed out")
)

// retriesExhausted is a 429 or 5xx answer ferry stopped retrying.
type retriesExhausted struct {
	status int
	tries  int
	wait   time.Duration // the Retry-After asked for, when it was too long
}

func (e *retriesExhausted) Error() string {
	return fmt.Sprintf("status %d after %d tries", e.status, e.tries)
}

// backoff retries rate limits and server errors a bounded number of times.
// Sleep is injectable so tests never wait on real time.
type backoff struct {
	Tries int           // attempts in all, including the first
	Base  time.Duration // first wait without Retry-After; doubles each time
	Max   time.Duration // longest wait ferry accepts, Retry-After included
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// wait returns how long to wait before attempt n+1 (n counts from 1), and
// false when the registry asks for more than Max.
func (b backoff) wait(resp *http.Response, n int) (time.Duration, bool) {
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), b.Now()); ok {
		return d, d <= b.Max
	}
	d := b.Base << (n - 1)
	return min(d, b.Max), true
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// transportStack builds what go-containerregistry talks through, outermost
// first: refuse plain HTTP to registries not marked insecure, ping each
// registry once, retry 429/5xx with bounded backoff, and give each attempt
// its own timeout.
func (r *Resolver) transportStack() http.RoundTripper {
	secure, insecure := r.baseTransports()
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		allowed := r.opts.Insecure(req.URL.Host)
		if req.URL.Scheme == "http" && !allowed {
			return nil, errPlainHTTP
		}
		base := secure
		if allowed {
			base = insecure
		}
		next := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return r.retry(req, withTimeout(base, r.opts.Timeout))
		})
		if isPing(req) {
			return r.pings.roundTrip(req, next)
		}
		return next.RoundTrip(req)
	})
}

func (r *Resolver) retry(req *http.Request, next http.RoundTripper) (*http.Response, error) {
	b := r.backoff
	for n := 1; ; n++ {
		resp, err := next.RoundTrip(req)
		if err != nil || !retryable(resp.StatusCode) {
			return resp, err
		}
		if n == 1 && (b.Tries == 1 || req.Body != nil && req.GetBody == nil) {
			return resp, nil // go-containerregistry turns the status into an error
		}
		if n >= b.Tries {
			drain(resp)
			return nil, &retriesExhausted{status: resp.StatusCode, tries: n}
		}
		d, ok := b.wait(resp, n)
		drain(resp)
		if !ok {
			return nil, &retriesExhausted{status: resp.StatusCode, tries: n, wait: d}
		}
		r.logf("registry %s: %d %s, retrying in %s", req.URL.Host, resp.StatusCode, http.StatusText(resp.StatusCode), d)
		if err := b.Sleep(req.Context(), d); err != nil {
			return nil, err
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// withTimeout bounds one request, body included: the deadline ends when
// the body is closed.
func withTimeout(next http.RoundTripper, timeout time.Duration) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		ctx, cancel := context.WithTimeoutCause(req.Context(), timeout, errTimeout)
		resp, err := next.RoundTrip(req.WithContext(ctx))
		if err != nil {
			if context.Cause(ctx) == errTimeout {
				err = fmt.Errorf("%w: %w", errTimeout, err)
			}
			cancel()
			return nil, err
		}
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	})
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// baseTransports returns the transport for verified TLS and the one for
// registries marked insecure (plain HTTP, or TLS without verification, as
// crane --insecure does). An injected transport serves both.
func (r *Resolver) baseTransports() (secure, insecure http.RoundTripper) {
	if r.opts.Transport != nil {
		return r.opts.Transport, r.opts.Transport
	}
	base := netwait.Current().Apply(remote.DefaultTransport.(*http.Transport).Clone())
	base.MaxIdleConnsPerHost = max(base.MaxIdleConnsPerHost, r.opts.Concurrency)
	skip := base.Clone()
	skip.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only for registries marked insecure
	return base, skip
}

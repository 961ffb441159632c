package registry

import (
	"context"
	"net/http"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"
	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/ferryhq/ferry/internal/ctxutil"
)

// Options configure a Resolver. The zero value is usable: every field has a
// default.
type Options struct {
	CacheDir    string        // default: xdg.CacheHome/ferry/registry; "-" disables the disk cache
	Concurrency int           // references resolved at once (so requests in flight); default 16
	TagTTL      time.Duration // how long a tag→digest answer is trusted; default 5 minutes
	Refresh     bool          // ignore tag→digest answers from the disk cache (digest entries never go stale)
	// Insecure reports whether plain HTTP (or unverified TLS) is allowed for
	// a registry host ("host[:port]"), as ferry.yaml's registries: insecure.
	Insecure func(host string) bool
	// Keychain finds credentials; default authn.DefaultKeychain. It is asked
	// once per registry per Resolver (again after Refresh where it failed).
	Keychain authn.Keychain
	// Transport carries the HTTP requests; tests inject fault, latency and
	// counting wrappers. Default: go-containerregistry's DefaultTransport.
	Transport http.RoundTripper
	// Logf receives debug lines (retries, cache trouble); never secrets.
	Logf func(format string, args ...any)

	Timeout     time.Duration // one HTTP request, body included; default 30s
	Tries       int           // attempts per request on 429/5xx, first included; default 4
	MaxBackoff  time.Duration // longest wait between tries, Retry-After included; default 60s
	TagPageSize int           // tags per page when listing; default 1000 (ECR's limit)

	// Now and Sleep are the clock of TTLs and backoff; tests replace them so
	// they never wait on real time.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

const defaultCacheSubdir = "ferry/registry"

func (o Options) withDefaults() Options {
	if o.CacheDir == "" {
		o.CacheDir = filepath.Join(xdg.CacheHome, defaultCacheSubdir)
	}
	if o.CacheDir == "-" {
		o.CacheDir = ""
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.TagTTL <= 0 {
		o.TagTTL = 5 * time.Minute
	}
	if o.Insecure == nil {
		o.Insecure = func(string) bool { return false }
	}
	if o.Keychain == nil {
		o.Keychain = authn.DefaultKeychain
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Tries <= 0 {
		o.Tries = 4
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.TagPageSize <= 0 {
		o.TagPageSize = 1000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = ctxutil.Sleep
	}
	return o
}

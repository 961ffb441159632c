package registry

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/model"
)

// Resolver turns declared image references into registry facts. It is
// meant to live as long as the console: it keeps one client per registry
// (credentials asked once, token exchanges shared by up to 50 repositories) and remembers
// what it learned (see Stream), so asking again about the same references
// costs no request.
type Resolver struct {
	opts      Options
	backoff   backoff
	transport http.RoundTripper
	pings     *pingCache

	cache     *cacheStore      // digest → artifact for ever, tag → digest for the TTL
	faults    book             // registry- and repository-wide faults, unknown tags
	tags      flight[string]   // "host/repo:tag" lookups in flight
	artifacts flight[artifact] // "host/repo@digest" lookups in flight

	mu      sync.Mutex
	clients map[string]*client     // by registry host
	gates   map[string]*gate       // by "host/repo"
	batches map[string]*tokenBatch // by "host/repo": repositories sharing a token
}

// client is everything ferry needs to talk to one registry.
type client struct {
	once   sync.Once
	auth   authn.Authenticator
	puller *remote.Puller
	fault  *Fault      // the keychain failed: every reference on it fails alike
	failed atomic.Bool // fault is set; Refresh asks the keychain again
}

// Results are the facts and problems of one Resolve, keyed by
// model.ImageRef.String(). A reference can have both: facts from its digest
// and a problem with its tag.
type Results struct {
	Facts    map[string]model.RegistryFacts
	Problems map[string][]model.Problem // Source "registry"
	Faults   map[string][]*Fault        // the same problems, typed
}

// New builds a Resolver; see Options for the defaults.
func New(o Options) *Resolver {
	o = o.withDefaults()
	r := &Resolver{
		opts:    o,
		backoff: backoff{Tries: o.Tries, Base: 500 * time.Millisecond, Max: o.MaxBackoff, Now: o.Now, Sleep: o.Sleep},
		pings:   &pingCache{now: o.Now, entries: map[string]*pingEntry{}},
		cache:   newCacheStore(o.CacheDir, o.Logf),
		clients: map[string]*client{},
		gates:   map[string]*gate{},
		batches: map[string]*tokenBatch{},
	}
	if o.Refresh {
		r.cache.forgetTags() // what earlier runs wrote is not trusted; this one's answers are
	}
	r.transport = r.transportStack()
	return r
}

// Refresh forgets tag answers and faults, so the next Stream asks the
// registries again (with HEAD where the artifact a tag named is known) and
// reads credentials again where the keychain failed. What digests name is
// kept: it never changes.
func (r *Resolver) Refresh() {
	r.cache.forgetTags()
	r.faults.clear()
	r.pings.forgetFailures()
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, b := range r.batches {
		if b.exchanged() && b.puller == nil {
			delete(r.batches, key) // a refused exchange may work now
		}
	}
	for host, c := range r.clients {
		if c.failed.Load() {
			delete(r.clients, host)
		}
	}
}

func (r *Resolver) logf(format string, args ...any) { r.opts.Logf(format, args...) }

// repository parses a repository the way registries see it, allowing plain
// HTTP only where the configuration says so.
func (r *Resolver) repository(repo string) (name.Repository, *Fault) {
	parsed, err := name.NewRepository(repo, name.WeakValidation)
	if err != nil {
		return name.Repository{}, &Fault{Kind: FaultInvalid, Message: "registry: cannot read repository " + repo + ": " + err.Error()}
	}
	if r.opts.Insecure(parsed.RegistryStr()) {
		parsed, _ = name.NewRepository(repo, name.WeakValidation, name.Insecure)
	}
	return parsed, nil
}

// client returns the registry's client, resolving its credentials once.
func (r *Resolver) client(ctx context.Context, reg name.Registry) *client {
	r.mu.Lock()
	c, ok := r.clients[reg.RegistryStr()]
	if !ok {
		c = &client{}
		r.clients[reg.RegistryStr()] = c
	}
	r.mu.Unlock()
	c.once.Do(func() {
		c.auth, c.puller, c.fault = r.newPuller(ctx, reg)
		c.failed.Store(c.fault != nil)
	})
	return c
}

func (r *Resolver) newPuller(ctx context.Context, reg name.Registry) (authn.Authenticator, *remote.Puller, *Fault) {
	host := reg.RegistryStr()
	auth, err := authn.Resolve(ctx, r.opts.Keychain, reg)
	if err != nil {
		return nil, nil, &Fault{Kind: FaultCredentials, Registry: host,
			Message: "registry " + host + ": cannot read credentials from the docker config or credential helper: " + redactError(err)}
	}
	p, err := remote.NewPuller(r.pullerOptions(auth, r.transport)...)
	if err != nil {
		return nil, nil, &Fault{Kind: FaultOther, Registry: host, Message: "registry " + host + ": " + redactError(err)}
	}
	return auth, p, nil
}

// pullerOptions are every puller's: ferry's transport, no retries of
// go-containerregistry's own, ferry's page size and concurrency.
func (r *Resolver) pullerOptions(auth authn.Authenticator, tr http.RoundTripper) []remote.Option {
	return []remote.Option{
		remote.WithAuth(auth),
		remote.WithTransport(tr),
		// ferry retries itself (bounded, Retry-After aware, injectable clock).
		remote.WithRetryStatusCodes(),
		remote.WithRetryPredicate(func(error) bool { return false }),
		remote.WithPageSize(r.opts.TagPageSize),
		// The Puller lets 4 blob GETs run at once by default, which made config
		// blobs (labels) queue behind each other; ferry bounds its own work.
		remote.WithJobs(r.opts.Concurrency),
		remote.WithUserAgent("ferry"),
	}
}

// Resolve returns facts and problems for the references, each distinct
// reference resolved once, at most Concurrency at a time. It is Stream,
// drained.
func (r *Resolver) Resolve(ctx context.Context, refs []model.ImageRef) Results {
	res := Results{
		Facts:    map[string]model.RegistryFacts{},
		Problems: map[string][]model.Problem{},
		Faults:   map[string][]*Fault{},
	}
	r.Stream(ctx, refs, func(b Batch) {
		maps.Copy(res.Facts, b.Facts)
		maps.Copy(res.Problems, b.Problems)
		maps.Copy(res.Faults, b.Faults)
	})
	return res
}

// gate returns a repository's gate ("host/repo").
func (r *Resolver) gate(key string) *gate {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.gates[key]
	if g == nil {
		g = newGate()
		r.gates[key] = g
	}
	return g
}

// gateOpen reports whether a repository has answered a request already.
func (r *Resolver) gateOpen(key string) bool {
	r.mu.Lock()
	g := r.gates[key]
	r.mu.Unlock()
	return g != nil && g.isOpen()
}

// schedule dedupes the references and deals them round-robin across
// repositories, so the first requests open many repositories at once
// instead of queueing behind one repository's token exchange.
func schedule(refs []model.ImageRef) []model.ImageRef {
	seen := map[string]bool{}
	byRepo := map[string][]model.ImageRef{}
	var repos []string
	for _, ref := range refs {
		if ref.IsZero() || seen[ref.String()] {
			continue
		}
		seen[ref.String()] = true
		if byRepo[ref.Repository] == nil {
			repos = append(repos, ref.Repository)
		}
		byRepo[ref.Repository] = append(byRepo[ref.Repository], ref)
	}
	var out []model.ImageRef
	for round := 0; len(out) < len(seen); round++ {
		for _, repo := range repos {
			if round < len(byRepo[repo]) {
				out = append(out, byRepo[repo][round])
			}
		}
	}
	return out
}

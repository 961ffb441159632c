package registry

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/model"
)

// Resolver turns declared image references into registry facts. It keeps one
// client per registry for its lifetime (credentials asked once, one token
// exchange per repository); build one per ferry run.
type Resolver struct {
	opts      Options
	backoff   backoff
	transport http.RoundTripper

	mu      sync.Mutex
	clients map[string]*client // by registry host
}

// client is everything ferry needs to talk to one registry.
type client struct {
	once   sync.Once
	puller *remote.Puller
	fault  *Fault // the keychain failed: every reference on it fails alike
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
		clients: map[string]*client{},
	}
	r.transport = r.transportStack()
	return r
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
	c.once.Do(func() { c.puller, c.fault = r.newPuller(ctx, reg) })
	return c
}

func (r *Resolver) newPuller(ctx context.Context, reg name.Registry) (*remote.Puller, *Fault) {
	host := reg.RegistryStr()
	auth, err := authn.Resolve(ctx, r.opts.Keychain, reg)
	if err != nil {
		return nil, &Fault{Kind: FaultCredentials, Registry: host,
			Message: "registry " + host + ": cannot read credentials from the docker config or credential helper: " + redactError(err)}
	}
	p, err := remote.NewPuller(
		remote.WithAuth(auth),
		remote.WithTransport(r.transport),
		// ferry retries itself (bounded, Retry-After aware, injectable clock).
		remote.WithRetryStatusCodes(),
		remote.WithRetryPredicate(func(error) bool { return false }),
		remote.WithPageSize(r.opts.TagPageSize),
		remote.WithUserAgent("ferry"),
	)
	if err != nil {
		return nil, &Fault{Kind: FaultOther, Registry: host, Message: "registry " + host + ": " + redactError(err)}
	}
	return p, nil
}

// Resolve returns facts and problems for the references, each distinct
// reference resolved once, at most Concurrency at a time.
func (r *Resolver) Resolve(ctx context.Context, refs []model.ImageRef) Results {
	res := Results{
		Facts:    map[string]model.RegistryFacts{},
		Problems: map[string][]model.Problem{},
		Faults:   map[string][]*Fault{},
	}
	work := schedule(refs)
	run := newRun(r)
	var mu sync.Mutex
	jobs := make(chan model.ImageRef)
	var wg sync.WaitGroup
	for range min(r.opts.Concurrency, len(work)) {
		wg.Go(func() {
			for ref := range jobs {
				facts, faults := run.resolve(ctx, ref)
				mu.Lock()
				res.add(ref.String(), facts, faults)
				mu.Unlock()
			}
		})
	}
	for _, ref := range work {
		jobs <- ref
	}
	close(jobs)
	wg.Wait()
	run.cache.flush(r.opts.TagTTL, r.opts.Now())
	return res
}

func (res *Results) add(key string, facts *model.RegistryFacts, faults []*Fault) {
	if facts != nil {
		res.Facts[key] = *facts
	}
	for _, f := range faults {
		res.Faults[key] = append(res.Faults[key], f)
		res.Problems[key] = append(res.Problems[key], f.Problem())
	}
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

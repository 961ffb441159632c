package registry

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ferryhq/ferry/model"
)

// run is the state of one Resolve (or one Tags): what this run already
// looked up, so references sharing a tag or a digest cost one request, and
// which registries or repositories already failed in a way that concerns
// all their references.
type run struct {
	r         *Resolver
	cache     *cacheStore
	tags      memo[string]   // "host/repo:tag" → digest
	artifacts memo[artifact] // "host/repo@digest" → artifact

	mu      sync.Mutex
	blocked map[string]*Fault // "host" or "host/repo"
	gates   map[string]*gate  // "host/repo"
}

// gate lets a repository's first request go alone: if it fails for the
// whole repository (401, 403), the others learn it without asking again,
// so a repository costs one token exchange even when it is refused.
type gate struct {
	mu     sync.Mutex
	opened atomic.Bool
}

func newRun(r *Resolver) *run {
	return &run{r: r, cache: newCacheStore(r.opts.CacheDir, r.opts.Logf),
		blocked: map[string]*Fault{}, gates: map[string]*gate{}}
}

// request runs one request (or one go-containerregistry call) on a
// repository, unless a fault already concerns it; errors come back as faults.
func (run *run) request(t target, object string, do func() error) error {
	run.mu.Lock()
	g := run.gates[t.key()]
	if g == nil {
		g = &gate{}
		run.gates[t.key()] = g
	}
	run.mu.Unlock()
	if !g.opened.Load() {
		g.mu.Lock()
		if g.opened.Load() {
			g.mu.Unlock() // opened while we waited: go on side by side
		} else {
			defer g.mu.Unlock()
		}
	}
	if f := run.blockedBy(t); f != nil {
		return f
	}
	if err := do(); err != nil {
		return run.fail(err, t, object)
	}
	g.opened.Store(true)
	return nil
}

// target is one repository on one registry, ready for requests.
type target struct {
	repo   name.Repository
	host   string // "ghcr.io"
	path   string // "shop/payments"
	client *client
}

// key names the repository in caches and memos: "host/repo".
func (t target) key() string { return t.host + "/" + t.path }

func (t target) what(object string) what { return what{host: t.host, repo: t.path, object: object} }

// open prepares a repository, or returns the fault that already concerns it.
func (run *run) open(ctx context.Context, repository string) (target, *Fault) {
	repo, fault := run.r.repository(repository)
	if fault != nil {
		return target{}, fault
	}
	t := target{repo: repo, host: repo.RegistryStr(), path: repo.RepositoryStr()}
	if f := run.blockedBy(t); f != nil {
		return t, f
	}
	t.client = run.r.client(ctx, repo.Registry)
	if t.client.fault != nil {
		return t, t.client.fault
	}
	return t, nil
}

func (run *run) blockedBy(t target) *Fault {
	run.mu.Lock()
	defer run.mu.Unlock()
	if f := run.blocked[t.host]; f != nil {
		return f
	}
	return run.blocked[t.key()]
}

// fail classifies an error and remembers faults that concern more than the
// one request, so the run does not repeat them.
func (run *run) fail(err error, t target, object string) *Fault {
	if f, ok := err.(*Fault); ok {
		return f // classified and remembered already
	}
	f := classify(err, t.what(object))
	run.mu.Lock()
	defer run.mu.Unlock()
	switch {
	case f.registryWide() && run.blocked[t.host] == nil:
		run.blocked[t.host] = f
	case f.repositoryWide() && run.blocked[t.key()] == nil:
		run.blocked[t.key()] = f
	}
	run.r.logf("registry %s: %s (%s)", t.host, f.Kind, t.path)
	return f
}

// resolve finds the facts of one declared reference. Facts describe the
// artifact the declaration pins: its digest when it has one, else what its
// tag resolves to now.
func (run *run) resolve(ctx context.Context, ref model.ImageRef) (*model.RegistryFacts, []*Fault) {
	t, fault := run.open(ctx, ref.Repository)
	if fault != nil {
		return nil, []*Fault{fault}
	}
	var faults []*Fault
	tag := ref.Tag
	if tag == "" && ref.Digest == "" {
		tag = "latest" // what a runtime pulls for a bare name
	}
	var tagDigest string
	if tag != "" {
		d, err := run.tagDigest(ctx, t, tag)
		if err != nil {
			faults = append(faults, run.fail(err, t, "tag "+tag))
			if ref.Digest == "" {
				return nil, faults
			}
		}
		tagDigest = d
	}
	digest := ref.Digest
	if digest == "" {
		digest = tagDigest
	}
	facts := &model.RegistryFacts{Digest: digest}
	art, err := run.artifact(ctx, t, digest)
	if err != nil {
		return facts, addFault(faults, run.fail(err, t, "digest "+model.ShortDigest(digest)))
	}
	art.fill(facts)
	if ref.Digest != "" && tagDigest != "" {
		facts.TagDigest = tagDigest
		if fault := run.compareTag(ctx, t, facts, ref.Digest, tagDigest); fault != nil {
			faults = append(faults, fault)
		}
	}
	return facts, faults
}

// addFault appends a fault unless the same one (a registry-wide fault met
// twice) is there already.
func addFault(faults []*Fault, f *Fault) []*Fault {
	for _, have := range faults {
		if have == f {
			return faults
		}
	}
	return append(faults, f)
}

// compareTag decides between "tag moved" and "pinned to one platform of the
// index the tag names" when a declaration's tag and digest disagree.
func (run *run) compareTag(ctx context.Context, t target, facts *model.RegistryFacts, pinned, tagDigest string) *Fault {
	if pinned == tagDigest {
		return nil
	}
	tagArt, err := run.artifact(ctx, t, tagDigest)
	if err != nil {
		facts.TagMoved = true
		return run.fail(err, t, "digest "+model.ShortDigest(tagDigest))
	}
	if tagArt.hasChild(pinned) {
		facts.PlatformOf = tagDigest
		return nil
	}
	facts.TagMoved = true
	return nil
}

func (a artifact) fill(f *model.RegistryFacts) {
	f.Index = a.Index
	f.Platforms = a.Platforms
	f.Version, f.Revision, f.Source, f.Created = a.Version, a.Revision, a.Source, a.Created
}

func (a artifact) hasChild(digest string) bool {
	for _, child := range a.Platforms {
		if child == digest {
			return true
		}
	}
	return false
}

// memo runs a lookup once per key for the run's lifetime; concurrent callers
// of the same key wait for the first and share its answer.
type memo[V any] struct {
	mu      sync.Mutex
	entries map[string]*memoEntry[V]
}

type memoEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

func (m *memo[V]) do(key string, lookup func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry[V]{}
	}
	e, ok := m.entries[key]
	if !ok {
		e = &memoEntry[V]{}
		m.entries[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v, e.err = lookup() })
	return e.v, e.err
}

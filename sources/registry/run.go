package registry

import (
	"context"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/model"
)

// run is one Stream's (or one Tags call's) way of asking: what the Resolver
// knows comes from its memory, the rest from the registries. An offline run
// asks nothing: it answers what is known and marks the rest with
// errNeedsRequest, so Stream can deliver cached answers at once.
type run struct {
	r       *Resolver
	offline bool
	failed  failures // "host/repo:tag" or "host/repo@digest" → error, this run only
}

// errNeedsRequest marks, in an offline run, a reference that needs a request.
// It never reaches a caller.
var errNeedsRequest = &Fault{Kind: FaultOther, Message: "registry: needs a request"}

func newRun(r *Resolver, offline bool) *run { return &run{r: r, offline: offline} }

// unasked is what an offline run answers for a lookup it does not know: the
// fault that keeps the repository from being asked, if one is kept (that is
// known), else errNeedsRequest.
func (run *run) unasked(t target) error {
	if f := run.r.blockedBy(t); f != nil {
		return f
	}
	return errNeedsRequest
}

// request runs one request (or one go-containerregistry call) on a
// repository, unless a fault already concerns it; errors come back as faults.
func (run *run) request(ctx context.Context, t target, object string, do func(*remote.Puller) error) error {
	if run.offline {
		return run.unasked(t)
	}
	if f := run.r.blockedBy(t); f != nil {
		return f
	}
	c := run.r.client(ctx, t.repo.Registry)
	if c.fault != nil {
		return c.fault
	}
	g := run.r.gate(t.key())
	leave, err := g.enter(ctx)
	if err != nil {
		return run.fail(ctx, err, t, object)
	}
	defer leave()
	if f := run.r.blockedBy(t); f != nil {
		return f // learnt while this request waited at the gate
	}
	if err := do(run.r.pullerFor(ctx, c, t)); err != nil {
		f := run.fail(ctx, err, t, object)
		if !f.registryWide() && !f.repositoryWide() && !f.callerGone {
			g.open() // the repository answered: the credentials work
		}
		return f
	}
	g.open()
	return nil
}

// target is one repository on one registry, ready for requests.
type target struct {
	repo name.Repository
	host string // "ghcr.io"
	path string // "shop/payments"
}

// key names the repository in caches and memos: "host/repo".
func (t target) key() string { return t.host + "/" + t.path }

func (t target) what(object string) what { return what{host: t.host, repo: t.path, object: object} }

// open names a repository; its client is made at its first request, so
// answers from memory never touch the keychain.
func (run *run) open(repository string) (target, *Fault) {
	repo, fault := run.r.repository(repository)
	if fault != nil {
		return target{}, fault
	}
	return target{repo: repo, host: repo.RegistryStr(), path: repo.RepositoryStr()}, nil
}

// blockedBy returns the fault that concerns the target's whole registry or
// repository, if one is still kept.
func (r *Resolver) blockedBy(t target) *Fault {
	now := r.opts.Now()
	if f := r.faults.get(t.host, now); f != nil {
		return f
	}
	return r.faults.get(t.key(), now)
}

// fail classifies an error and keeps faults that concern more than the one
// request for faultTTL, so neither this Stream nor the next few repeat them.
// A caller that gave up (ctx done) says nothing about the registry.
func (run *run) fail(ctx context.Context, err error, t target, object string) *Fault {
	if f, ok := err.(*Fault); ok {
		return f // classified and kept already
	}
	f := classify(err, t.what(object))
	if ctx.Err() != nil {
		f.callerGone = true
		return f
	}
	now := run.r.opts.Now()
	switch {
	case f.registryWide():
		run.r.faults.put(t.host, f, now.Add(faultTTL), now)
	case f.repositoryWide():
		run.r.faults.put(t.key(), f, now.Add(faultTTL), now)
	}
	run.r.logf("registry %s: %s (%s)", t.host, f.Kind, t.path)
	return f
}

// resolve finds the facts of one declared reference. Facts describe the
// artifact the declaration pins: its digest when it has one, else what its
// tag resolves to now.
func (run *run) resolve(ctx context.Context, ref model.ImageRef) (*model.RegistryFacts, []*Fault) {
	t, fault := run.open(ref.Repository)
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
		d, err := run.tagDigest(ctx, t, tag, ref.Digest)
		if err != nil {
			faults = append(faults, run.fail(ctx, err, t, "tag "+tag))
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
		return facts, addFault(faults, run.fail(ctx, err, t, "digest "+model.ShortDigest(digest)))
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
		return run.fail(ctx, err, t, "digest "+model.ShortDigest(tagDigest))
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

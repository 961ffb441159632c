package registry

import (
	"context"
	"errors"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/ferryhq/ferry/model"
)

// tagDigest resolves a tag: from memory while the answer is younger than
// the TTL (a missing tag is an answer too), else by asking — once, however
// many references and Streams want it at the same time. pinned is the digest
// Git declares next to the tag, if any: a hint for asking cheaply.
func (run *run) tagDigest(ctx context.Context, t target, tag, pinned string) (string, error) {
	key := t.key() + ":" + tag
	o := run.r.opts
	if d, fresh := run.r.cache.tag(t.key(), tag, o.TagTTL, o.Now()); fresh {
		return d, nil
	}
	if f := run.r.faults.get("tag "+key, o.Now()); f != nil {
		return "", f
	}
	if err := run.failed.get(key); err != nil {
		return "", err
	}
	if run.offline {
		return "", run.unasked(t)
	}
	d, err := run.r.tags.do(ctx, key, func() (string, error) {
		if d, fresh := run.r.cache.tag(t.key(), tag, o.TagTTL, o.Now()); fresh {
			return d, nil // answered while this caller waited for its turn
		}
		return run.askTag(ctx, t, tag, pinned)
	})
	if err != nil {
		run.failed.put(key, err)
	}
	return d, err
}

// askTag asks the registry what a tag names now. When the digest the tag
// named before (or the one Git pins) is a known artifact, a HEAD suffices: if
// the tag did not move nothing more is needed, and Docker Hub does not count
// HEADs against its pull limit. Otherwise one GET by tag answers both the
// digest and the manifest, where HEAD + GET by digest would take two.
func (run *run) askTag(ctx context.Context, t target, tag, pinned string) (string, error) {
	ref := t.repo.Tag(tag)
	var d string
	var err error
	if run.headSuffices(t, tag, pinned) {
		d, err = run.headTag(ctx, t, ref)
	} else {
		d, err = run.getTag(ctx, t, ref)
	}
	o := run.r.opts
	if err != nil {
		f := run.fail(ctx, err, t, "tag "+tag)
		if f.Kind == FaultNotFound {
			// Kept like an answer: a console re-reading Git asks again after the TTL.
			run.r.faults.put("tag "+t.key()+":"+tag, f, o.Now().Add(o.TagTTL), o.Now())
		}
		return "", f
	}
	run.r.cache.putTag(t.key(), tag, d, o.Now())
	return d, nil
}

func (run *run) headSuffices(t target, tag, pinned string) bool {
	last, _ := run.r.cache.tag(t.key(), tag, 0, run.r.opts.Now())
	for _, d := range []string{last, pinned} {
		if d == "" {
			continue
		}
		if _, ok := run.r.cache.artifact(t.key(), d); ok {
			return true
		}
	}
	return false
}

func (run *run) headTag(ctx context.Context, t target, ref name.Tag) (string, error) {
	var d string
	var got *remote.Descriptor
	err := run.request(ctx, t, "tag "+ref.TagStr(), func(p *remote.Puller) error {
		desc, err := p.Head(ctx, ref)
		if err == nil {
			d = desc.Digest.String()
			return nil
		}
		if !incompleteHead(err) {
			return err
		}
		// Some registries leave headers out of HEAD answers; GET has them.
		got, err = p.Get(ctx, ref)
		return err
	})
	if err != nil || got == nil {
		return d, err
	}
	run.keepArtifact(ctx, t, got)
	return got.Digest.String(), nil
}

// getTag fetches a tag's manifest: its digest, and the artifact it names,
// kept so the reference needs no GET by digest.
func (run *run) getTag(ctx context.Context, t target, ref name.Tag) (string, error) {
	var got *remote.Descriptor
	err := run.request(ctx, t, "tag "+ref.TagStr(), func(p *remote.Puller) (err error) {
		got, err = p.Get(ctx, ref)
		return err
	})
	if err != nil {
		return "", err
	}
	run.keepArtifact(ctx, t, got)
	return got.Digest.String(), nil
}

// incompleteHead reports a HEAD answer that was not an HTTP error but
// lacked the headers go-containerregistry needs.
func incompleteHead(err error) bool {
	var terr *transport.Error
	return !errors.As(err, &terr) && strings.Contains(err.Error(), "response did not include")
}

// keepArtifact reads the artifact of a manifest fetched by tag, sharing the
// digest's lookup with any reference that fetches it by digest meanwhile. A
// failure (its config blob, say) is the digest's, not the tag's: it is kept
// for this run's references on that digest.
func (run *run) keepArtifact(ctx context.Context, t target, desc *remote.Descriptor) {
	digest := desc.Digest.String()
	key := t.key() + "@" + digest
	_, err := run.r.artifacts.do(ctx, key, func() (artifact, error) {
		if a, ok := run.r.cache.artifact(t.key(), digest); ok {
			return a, nil
		}
		a, err := run.readArtifact(ctx, t, desc, 0)
		if err == nil {
			run.r.cache.putArtifact(t.key(), digest, a)
		}
		return a, err
	})
	if err != nil {
		run.failed.put(key, err)
	}
}

// artifact returns what a digest names: from memory (or the disk cache),
// else fetched once and kept for the Resolver's lifetime.
func (run *run) artifact(ctx context.Context, t target, digest string) (artifact, error) {
	return run.artifactAt(ctx, t, digest, 0)
}

func (run *run) artifactAt(ctx context.Context, t target, digest string, depth int) (artifact, error) {
	if a, ok := run.r.cache.artifact(t.key(), digest); ok {
		return a, nil
	}
	key := t.key() + "@" + digest
	if err := run.failed.get(key); err != nil {
		return artifact{}, err
	}
	if run.offline {
		return artifact{}, run.unasked(t)
	}
	a, err := run.r.artifacts.do(ctx, key, func() (artifact, error) {
		if a, ok := run.r.cache.artifact(t.key(), digest); ok {
			return a, nil
		}
		a, err := run.fetchArtifact(ctx, t, digest, depth)
		if err == nil {
			run.r.cache.putArtifact(t.key(), digest, a)
		}
		return a, err
	})
	if err != nil {
		run.failed.put(key, err)
	}
	return a, err
}

func (run *run) fetchArtifact(ctx context.Context, t target, digest string, depth int) (artifact, error) {
	var desc *remote.Descriptor
	err := run.request(ctx, t, "digest "+model.ShortDigest(digest), func(p *remote.Puller) (err error) {
		desc, err = p.Get(ctx, t.repo.Digest(digest))
		return err
	})
	if err != nil {
		return artifact{}, err
	}
	return run.readArtifact(ctx, t, desc, depth)
}

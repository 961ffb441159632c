package registry

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/ferryhq/ferry/model"
)

// tokenBatchSize bounds the repositories one token is asked for: a token
// request names each scope in its URL, and token servers cap URL length.
const tokenBatchSize = 50

// tokenBatch is a set of repositories on one registry that share one
// token exchange: go-containerregistry asks a token per repository, which
// cost a world of 300 repositories 300 round trips before its first
// manifest. The batch asks once for all of them.
type tokenBatch struct {
	reg    name.Registry
	scopes []string
	once   sync.Once
	done   atomic.Bool
	puller *remote.Puller // nil: the exchange failed; the registry's own puller asks per repository
}

// exchanged reports whether the batch's token exchange has run.
func (b *tokenBatch) exchanged() bool { return b.done.Load() }

// shareTokens groups the repositories the references name, per registry,
// into batches that share a token, unless a batch already holds them.
func (r *Resolver) shareTokens(refs []model.ImageRef) {
	r.mu.Lock()
	defer r.mu.Unlock()
	open := map[string]*tokenBatch{} // by registry host: the batch being filled
	for _, ref := range refs {
		repo, fault := r.repository(ref.Repository)
		if fault != nil {
			continue // reported where the reference is asked
		}
		t := target{repo: repo, host: repo.RegistryStr(), path: repo.RepositoryStr()}
		if _, ok := r.batches[t.key()]; ok {
			continue
		}
		b := open[t.host]
		if b == nil || len(b.scopes) == tokenBatchSize {
			b = &tokenBatch{reg: t.repo.Registry}
			open[t.host] = b
		}
		b.scopes = append(b.scopes, t.repo.Scope(transport.PullScope))
		r.batches[t.key()] = b
	}
}

// pullerFor returns the puller for a repository: its batch's, which
// carries a token for the whole batch, else the registry's.
func (r *Resolver) pullerFor(ctx context.Context, c *client, t target) *remote.Puller {
	r.mu.Lock()
	b := r.batches[t.key()]
	r.mu.Unlock()
	if b == nil {
		return c.puller
	}
	b.once.Do(func() {
		b.puller = r.batchPuller(ctx, c, b)
		b.done.Store(true)
	})
	if b.puller == nil {
		return c.puller
	}
	return b.puller
}

// batchPuller exchanges one token for every scope of the batch and builds a
// puller on it. A registry that refuses the exchange (or needs no token)
// gets nil: the per-repository path stays, and its errors are reported
// there, where they name the repository.
func (r *Resolver) batchPuller(ctx context.Context, c *client, b *tokenBatch) *remote.Puller {
	if len(b.scopes) < 2 {
		return nil
	}
	tr, err := transport.NewWithContext(ctx, b.reg, c.auth, r.transport, b.scopes)
	if err != nil {
		r.logf("registry %s: one token for %d repositories refused (%v); asking per repository", b.reg.RegistryStr(), len(b.scopes), redactError(err))
		return nil
	}
	p, err := remote.NewPuller(r.pullerOptions(authn.Anonymous, tr)...)
	if err != nil {
		return nil
	}
	return p
}

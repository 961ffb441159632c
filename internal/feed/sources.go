package feed

import (
	"context"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/registry"
)

// Resolver streams a registry.Resolver's answers as model updates. Keep
// one for the feed's life: it never asks twice for what it already knows.
type Resolver struct{ R *registry.Resolver }

// Stream resolves the references; see Registry.
func (a Resolver) Stream(ctx context.Context, refs []model.ImageRef, emit func(model.RegistryUpdate)) {
	a.R.Stream(ctx, refs, func(b registry.Batch) {
		emit(model.RegistryUpdate{Facts: b.Facts, Problems: b.Problems, Done: b.Done, Total: b.Total})
	})
}

// Refresh forgets tag answers and failures; digest facts stay.
func (a Resolver) Refresh() { a.R.Refresh() }

// Tags lists a repository's tag names, newest first.
func (a Resolver) Tags(ctx context.Context, repository string) ([]string, error) {
	tags, err := a.R.Tags(ctx, repository)
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t.Name
	}
	return names, err
}

// The cluster source follows targets as the feed needs.
var _ Clusters = (*cluster.Source)(nil)

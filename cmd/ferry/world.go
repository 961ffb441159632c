package main

import (
	"context"
	"io"

	"github.com/spf13/pflag"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/registry"
)

// sourceFlags choose and tune the sources.
type sourceFlags struct {
	sources     []string
	refresh     bool
	concurrency int
}

func (f *sourceFlags) register(fs *pflag.FlagSet) {
	fs.StringSliceVar(&f.sources, "sources", []string{"git", "registry"},
		"sources to read: git, registry, cluster (comma list)")
	fs.BoolVar(&f.refresh, "refresh", false, "ask the registry again for tags resolved in the last minutes")
	fs.IntVar(&f.concurrency, "registry-concurrency", 16, "registry requests in flight at once")
}

// loadWorld reads every chosen source once and merges their facts.
func loadWorld(ctx context.Context, rf *repoFlags, sf *sourceFlags, _ io.Writer) (*model.World, error) {
	use, err := sourceList(sf.sources)
	if err != nil {
		return nil, err
	}
	_, tree, err := rf.open(ctx)
	if err != nil {
		return nil, err
	}
	res := gitops.Read(tree)
	w := &model.World{
		Environments: res.Environments,
		Apps:         res.Apps,
		Declared:     res.Declared,
		Problems:     res.Problems,
	}
	if use["registry"] {
		readRegistry(ctx, w, res.Config, sf)
	}
	return w, nil
}

// readRegistry resolves every declared reference once.
func readRegistry(ctx context.Context, w *model.World, cfg *model.Config, sf *sourceFlags) {
	resolver := registry.New(registry.Options{
		Refresh:     sf.refresh,
		Concurrency: sf.concurrency,
		Insecure:    cfg.Insecure,
		Logf:        logf(),
	})
	refs := make([]model.ImageRef, 0, len(w.Declared))
	for _, d := range w.Declared {
		refs = append(refs, d.Ref)
	}
	results := resolver.Resolve(ctx, refs)
	w.Registry, w.RegistryProblems = results.Facts, results.Problems
}

package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ferryhq/ferry/internal/planstore"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/registry"
)

// newReleaser previews and commits plans on the repo the feed reads, with
// the feed's registry resolver (which already knows most digests) to
// check what is written.
func newReleaser(repo *gitops.Repo, ref string, reg *registry.Resolver) *release.Releaser {
	r := &release.Releaser{Repo: repo, Ref: ref, Read: gitops.Read}
	if reg != nil {
		r.Describe = func(ctx context.Context, refs []model.ImageRef) (map[string]model.RegistryFacts, map[string][]model.Problem) {
			res := reg.Resolve(ctx, refs)
			return res.Facts, res.Problems
		}
	}
	return r
}

// restorePlan reads the plan a previous console left staged for this
// repo, and says so; a plan file ferry cannot read is named and kept.
func restorePlan(store *planstore.Store, origin string) (model.Plan, []string) {
	empty := model.Plan{Repo: origin}
	if store == nil {
		return empty, nil
	}
	plan, saved, err := store.Load()
	switch {
	case err != nil:
		return empty, []string{err.Error()}
	case plan.Empty():
		return empty, nil
	}
	plan.Repo = origin
	return plan, []string{fmt.Sprintf("restored %d staged change(s) from %s (s reviews, u unstages)", len(plan.Changes), saved.Local().Format(time.DateTime))}
}

// errNoTerminal: a command that would commit asks first, and cannot ask.
var errNoTerminal = errors.New("no terminal to confirm on: pass --yes to commit without asking, or --dry-run to see the change")

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
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/sources/registry"
	"github.com/ferryhq/ferry/ui"
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

// consoleReleaser is the console's ui.Releaser: release previews and
// commits (pushing to the branch's upstream), planstore keeps the staged
// plan on disk between key presses.
type consoleReleaser struct {
	rel   *release.Releaser
	store *planstore.Store // nil: the plan lives only as long as the console
}

func (c consoleReleaser) Preview(ctx context.Context, plan model.Plan) (ui.Review, error) {
	p, err := c.rel.Preview(ctx, plan)
	if err != nil {
		return ui.Review{}, err
	}
	return ui.Review{Base: p.Base, Diff: p.Diff, Blocking: p.Blocking, Notes: p.Notes}, nil
}

func (c consoleReleaser) Commit(ctx context.Context, plan model.Plan, msg ui.CommitMessage) (ui.CommitResult, error) {
	res, err := c.rel.Commit(ctx, plan, release.Message(msg), gitwrite.Options{Push: true})
	if err != nil {
		return ui.CommitResult{}, err
	}
	return ui.CommitResult{Commit: res.Commit, Branch: res.Branch, CompareURL: res.CompareURL, Pushed: res.Pushed, Notes: res.Notes}, nil
}

func (c consoleReleaser) Save(plan model.Plan) error {
	if c.store == nil {
		return nil
	}
	return c.store.Save(plan)
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

var _ ui.Releaser = consoleReleaser{}

// errNoTerminal: a command that would commit asks first, and cannot ask.
var errNoTerminal = errors.New("no terminal to confirm on: pass --yes to commit without asking, or --dry-run to see the change")

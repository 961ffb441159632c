// Package uirelease is the console's ui.Releaser: previews and commits go
// through internal/release (pushing as gitwrite is told), the staged plan
// is kept by internal/planstore. The wiring and the UI's flow tests share
// it, so they cannot differ.
package uirelease

import (
	"context"

	"github.com/ferryhq/ferry/internal/planstore"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/ui"
)

// Releaser adapts a release.Releaser to the console.
type Releaser struct {
	Rel   *release.Releaser
	Store *planstore.Store // nil: the plan lives only as long as the console
	Write gitwrite.Options // where commits go (Push: to the branch's upstream)
}

var _ ui.Releaser = Releaser{}

func (r Releaser) Preview(ctx context.Context, plan model.Plan) (ui.Review, error) {
	p, err := r.Rel.Preview(ctx, plan)
	if err != nil {
		return ui.Review{}, err
	}
	return ui.Review{Base: p.Base, Diff: p.Diff, Blocking: p.Blocking, Notes: p.Notes}, nil
}

func (r Releaser) Commit(ctx context.Context, plan model.Plan, msg ui.CommitMessage) (ui.CommitResult, error) {
	opts := r.Write
	if msg.PullRequest {
		opts.NewBranch, opts.Push = plan.BranchName(), true
	}
	res, err := r.Rel.Commit(ctx, plan, release.Message{Subject: msg.Subject, Body: msg.Body, Reason: msg.Reason}, opts)
	if err != nil {
		return ui.CommitResult{}, err
	}
	return ui.CommitResult{Commit: res.Commit, Branch: res.Branch, CompareURL: res.CompareURL, Pushed: res.Pushed, Notes: res.Notes}, nil
}

func (r Releaser) Save(plan model.Plan) error {
	if r.Store == nil {
		return nil
	}
	return r.Store.Save(plan)
}

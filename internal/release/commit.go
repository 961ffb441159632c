package release

import (
	"context"
	"errors"
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitwrite"
)

// Message is what a release's commit says. Empty fields take the plan's
// own: its subject, and its body listing each change from → to.
type Message struct {
	Subject string
	Body    string
	// Reason is why (an incident, a ticket): it is recorded on every
	// change that has none, and so in each change's Ferry-Reason trailer.
	Reason string
}

// BlockedError: the review's checks do not pass on the head the commit
// would be made on.
type BlockedError struct{ Problems []string }

func (e *BlockedError) Error() string {
	return "the release cannot be committed: " + strings.Join(e.Problems, "; ")
}

// Commit makes the plan one commit on the branch, previewed again on the
// head it is made on (so what is committed is what the checks passed),
// and pushes it as o says. The plan is not changed: on any error the
// caller still holds every staged change.
func (r *Releaser) Commit(ctx context.Context, plan model.Plan, msg Message, o gitwrite.Options) (gitwrite.Result, error) {
	plan = withReason(plan, msg.Reason)
	if o.Branch == "" && r.Ref != "" && r.Ref != "HEAD" {
		o.Branch = r.Ref
	}
	// Where the plan writes: the branch read, or an environment's own.
	first, err := r.PreviewAt(ctx, plan, "")
	if err != nil {
		return gitwrite.Result{}, err
	}
	if len(first.Blocking) > 0 {
		return gitwrite.Result{}, &BlockedError{Problems: first.Blocking}
	}
	if first.Branch != "" {
		o.Branch = first.Branch
	}
	return gitwrite.Commit(ctx, r.Repo, o, msg.text(plan), func(ctx context.Context, base string) (map[string][]byte, error) {
		p, err := r.PreviewAt(ctx, plan, base)
		if err != nil {
			return nil, err
		}
		if len(p.Blocking) > 0 {
			return nil, &BlockedError{Problems: p.Blocking}
		}
		return p.Applied.Files(), nil
	})
}

// IsBlocked reports whether err is a release the checks refused.
func IsBlocked(err error) bool {
	var b *BlockedError
	return errors.As(err, &b)
}

func withReason(plan model.Plan, reason string) model.Plan {
	plan = plan.Clone()
	for i := range plan.Changes {
		if plan.Changes[i].Reason == "" {
			plan.Changes[i].Reason = reason
		}
	}
	return plan
}

// text is the commit message: subject, body, and the trailers `ferry log`
// reads back.
func (m Message) text(plan model.Plan) string {
	subject, body := strings.TrimSpace(m.Subject), strings.TrimSpace(m.Body)
	if subject == "" {
		subject = plan.Subject()
	}
	if body == "" {
		body = strings.TrimSpace(plan.Body())
	}
	var b strings.Builder
	b.WriteString(subject + "\n\n")
	if body != "" {
		b.WriteString(body + "\n\n")
	}
	for _, t := range plan.Trailers() {
		b.WriteString(t.Key + ": " + t.Value + "\n")
	}
	return b.String()
}

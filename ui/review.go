package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// reviewView shows the staged plan: per environment the changes from → to,
// what they ship, warnings, and the checked diff; then it asks for the
// commit's subject (and, for a protected environment, its name typed).
type reviewView struct {
	*detailView     // scrolls like a detail
	tag         int // the preview this review waits for
	review      *Review
	err         error
	asking      string // "subject", "confirm", or "" while reading
	confirm     string // the protected environments to type
}

func newReviewView() *reviewView { return &reviewView{detailView: newDetailView()} }

// openReview shows the plan and asks for its preview.
func (c *Console) openReview() tea.Cmd {
	if c.plan.Empty() {
		c.notice = "s: nothing is staged (p promotes, r rolls back)"
		return nil
	}
	if c.o.Releaser == nil {
		c.notice = "s: " + errNoReleaser.Error()
		return nil
	}
	c.histTag++
	c.review.tag, c.review.review, c.review.err, c.review.asking = c.histTag, nil, nil, ""
	c.review.vp.GotoTop()
	c.back, c.mode = modeGrid, modeReview
	c.refreshReview()
	r, plan, tag := c.o.Releaser, c.plan.Clone(), c.histTag
	return func() tea.Msg {
		ctx, cancel := withTimeout(time.Minute)
		defer cancel()
		rv, err := r.Preview(ctx, plan)
		return previewMsg{tag: tag, review: rv, err: err}
	}
}

func (c *Console) refreshReview() {
	if c.mode != modeReview {
		return
	}
	c.review.SetContent(reviewText(c.plan, c.destination(), c.world.Environments, c.grid.grid, c.review.review, c.review.err, c.theme))
}

// reviewKey: c starts the commit; in the prompts, enter goes on, esc stops.
func (c *Console) reviewKey(msg tea.KeyPressMsg) tea.Cmd {
	rv := c.review
	if rv.asking != "" {
		switch msg.String() {
		case "esc":
			rv.asking = ""
			c.prompt.Blur()
			return nil
		case "enter":
			return c.answerPrompt()
		}
		var cmd tea.Cmd
		c.prompt, cmd = c.prompt.Update(msg)
		return cmd
	}
	switch a := c.o.Keys.Match(msg, "global", "review"); a {
	case keymap.Commit, keymap.Hold, keymap.PullRequest, keymap.Help:
		return c.do(a)
	case "back":
		c.mode = modeGrid
		return nil
	case "quit":
		return tea.Quit
	}
	return rv.Update(msg)
}

// togglePullRequest switches where the review's commit goes: the branch
// the console reads, or a pull-request branch of its own.
func (c *Console) togglePullRequest() {
	c.pullRequest = !c.pullRequest
	c.notice = c.destination()
	c.refreshReview()
}

// destination says where the review's commit goes, and which key changes it.
func (c *Console) destination() string {
	toggle := c.o.Keys.Get(keymap.PullRequest).Help().Key
	if c.pullRequest {
		return "commits on a new branch " + c.plan.BranchName() + ", pushed, for a pull request (" + toggle + ": straight to the branch instead)"
	}
	return "commits straight to the branch ferry reads (" + toggle + ": on a pull-request branch instead)"
}

// toggleHold makes the staged rollbacks of automated fields holds, or
// plain rollbacks again, and checks the plan anew.
func (c *Console) toggleHold() tea.Cmd {
	n := c.plan.ToggleHold()
	if n == 0 {
		c.notice = "h: no staged rollback is of a field image automation (Flux, Argo CD Image Updater) writes"
		return nil
	}
	save := c.savePlan()
	c.notice = fmt.Sprintf("h: %d change(s) turned (a hold keeps image automation from undoing the rollback)", n)
	return tea.Batch(save, c.openReview())
}

func (c *Console) startCommit() tea.Cmd {
	rv := c.review
	switch {
	case rv.review == nil && rv.err == nil:
		c.notice = "c: the review is still being checked"
		return nil
	case rv.err != nil:
		c.notice = "c: the review failed: " + Clean(rv.err.Error())
		return nil
	case len(rv.review.Blocking) > 0:
		c.notice = "c: fix what the review blocks on first"
		return nil
	}
	rv.confirm = strings.Join(c.plan.Protected(c.world.Environments), ",")
	rv.asking = "subject"
	c.prompt.Prompt = "commit: "
	c.prompt.SetValue(c.plan.Subject())
	return c.prompt.Focus()
}

func (c *Console) answerPrompt() tea.Cmd {
	rv := c.review
	if rv.asking == "subject" {
		c.subject = c.prompt.Value()
		if rv.confirm != "" {
			rv.asking = "confirm"
			c.prompt.Prompt = "protected: type " + rv.confirm + " to commit: "
			c.prompt.SetValue("")
			return nil
		}
	} else if strings.TrimSpace(c.prompt.Value()) != rv.confirm {
		c.notice = "not committed: type " + rv.confirm + " exactly"
		return nil
	}
	rv.asking = ""
	c.prompt.Blur()
	c.notice = "committing…"
	r, plan := c.o.Releaser, c.plan.Clone()
	msg := CommitMessage{Subject: c.subject, Body: plan.Body(), PullRequest: c.pullRequest}
	return func() tea.Msg {
		ctx, cancel := withTimeout(5 * time.Minute)
		defer cancel()
		res, err := r.Commit(ctx, plan, msg)
		return committedMsg{result: res, pullRequest: msg.PullRequest, err: err}
	}
}

// committed clears the plan once it is in Git; a failure keeps it.
func (c *Console) committed(m committedMsg) tea.Cmd {
	if m.err != nil {
		c.notice = "not committed, the staged changes are kept: " + Clean(m.err.Error())
		return nil
	}
	where := "committed " + model.ShortRevision(m.result.Commit)
	switch {
	case m.result.Pushed:
		where += " and pushed to " + Clean(m.result.Branch)
	case m.pullRequest:
		where += " on " + Clean(m.result.Branch)
	}
	if m.result.CompareURL != "" {
		where += " · open " + Clean(m.result.CompareURL)
	}
	for _, n := range m.result.Notes {
		where += " · " + Clean(n)
	}
	if m.pullRequest {
		where += " · the grid follows once it is merged"
	}
	c.plan.Changes = nil
	c.mode = modeGrid
	c.notice = where
	return c.savePlan()
}

// reviewText is the review screen: changes grouped by environment, then
// warnings, blocking problems and the coloured diff. Pure.
func reviewText(p model.Plan, destination string, envs model.Environments, g *model.Grid, rv *Review, err error, t *Theme) string {
	var b strings.Builder
	b.WriteString(t.Title.Render("review") + " " + Clean(p.Subject()) + "\n")
	b.WriteString(t.Muted.Render(Clean(destination)) + "\n")
	for _, env := range envs.Names() {
		var lines []string
		for _, ch := range p.Changes {
			if ch.Env == env {
				lines = append(lines, fmt.Sprintf("  %-8s %s: %s → %s", ch.Kind, Clean(imageOf(ch)),
					Clean(describeIdentity(ch.From)), t.Artifact(ch.To.Digest).Render(Clean(describeIdentity(ch.To)))))
				for _, s := range shipping(ch) {
					lines = append(lines, t.Muted.Render("           "+Clean(s)))
				}
			}
		}
		if len(lines) > 0 {
			b.WriteString("\n" + t.Header.Render(Clean(env)) + "\n" + strings.Join(lines, "\n") + "\n")
		}
	}
	if w := p.Warnings(envs, g); len(w) > 0 {
		b.WriteString("\n" + t.Header.Render("warnings") + "\n")
		for _, s := range w {
			b.WriteString("  " + t.StateStyle(model.StateTagMoved).Render("! "+Clean(s)) + "\n")
		}
	}
	switch {
	case err != nil:
		b.WriteString("\n" + t.Problem.Render("✖ "+Clean(err.Error())) + "\n")
	case rv == nil:
		b.WriteString("\n" + t.Muted.Render("checking: applying the edits, reading the repo again, asking the registry…") + "\n")
	default:
		b.WriteString(reviewResult(rv, t))
	}
	return b.String()
}

func reviewResult(rv *Review, t *Theme) string {
	var b strings.Builder
	for _, s := range rv.Blocking {
		b.WriteString("\n" + t.Problem.Render("✖ "+Clean(s)))
	}
	for _, s := range rv.Notes {
		b.WriteString("\n" + t.Muted.Render("· "+Clean(s)))
	}
	if b.Len() > 0 {
		b.WriteString("\n") // end the last note's line; the text before ends its own
	}
	b.WriteString("\n" + t.Header.Render("diff") + t.Muted.Render(" on "+model.ShortRevision(rv.Base)) + "\n")
	for _, line := range strings.Split(CleanLines(rv.Diff), "\n") {
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			b.WriteString(t.Header.Render(line))
		case strings.HasPrefix(line, "+"):
			b.WriteString(t.StateStyle(model.StateInSync).Render(line))
		case strings.HasPrefix(line, "-"):
			b.WriteString(t.Problem.Render(line))
		case strings.HasPrefix(line, "@@"):
			b.WriteString(t.Muted.Render(line))
		default:
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// imageOf names the change's image: the app, and the image when the app
// has one of another name ("checkout/api").
func imageOf(ch model.Change) string {
	if ch.Image == "" || ch.Image == ch.App {
		return ch.App
	}
	return ch.App + "/" + ch.Image
}

// shipping names the source commits a change brings in (or takes out, for
// a rollback): the range between the two artifacts' revisions and, when
// the source is on GitHub or GitLab, the compare page on a line of its own
// (a URL that wraps with the text before it cannot be clicked).
func shipping(ch model.Change) []string {
	from, to := ch.From.Revision, ch.To.Revision
	if from == "" || to == "" || from == to {
		return nil
	}
	verb := "ships"
	if ch.Kind == model.Rollback {
		verb, from, to = "takes out", to, from
	}
	lines := []string{fmt.Sprintf("%s source commits %s..%s", verb, model.ShortRevision(from), model.ShortRevision(to))}
	if u := model.CompareURL(ch.To.Source, from, to); u != "" {
		lines = append(lines, u)
	}
	return lines
}

func describeIdentity(i model.Identity) string {
	s := i.Name()
	if i.Revision != "" {
		s += " (" + model.ShortRevision(i.Revision) + ")"
	}
	if i.Digest != "" && i.Name() != model.ShortDigest(i.Digest) {
		s += " " + model.ShortDigest(i.Digest)
	}
	return s
}

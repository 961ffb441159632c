package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/model"
)

// Releaser turns the staged plan into a reviewed commit, from inside
// tea.Cmds. The wiring implements it with internal/release.
type Releaser interface {
	Preview(ctx context.Context, plan model.Plan) (Review, error)
	Commit(ctx context.Context, plan model.Plan, msg CommitMessage) (CommitResult, error)
	// Save keeps the staged plan on disk, so a crash loses nothing.
	Save(plan model.Plan) error
}

// Review is the plan applied to the repo's head and checked.
type Review struct {
	Base     string
	Diff     string
	Blocking []string // the plan cannot be committed while these stand
	Notes    []string
}

// CommitMessage is what the review's commit writes.
type CommitMessage struct {
	Subject string
	Body    string
	Reason  string
	// PullRequest puts the commit on a branch of its own (the plan's
	// BranchName), pushed, for a pull request, instead of on the branch
	// the console reads.
	PullRequest bool
}

// CommitResult says where the commit went.
type CommitResult struct {
	Commit, Branch, CompareURL string
	Pushed                     bool
	Notes                      []string // what the user may want to know
}

type previewMsg struct {
	tag    int
	review Review
	err    error
}

type committedMsg struct {
	result      CommitResult
	pullRequest bool
	err         error
}

type savedMsg struct{ err error }

// stage adds changes to the plan and saves it.
func (c *Console) stage(changes []model.Change) tea.Cmd {
	for _, ch := range changes {
		c.plan.Stage(ch)
	}
	c.notice = fmt.Sprintf("staged: %s (s reviews, u unstages)", changes[0].Summary())
	if len(changes) > 1 && changes[0].App != changes[len(changes)-1].App {
		c.notice = fmt.Sprintf("staged %d changes (s reviews)", len(changes))
	}
	return c.savePlan()
}

func (c *Console) savePlan() tea.Cmd {
	c.grid.SetStaged(stagedLabels(c.plan))
	if c.o.Releaser == nil {
		return nil
	}
	r, plan := c.o.Releaser, c.plan.Clone()
	return func() tea.Msg { return savedMsg{err: r.Save(plan)} }
}

// promote stages "bring upstream's artifact here" for the cursor's cell.
func (c *Console) promote() tea.Cmd {
	k, ok := c.grid.Selected()
	if !ok {
		return nil
	}
	env, _ := c.world.Environments.Get(k.Env)
	switch len(env.Upstream) {
	case 0:
		return c.promoteAny(k, k.Env+" is the first environment")
	case 1:
		if _, err := c.grid.grid.Promotion(k.App, k.Env, env.Upstream[0]); errors.Is(err, model.ErrNothingToDo) {
			return c.promoteAny(k, k.Env+" already runs what "+env.Upstream[0]+" does")
		}
		return c.promoteFrom(k, env.Upstream[0])
	}
	c.chooser = &chooser{title: "promote " + k.App + " to " + k.Env + " from", options: env.Upstream,
		pick: func(i int) tea.Cmd { return c.promoteFrom(k, env.Upstream[i]) }}
	c.back, c.mode = c.mode, modeChoose
	return nil
}

func refOf(i model.Identity) model.ImageRef {
	return model.ImageRef{Repository: i.Repository, Tag: i.Tag, Digest: i.Digest}
}

func (c *Console) promoteFrom(k model.CellKey, from string) tea.Cmd {
	changes, err := c.grid.grid.Promotion(k.App, k.Env, from)
	if err != nil {
		c.notice = "p: " + Clean(err.Error())
		return nil
	}
	return c.stage(changes)
}

// train stages every app that is behind its upstream in the cursor's
// environment, as one release.
func (c *Console) train() tea.Cmd {
	k, ok := c.grid.Selected()
	if !ok {
		return nil
	}
	env, _ := c.world.Environments.Get(k.Env)
	if len(env.Upstream) != 1 {
		c.notice = fmt.Sprintf("P: %s has %d upstream environments; stage each app with p", Clean(k.Env), len(env.Upstream))
		return nil
	}
	changes := c.grid.grid.Train(k.Env, env.Upstream[0])
	if len(changes) == 0 {
		c.notice = fmt.Sprintf("P: no app in %s is behind %s", Clean(k.Env), Clean(env.Upstream[0]))
		return nil
	}
	return c.stage(changes)
}

// rollback asks for the cell's history, then lets the user pick the
// artifact to go back to.
func (c *Console) rollback() tea.Cmd {
	k, ok := c.grid.Selected()
	cell := c.grid.SelectedCell()
	if !ok || cell == nil || len(cell.Images) == 0 {
		c.notice = "r: no image is declared in this cell"
		return nil
	}
	c.histTag++
	c.rollbackFor, c.rollbackTag = k, c.histTag
	c.notice = "reading " + Clean(k.App) + "'s history in " + Clean(k.Env) + "…"
	return c.historyCmd(k, c.histTag)
}

// rollbackChoices offers the earlier artifacts of the cell's first image,
// the one before the current selected.
func (c *Console) rollbackChoices(m historyMsg) {
	c.rollbackTag = 0
	cell := c.grid.grid.Cell(m.key.App, m.key.Env)
	if m.err != nil || cell == nil || len(cell.Images) == 0 {
		c.notice = "r: cannot read the history: " + Clean(fmt.Sprint(m.err))
		return
	}
	image := cell.Images[0].Name
	arts := model.Artifacts(m.entries, image)
	if len(arts) < 2 {
		c.notice = fmt.Sprintf("r: %s in %s has no earlier artifact of %s in its history", Clean(m.key.App), Clean(m.key.Env), Clean(image))
		return
	}
	vs := versions(c.world.Registry)
	options := make([]string, len(arts)-1)
	for i, a := range arts[1:] {
		options[i] = fmt.Sprintf("%s  %s  %s  %s", a.When.Format("2006-01-02 15:04"), model.ShortRevision(a.Commit),
			refText(a.To), Clean(a.Subject))
	}
	k := m.key
	c.chooser = &chooser{title: "roll back " + k.App + " in " + k.Env + " to", options: options,
		pick: func(i int) tea.Cmd {
			to := arts[i+1].To
			ch, err := c.grid.grid.Rollback(k.App, k.Env, image, to, vs[to.Digest])
			if err != nil {
				c.notice = "r: " + Clean(err.Error())
				return nil
			}
			describe(&ch.To, c.world.Registry)
			return c.stage([]model.Change{ch})
		}}
	c.back, c.mode = c.mode, modeChoose
}

// resume stages lifting ferry's hold on the cursor's cell.
func (c *Console) resume() tea.Cmd {
	k, ok := c.grid.Selected()
	if !ok {
		return nil
	}
	ch, err := c.grid.grid.Resume(k.App, k.Env, "")
	if err != nil {
		c.notice = "H: " + Clean(err.Error())
		return nil
	}
	return c.stage([]model.Change{ch})
}

// describe completes an identity from what the registry said of its
// digest this run: the source commit, so the review says what a rollback
// takes out.
func describe(id *model.Identity, reg map[string]model.RegistryFacts) {
	for _, f := range reg {
		if f.Digest == id.Digest && id.Digest != "" {
			id.Revision, id.Source = firstOf(id.Revision, f.Revision), firstOf(id.Source, f.Source)
			id.Version = firstOf(id.Version, f.Version)
			return
		}
	}
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// unstage drops the cursor cell's staged changes.
func (c *Console) unstage() tea.Cmd {
	k, _ := c.grid.Selected()
	if c.plan.Unstage(k.App, k.Env) == 0 {
		c.notice = "u: nothing is staged in this cell"
		return nil
	}
	c.notice = "unstaged " + Clean(k.App) + " in " + Clean(k.Env)
	return c.savePlan()
}

// stagedLabels marks staged cells "from → to" in the grid.
func stagedLabels(p model.Plan) map[model.CellKey]string {
	out := map[model.CellKey]string{}
	for _, ch := range p.Changes {
		out[model.CellKey{App: ch.App, Env: ch.Env}] = "✎ " + Clean(ch.From.Name()) + "→" + Clean(ch.To.Name())
	}
	return out
}

func withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

var errNoReleaser = errors.New("this console cannot commit (no repository to write to)")

package ui

import (
	"context"
	"os/exec"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// Options configure the console.
type Options struct {
	Backend Backend
	Keys    *keymap.Map // default keymap.Default()
	Theme   string      // "default", "colorblind", "high-contrast"
	Title   string      // what the console shows: the repo, "demo"
	// OpenK9s builds the k9s command for a workload (nil: K9sOff says
	// why there is none).
	OpenK9s func(K9sTarget) (*exec.Cmd, error)
	K9sOff  string
	// Notes are shown on the status line at start (config problems, a
	// restored plan).
	Notes []string
	// Releaser previews and commits the staged plan; nil: read-only.
	Releaser Releaser
	// Plan is the staged plan restored from disk.
	Plan model.Plan
	// Where classifies, in the app's source repo, what was built from each
	// cell's revision against a commit (w); nil: the console cannot ask.
	Where func(ctx context.Context, commit string, revisions map[model.CellKey]string) (map[model.CellKey]model.Reach, error)
	// ReadClipboard reads the system clipboard (w offers a commit hash
	// found there); nil leaves only the terminal's OSC 52 answer.
	ReadClipboard func() (string, error)
	Now           func() time.Time // the clock of change marks; default time.Now
	// ReadOnly, when not "", turns off every action that stages or writes
	// and is what those keys say ("read-only: started with --read-only").
	ReadOnly string
	// PullRequests starts the review committing on a pull-request branch
	// (--pr, pull_requests in a config); p toggles it.
	PullRequests bool
}

type mode int

const (
	modeGrid mode = iota
	modeDetail
	modeHelp
	modeProblems // the problems outside the cells; scrolls like the help
	modePalette
	modeFilter
	modeChoose
	modeReview
	modeAsk // a question on the footer line (w's commit)
)

// Console is the root model: it owns the world, derives the grid after
// every update, and dispatches keys to the active child. Children do not
// change the world; the root does.
type Console struct {
	o       Options
	theme   *Theme
	world   *model.World
	grid    *gridView
	detail  *detailView
	help    *detailView // the help screen scrolls like a detail
	palette *paletteView
	filter  textinput.Model
	review  *reviewView
	chooser *chooser
	prompt  textinput.Model // the review's commit questions
	subject string
	// pullRequest: the review commits on a pull-request branch (p toggles;
	// it stays for the session, as a team that reviews does it every time).
	pullRequest bool

	plan        model.Plan
	rollbackFor model.CellKey // the cell whose history a rollback waits for
	rollbackTag int
	timelineTag int    // the timeline request the console waits for
	tagsTag     int    // the tag listing a promotion by hand waits for
	whereTag    int    // the where question the grid's marks wait for
	whereClip   string // a commit hash found on the clipboard, w's default
	started     time.Time
	waiting     string // the sources a long wait is for, on the progress line

	mode, back    mode // back: where esc from help returns
	view          IdentityView
	notice, event string
	histTag       int
	width, height int
	signatures    map[model.CellKey]string
	settled       bool
	// deriving is true while a grid is derived off the UI goroutine;
	// dirty, when updates arrived meanwhile; seq numbers derivations.
	deriving, dirty bool
	seq             int
	gridRead        bool // the grid shown was derived from a Git reading
}

// New builds the console; facts arrive later as model.Update messages.
func New(o Options) *Console {
	if o.Keys == nil {
		o.Keys = keymap.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t, err := NewTheme(o.Theme, true)
	if err != nil {
		t = DefaultTheme()
	}
	c := &Console{
		started: o.Now(),
		o:       o, theme: t, world: &model.World{}, grid: newGridView(t, o.Now), detail: newDetailView(), help: newDetailView(),
		palette: newPalette(o.Keys), filter: newInput("/ "), width: 80, height: 24,
		review: newReviewView(), prompt: newInput("commit: "), plan: o.Plan.Clone(),
		signatures: map[model.CellKey]string{}, pullRequest: o.PullRequests,
	}
	c.notice = strings.Join(o.Notes, " · ")
	c.grid.SetStaged(stagedLabels(c.plan))
	c.layout()
	return c
}

// Init asks the terminal for its background, to pick light or dark colours.
func (c *Console) Init() tea.Cmd { return tea.Batch(tea.RequestBackgroundColor, waitTick()) }

// Update dispatches one message; it never blocks.
func (c *Console) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		c.layout()
	case tea.BackgroundColorMsg:
		if t, err := NewTheme(c.theme.Name, msg.IsDark()); err == nil {
			c.setTheme(t)
		}
	case model.Update:
		return c, c.apply(msg)
	case derivedMsg:
		return c, c.installGrid(msg)
	case NoticeMsg:
		c.event = msg.At.Format("15:04:05") + " " + Clean(msg.Text)
	case historyMsg:
		if msg.tag == c.rollbackTag && msg.key == c.rollbackFor {
			c.rollbackChoices(msg)
		} else if c.detail.Answer(msg) {
			c.refreshDetail()
		}
	case timelineMsg:
		c.timelineChoices(msg)
	case tagsMsg:
		c.anyChoices(msg)
	case whereMsg:
		c.showReach(msg)
	case previewMsg:
		if msg.tag == c.review.tag {
			c.review.review, c.review.err = &msg.review, msg.err
			c.refreshReview()
		}
	case committedMsg:
		return c, c.committed(msg)
	case savedMsg:
		if msg.err != nil {
			c.notice = "the staged plan could not be saved: " + Clean(msg.err.Error())
		}
	case waitTickMsg:
		return c, c.onWaitTick()
	case flashDoneMsg:
		if c.grid.ExpireFlashes() {
			return c, flashTick()
		}
	case k9sReadyMsg:
		if msg.err != nil {
			c.notice = Clean(msg.err.Error())
			return c, nil
		}
		return c, tea.ExecProcess(msg.cmd, func(err error) tea.Msg { return k9sDoneMsg{err} })
	case k9sDoneMsg:
		c.notice = "back from k9s"
		if msg.err != nil {
			c.notice = "k9s: " + Clean(msg.err.Error())
		}
	case actionMsg:
		return c, c.do(keymap.Action(msg.action))
	case tea.MouseWheelMsg:
		return c, c.wheel(msg)
	case tea.MouseClickMsg:
		c.click(msg)
	case tea.ClipboardMsg:
		c.offerClipboard(msg.Content)
		return c, nil
	case clipboardMsg:
		c.offerClipboard(string(msg))
		return c, nil
	case tea.KeyPressMsg:
		return c, c.key(msg)
	}
	return c, nil
}

func (c *Console) setTheme(t *Theme) {
	c.theme = t
	c.grid.theme = t
	c.grid.cells = newCellCache()
	c.refreshDetail()
}

// apply merges one source's update (cheap) and derives the grid again in
// the background.
func (c *Console) apply(u model.Update) tea.Cmd {
	c.world.Apply(u)
	return c.derive()
}

func flashTick() tea.Cmd {
	return tea.Tick(flashFor, func(time.Time) tea.Msg { return flashDoneMsg{} })
}

// layout gives each child its part of the screen: a title line and a
// progress line above, a counts line and a help line below.
func (c *Console) layout() {
	body := max(c.height-4, 1)
	c.grid.SetSize(c.width, body)
	c.detail.SetSize(c.width, body)
	c.help.SetSize(c.width, body)
	c.review.SetSize(c.width, body)
	c.prompt.SetWidth(max(c.width-40, 10))
	c.refreshReview()
	c.filter.SetWidth(max(c.width-4, 10))
	c.refreshDetail()
	if c.mode == modeHelp {
		c.help.SetContent(fit(helpText(c.o.Keys, c.theme, c.width), c.width))
	}
	c.refreshProblems()
}

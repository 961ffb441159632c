package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// fakeReleaser records what the console asked of it.
type fakeReleaser struct {
	mu        sync.Mutex
	saved     []model.Plan
	committed []CommitMessage
	fail      error
}

func (r *fakeReleaser) Preview(_ context.Context, p model.Plan) (Review, error) {
	return Review{Base: "0123456789", Diff: "--- a/f\n+++ b/f\n-    newTag: " + p.Changes[0].From.Tag + "\n+    newTag: " + p.Changes[0].To.Tag + "\n"}, nil
}

func (r *fakeReleaser) Commit(_ context.Context, _ model.Plan, m CommitMessage) (CommitResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return CommitResult{}, r.fail
	}
	r.committed = append(r.committed, m)
	if m.PullRequest { // as a bare repo takes it: committed there, not pushed
		return CommitResult{Commit: "abcdef0123456789", Branch: "ferry/pr"}, nil
	}
	return CommitResult{Commit: "abcdef0123456789", Branch: "main", Pushed: true}, nil
}

func (r *fakeReleaser) Save(p model.Plan) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.saved = append(r.saved, p)
	return nil
}

// run runs a command and delivers its message, as the program would.
func run(c *Console, cmd func() any) {
	if cmd != nil {
		c.Update(cmd())
	}
}

// behindCell moves the cursor to the first cell that is behind its
// upstream, scanning row by row.
func behindCell(t *testing.T, c *Console) {
	t.Helper()
	_, rows := c.grid.Position()
	for range rows {
		for range len(c.world.Environments) {
			if cell := c.grid.SelectedCell(); cell != nil && cell.State == model.StateBehind {
				return
			}
			c.grid.Move(0, 1)
		}
		c.grid.Move(1, -len(c.world.Environments))
	}
	t.Fatal("no cell is behind its upstream")
}

func TestStageReviewAndCommitAPromotion(t *testing.T) {
	c, _, _ := newConsole(t, 10, 5)
	r := &fakeReleaser{}
	c.o.Releaser = r
	behindCell(t, c)
	k := selected(t, c)
	cmd := press(c, "p")
	if len(c.plan.Changes) != 1 || c.plan.Changes[0].App != k.App || c.plan.Changes[0].Env != k.Env {
		t.Fatalf("plan = %+v", c.plan.Changes)
	}
	c.Update(cmd())
	if len(r.saved) != 1 {
		t.Errorf("the plan was saved %d times", len(r.saved))
	}
	if !strings.Contains(ansi.Strip(c.View().Content), "✎ ") {
		t.Error("the staged cell is not marked in the grid")
	}
	c.Update(press(c, "s")())
	view := ansi.Strip(c.View().Content)
	for _, want := range []string{"review promote " + k.App, "+    newTag: " + c.plan.Changes[0].To.Tag, "diff on 0123456"} {
		if !strings.Contains(view, want) {
			t.Errorf("review lacks %q:\n%s", want, view)
		}
	}
	press(c, "c")
	if c.review.asking != "subject" || c.prompt.Value() != c.plan.Subject() {
		t.Fatalf("commit prompt = %q %q", c.review.asking, c.prompt.Value())
	}
	cmd = press(c, "enter")
	msg := cmd()
	_, after := c.Update(msg)
	if len(r.committed) != 1 || r.committed[0].Subject != c.subjectFor(t) {
		t.Errorf("committed %+v", r.committed)
	}
	if !c.plan.Empty() || !strings.Contains(c.notice, "committed abcdef0 and pushed to main") {
		t.Errorf("after the commit: plan %+v, notice %q", c.plan.Changes, c.notice)
	}
	c.Update(after())
	if last := r.saved[len(r.saved)-1]; !last.Empty() {
		t.Errorf("the emptied plan was not saved: %+v", last)
	}
}

// TestPInTheReviewCommitsOnAPullRequestBranch: p in the review says where
// the commit goes now, the commit asks for a pull-request branch, and the
// status line names the branch even when nothing was pushed.
func TestPInTheReviewCommitsOnAPullRequestBranch(t *testing.T) {
	c, _, _ := newConsole(t, 10, 5)
	r := &fakeReleaser{}
	c.o.Releaser = r
	behindCell(t, c)
	c.Update(press(c, "p")())
	c.Update(press(c, "s")())
	if press(c, "?"); c.mode != modeHelp {
		t.Fatalf("? in the review: mode %d, want the help", c.mode)
	}
	if press(c, "esc"); c.mode != modeReview {
		t.Fatalf("esc in the help opened from the review: mode %d, want the review back", c.mode)
	}
	press(c, "p")
	if view := ansi.Strip(c.View().Content); !strings.Contains(view, "commits on a new branch "+c.plan.BranchName()) {
		t.Errorf("the review does not say the commit goes on %s:\n%s", c.plan.BranchName(), view)
	}
	press(c, "c")
	c.Update(press(c, "enter")())
	if len(r.committed) != 1 || !r.committed[0].PullRequest {
		t.Fatalf("committed %+v, want one on a pull-request branch", r.committed)
	}
	if !strings.Contains(c.notice, "committed abcdef0 on ferry/pr · the grid follows once it is merged") {
		t.Errorf("notice %q", c.notice)
	}
}

func TestPullRequestsOptionStartsTheReviewOnABranch(t *testing.T) {
	if c := New(Options{PullRequests: true}); !c.pullRequest {
		t.Error("Options.PullRequests (--pr, pull_requests) did not start the review on a pull-request branch")
	}
	if c := New(Options{}); c.pullRequest {
		t.Error("a console without --pr commits on a pull-request branch")
	}
}

// subjectFor is the subject the test committed with (the prefilled one).
func (c *Console) subjectFor(t *testing.T) string { return c.subject }

func TestAFailedCommitKeepsThePlan(t *testing.T) {
	c, _, _ := newConsole(t, 10, 5)
	c.o.Releaser = &fakeReleaser{fail: errors.New("push rejected: non-fast-forward, and origin changed the same field")}
	behindCell(t, c)
	run(c, func() any { return press(c, "p")() })
	c.Update(press(c, "s")())
	press(c, "c")
	c.Update(press(c, "enter")())
	if len(c.plan.Changes) != 1 || !strings.Contains(c.notice, "the staged changes are kept: push rejected") {
		t.Errorf("plan %+v, notice %q", c.plan.Changes, c.notice)
	}
}

func TestAProtectedEnvironmentAsksForItsName(t *testing.T) {
	c, _, _ := newConsole(t, 10, 5)
	r := &fakeReleaser{}
	c.o.Releaser = r
	behindCell(t, c)
	k := selected(t, c)
	for i := range c.world.Environments {
		if c.world.Environments[i].Name == k.Env {
			c.world.Environments[i].Protected = true
		}
	}
	press(c, "p")
	c.Update(press(c, "s")())
	if !strings.Contains(ansi.Strip(c.View().Content), k.Env+" is protected") {
		t.Errorf("no protected warning:\n%s", ansi.Strip(c.View().Content))
	}
	press(c, "c", "enter")
	if c.review.asking != "confirm" {
		t.Fatalf("asking %q", c.review.asking)
	}
	press(c, "x", "enter")
	if len(r.committed) != 0 || !strings.Contains(c.notice, "type "+k.Env+" exactly") {
		t.Errorf("a wrong name committed: %+v %q", r.committed, c.notice)
	}
	for _, ch := range k.Env {
		press(c, string(ch))
	}
	c.prompt.SetValue(k.Env)
	c.Update(press(c, "enter")())
	if len(r.committed) != 1 {
		t.Errorf("typing %s did not commit (%q)", k.Env, c.notice)
	}
}

func TestRollbackPicksAnEarlierArtifactFromHistory(t *testing.T) {
	c, b, _ := newConsole(t, 5, 2)
	c.o.Releaser = &fakeReleaser{}
	press(c, "j")
	k := selected(t, c)
	b.history[k] = []model.HistoryEntry{
		{Commit: "c3c3c3c3", Image: "api", Subject: "promote 1.1.0", From: model.ImageRef{Tag: "1.0.9", Digest: fakeDigest(1, 7)}, To: model.ImageRef{Tag: "1.1.0", Digest: fakeDigest(1, 0)}},
		{Commit: "c2c2c2c2", Image: "api", Subject: "promote 1.0.9", From: model.ImageRef{Tag: "1.0.8"}, To: model.ImageRef{Tag: "1.0.9", Digest: fakeDigest(1, 7)}},
	}
	c.Update(press(c, "r")())
	if c.mode != modeChoose || len(c.chooser.options) != 1 || !strings.Contains(c.chooser.options[0], "1.0.9") {
		t.Fatalf("mode %d, chooser %+v, notice %q", c.mode, c.chooser, c.notice)
	}
	press(c, "enter")
	if len(c.plan.Changes) != 1 || c.plan.Changes[0].Kind != model.Rollback || c.plan.Changes[0].To.Tag != "1.0.9" {
		t.Errorf("plan = %+v", c.plan.Changes)
	}
	press(c, "u")
	if !c.plan.Empty() {
		t.Errorf("u left %+v", c.plan.Changes)
	}
}

func TestPromotingAnUpToDateCellOffersTheOtherEnvironments(t *testing.T) {
	c, b, _ := newConsole(t, 10, 5)
	c.o.Releaser = &fakeReleaser{}
	behindCell(t, c)
	behind := selected(t, c)
	env, _ := c.world.Environments.Get(behind.Env)
	other := model.CellKey{App: behind.App, Env: env.Upstream[0]} // ahead of the first environment
	for range len(c.world.Environments) {
		press(c, "h")
	}
	first := selected(t, c) // the first environment: nothing is upstream of it
	repo := c.grid.grid.Cell(first.App, first.Env).Images[0].Facts.Declared.Ref.Repository
	b.tags = map[string][]string{repo: {"2.0.0", "1.9.0"}}
	c.Update(press(c, "p")())
	if c.mode != modeChoose {
		t.Fatalf("p on %s staged %+v, notice %q: want a chooser", first.Env, c.plan.Changes, c.notice)
	}
	pick := slices.IndexFunc(c.chooser.options, func(o string) bool { return strings.HasPrefix(o, "from "+other.Env+" ") })
	if pick < 0 {
		t.Fatalf("options %q lack %s", c.chooser.options, other.Env)
	}
	for range pick {
		press(c, "j")
	}
	press(c, "enter")
	want := c.grid.grid.Cell(other.App, other.Env).Images[0].Facts.DeclaredDigest()
	if len(c.plan.Changes) != 1 || c.plan.Changes[0].Env != first.Env || c.plan.Changes[0].To.Digest != want {
		t.Errorf("plan = %+v, want %s pinned to %s's %s", c.plan.Changes, first.Env, other.Env, want)
	}
	c.Update(press(c, "p")()) // again: the registry's tags are offered too
	tag := slices.IndexFunc(c.chooser.options, func(o string) bool { return strings.HasPrefix(o, "version 2.0.0 ") })
	if tag < 0 {
		t.Fatalf("options %q lack the registry's 2.0.0", c.chooser.options)
	}
	c.chooser.sel = tag
	press(c, "enter")
	if ch := c.plan.Changes[0]; ch.To.Tag != "2.0.0" || ch.To.Version != "2.0.0" {
		t.Errorf("staged %+v, want 2.0.0 (its digest asked by the review)", ch.To)
	}
}

func TestHInTheReviewHoldsARollbackOfAnAutomatedField(t *testing.T) {
	c, b, _ := newConsole(t, 5, 2)
	c.o.Releaser = &fakeReleaser{}
	press(c, "j")
	k := selected(t, c)
	b.history[k] = []model.HistoryEntry{
		{Commit: "c3c3c3c3", Image: "api", To: model.ImageRef{Tag: "1.1.0", Digest: fakeDigest(1, 0)}},
		{Commit: "c2c2c2c2", Image: "api", To: model.ImageRef{Tag: "1.0.9", Digest: fakeDigest(1, 7)}},
	}
	c.Update(press(c, "r")())
	press(c, "enter")
	if len(c.plan.Changes) != 1 {
		t.Fatalf("plan = %+v, notice %q", c.plan.Changes, c.notice)
	}
	press(c, "s")
	press(c, "h")
	if c.plan.Changes[0].Kind != model.Rollback || !strings.Contains(c.notice, "no staged rollback") {
		t.Errorf("h held a field no automation writes: %+v, %q", c.plan.Changes[0], c.notice)
	}
	c.plan.Changes[0].Location.Setter = `{"$imagepolicy": "flux-system:app"}`
	press(c, "h")
	if c.plan.Changes[0].Kind != model.Hold || c.mode != modeReview {
		t.Errorf("after h: %+v in mode %d, notice %q", c.plan.Changes[0], c.mode, c.notice)
	}
	if !strings.Contains(strings.Join(c.plan.Warnings(c.world.Environments, c.grid.grid), "\n"), "held — image automation (flux-system:app) will not write") {
		t.Errorf("warnings: %q", c.plan.Warnings(c.world.Environments, c.grid.grid))
	}
	press(c, "h")
	if c.plan.Changes[0].Kind != model.Rollback {
		t.Errorf("h again did not undo the hold: %+v", c.plan.Changes[0])
	}
}

func TestTimelineStagesARollbackToWhatRanBefore(t *testing.T) {
	c, b, _ := newConsole(t, 5, 2)
	c.o.Releaser = &fakeReleaser{}
	press(c, "j")
	k := selected(t, c)
	now := c.grid.grid.Cell(k.App, k.Env).Images[0]
	before := model.ImageRef{Repository: now.Facts.Declared.Ref.Repository, Tag: "0.9.0", Digest: fakeDigest(9, 9)}
	b.timeline = []model.HistoryEntry{
		{Commit: "c4c4c4c4", App: k.App, Env: k.Env, Image: now.Name, Subject: "promote", Author: "dana",
			From: before, To: now.Facts.Declared.Ref, Trailers: []model.Trailer{{Key: "Ferry-Reason", Value: "INC-1"}}},
		{Commit: "c1c1c1c1", App: k.App, Env: k.Env, Image: now.Name, Subject: "bootstrap", To: before},
	}
	c.Update(press(c, "t")())
	if c.mode != modeChoose || len(c.chooser.options) != 2 || !strings.Contains(c.chooser.options[0], "(INC-1)") {
		t.Fatalf("mode %d, chooser %+v, notice %q", c.mode, c.chooser, c.notice)
	}
	press(c, "j", "enter") // the bootstrap: nothing ran before it
	if !c.plan.Empty() || !strings.Contains(c.notice, "nothing ran before it") {
		t.Errorf("plan %+v, notice %q", c.plan.Changes, c.notice)
	}
	c.Update(press(c, "t")())
	press(c, "enter")
	if len(c.plan.Changes) != 1 || c.plan.Changes[0].Kind != model.Rollback || c.plan.Changes[0].To.Digest != before.Digest {
		t.Errorf("plan = %+v, want a rollback to %s", c.plan.Changes, before)
	}
}

// TestAChooserTakesTheKeysTheUserBound: a chooser moves with the grid's
// keys and picks with chooser.pick, as the user config rebinds them, and
// its footer names those keys.
func TestAChooserTakesTheKeysTheUserBound(t *testing.T) {
	c, b, _ := newConsole(t, 5, 2)
	c.o.Releaser = &fakeReleaser{}
	if errs := c.o.Keys.Rebind(map[string][]string{"grid.down": {"n"}, "chooser.pick": {"x"}}); len(errs) > 0 {
		t.Fatal(errs)
	}
	k := selected(t, c)
	now := c.grid.grid.Cell(k.App, k.Env).Images[0]
	b.timeline = []model.HistoryEntry{
		{Commit: "c4c4c4c4", App: k.App, Env: k.Env, Image: now.Name, Subject: "promote", To: now.Facts.Declared.Ref},
		{Commit: "c1c1c1c1", App: k.App, Env: k.Env, Image: now.Name, Subject: "bootstrap", To: now.Facts.Declared.Ref},
	}
	c.Update(press(c, "t")())
	if footer := ansi.Strip(c.footer()); !strings.Contains(footer, "n down") || !strings.Contains(footer, "x stage the chosen") {
		t.Errorf("footer %q does not name the bound keys", footer)
	}
	press(c, "j", "enter") // the old keys do nothing here now
	if c.mode != modeChoose || c.chooser.sel != 0 {
		t.Fatalf("j/enter acted: mode %d, selection %d", c.mode, c.chooser.sel)
	}
	press(c, "n", "x")
	if c.mode == modeChoose || !strings.Contains(c.notice, "nothing ran before it") {
		t.Errorf("n, x did not pick the second line: mode %d, notice %q", c.mode, c.notice)
	}
	c.Update(press(c, "t")())
	if cmd := press(c, "q"); c.mode == modeChoose || cmd != nil {
		t.Errorf("q in a chooser should cancel it, not quit: mode %d, cmd %v", c.mode, cmd)
	}
}

func TestWMarksHowFarACommitHasCome(t *testing.T) {
	c, _, _ := newConsole(t, 3, 2)
	var asked string
	var revisions map[model.CellKey]string
	c.o.Where = func(_ context.Context, commit string, revs map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
		asked, revisions = commit, revs
		out := map[model.CellKey]model.Reach{}
		for k := range revs {
			out[k] = model.ReachNotYet
			if k.Env == "env00" {
				out[k] = model.ReachExactly
			}
		}
		return out, nil
	}
	press(c, "w")
	if c.mode != modeAsk {
		t.Fatalf("mode %d after w", c.mode)
	}
	for _, r := range "abc1234" {
		press(c, string(r))
	}
	c.Update(press(c, "enter")())
	if asked != "abc1234" || len(revisions) != 6 {
		t.Fatalf("asked %q with %d revisions", asked, len(revisions))
	}
	screen := ansi.Strip(c.View().Content)
	if !strings.Contains(screen, "= 1.0.") || !strings.Contains(screen, "✗ 1.0.") || !strings.Contains(c.notice, "= exactly 3 · ⊇ contained 0 · ✗ not yet 3") {
		t.Errorf("notice %q, screen:\n%s", c.notice, screen)
	}
	press(c, "esc")
	if c.grid.marks != nil || strings.Contains(ansi.Strip(c.View().Content), "✗ 1.0.") {
		t.Error("esc left the marks")
	}
}

// runAll runs a command and what it batches, handing every message back.
func runAll(c *Console, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, each := range msg {
			runAll(c, each)
		}
	case nil:
	default:
		_, next := c.Update(msg)
		runAll(c, next)
	}
}

func TestWOffersTheCommitOnTheClipboard(t *testing.T) {
	c, _, _ := newConsole(t, 2, 2)
	var asked string
	c.o.Where = func(_ context.Context, commit string, _ map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
		asked = commit
		return map[model.CellKey]model.Reach{}, nil
	}
	hash := "0123456789abcdef0123456789abcdef01234567"
	c.o.ReadClipboard = func() (string, error) { return hash + "\n", nil }
	runAll(c, press(c, "w"))
	if !strings.Contains(ansi.Strip(c.View().Content), "0123456 from the clipboard — enter takes it") {
		t.Fatalf("the prompt does not offer the clipboard's commit:\n%s", ansi.Strip(c.View().Content))
	}
	runAll(c, press(c, "enter"))
	if asked != hash {
		t.Errorf("enter on an empty answer asked %q, want the clipboard's %s", asked, hash)
	}

	// Typed text wins; a clipboard holding no commit hash offers nothing.
	c.o.ReadClipboard = func() (string, error) { return "registry.example/app@sha256:abc", nil }
	runAll(c, press(c, "w"))
	c.Update(tea.ClipboardMsg{Content: "not a commit"})
	if strings.Contains(ansi.Strip(c.View().Content), "from the clipboard") {
		t.Error("a clipboard without a commit hash was offered")
	}
	runAll(c, press(c, "f", "e", "e", "d", "b", "e", "e", "f", "enter"))
	if asked != "feedbeef" {
		t.Errorf("asked %q, want the typed feedbeef", asked)
	}
}

package ui

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// press sends keys by name ("j", "enter", "pgdown", "ctrl+c") and returns
// the last command.
func press(c *Console, keys ...string) tea.Cmd {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace,
	}
	var cmd tea.Cmd
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		if code, ok := special[k]; ok {
			msg = tea.KeyPressMsg{Code: code}
		} else if k == "ctrl+c" {
			msg = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
		}
		_, cmd = c.Update(msg)
	}
	return cmd
}

// send delivers a message and, when it starts a derivation, runs it and
// delivers its grid, as the program would; it returns what that returned.
func send(c *Console, msg tea.Msg) tea.Cmd {
	_, cmd := c.Update(msg)
	if cmd == nil {
		return nil
	}
	if d, ok := cmd().(derivedMsg); ok {
		_, next := c.Update(d)
		return next
	}
	return cmd
}

func newConsole(t *testing.T, apps, envs int) (*Console, *fakeBackend, *clock) {
	t.Helper()
	b := &fakeBackend{history: map[model.CellKey][]model.HistoryEntry{}}
	clk := &clock{t: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	c := New(Options{Backend: b, Now: clk.now, Title: "test", K9sOff: "no clusters in this test"})
	c.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	git, reg, cl := synthetic(apps, envs)
	// As the feed does: which clusters will answer, before they do.
	announce := model.ClusterUpdate{Envs: map[string]model.ClusterProgress{}}
	for env, p := range cl.Envs {
		announce.Envs[env] = model.ClusterProgress{Context: p.Context}
	}
	for _, u := range []model.Update{model.SourcesUpdate{Registry: true, Clusters: true}, git, announce, reg, cl} {
		send(c, u)
	}
	return c, b, clk
}

func selected(t *testing.T, c *Console) model.CellKey {
	t.Helper()
	k, ok := c.grid.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return k
}

func TestKeysMoveTheCursorWithinTheGrid(t *testing.T) {
	c, _, _ := newConsole(t, 100, 12)
	press(c, "j", "j", "l")
	if k := selected(t, c); k.App != "app-0002" || k.Env != "env01" {
		t.Errorf("after j j l: %+v", k)
	}
	press(c, "h", "h", "h", "k", "k", "k")
	if k := selected(t, c); k.App != "app-0000" || k.Env != "env00" {
		t.Errorf("moves stop at the edges: %+v", k)
	}
	press(c, "G")
	if k := selected(t, c); k.App != "app-0099" {
		t.Errorf("G: %+v", k)
	}
	press(c, "g", "pgdown")
	if k := selected(t, c); k.App != fmt.Sprintf("app-%04d", c.grid.PageRows()) {
		t.Errorf("pgdown from the top: %+v, want row %d", k, c.grid.PageRows())
	}
	for range 11 {
		press(c, "l")
	}
	header := strings.Split(ansi.Strip(c.View().Content), "\n")[2]
	if !strings.Contains(header, "env11") || strings.Contains(header, "env00") || !strings.HasPrefix(header, "APP ◀") {
		t.Errorf("the last column is scrolled into view, the app column stays: %q", header)
	}
}

func TestEveryFrameFitsTheTerminal(t *testing.T) {
	c, _, _ := newConsole(t, 300, 12)
	for _, size := range [][2]int{{80, 24}, {200, 60}, {40, 10}} {
		c.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, keys := range [][]string{nil, {"enter"}, {"esc", "?"}, {"esc", ":"}} {
			press(c, keys...)
			lines := strings.Split(c.View().Content, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d after %v: %d lines", size[0], size[1], keys, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d after %v: line %d is %d wide: %q", size[0], size[1], keys, i, w, ansi.Strip(l))
					break
				}
			}
		}
		press(c, "esc")
	}
}

// TestALongNoticeIsReadWholeAtEightyColumns: a notice is often the only
// place a problem shows (a failed push, a config line); at 80 columns it
// was cut after a few words. It takes the status line, wrapped, and the
// frame keeps its size; the next key gives the counts back.
func TestALongNoticeIsReadWholeAtEightyColumns(t *testing.T) {
	c, _, _ := newConsole(t, 30, 3)
	c.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	c.notice = "not committed, the staged changes are kept: push to file:///tmp/remote.git refused: " +
		"the remote's main moved on since the fetch (fetch with R and review again)"
	lines := strings.Split(ansi.Strip(c.View().Content), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	words := strings.Join(strings.Fields(strings.Join(lines[len(lines)-4:len(lines)-1], " ")), " ")
	if !strings.Contains(words, strings.Join(strings.Fields(c.notice), " ")) {
		t.Errorf("the notice is not all there:\n%s", strings.Join(lines[len(lines)-4:], "\n"))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
	press(c, "j")
	if status := strings.Split(ansi.Strip(c.View().Content), "\n")[22]; !strings.Contains(status, "row 2/30") {
		t.Errorf("after a key the status line is %q, want the counts and the row back", status)
	}
}

func TestFilterAndDriftOnlyChooseTheRows(t *testing.T) {
	c, _, _ := newConsole(t, 30, 3)
	press(c, "/", "0", "2", "1")
	if rows := c.grid.rows; len(rows) != 1 || c.grid.grid.Apps[rows[0]].Name != "app-0021" {
		t.Fatalf("filter 021 kept %d rows", len(rows))
	}
	press(c, "enter", "j")
	if k := selected(t, c); k.App != "app-0021" {
		t.Errorf("the filter stays after enter: %+v", k)
	}
	press(c, "esc")
	if len(c.grid.rows) != 30 {
		t.Errorf("esc clears the filter: %d rows", len(c.grid.rows))
	}
	press(c, "d")
	for _, r := range c.grid.rows {
		if !needsAttention(c.grid.grid.Apps[r]) {
			t.Errorf("drift-only kept %s", c.grid.grid.Apps[r].Name)
		}
	}
	if len(c.grid.rows) == 0 || len(c.grid.rows) == 30 {
		t.Errorf("drift-only kept %d of 30 rows", len(c.grid.rows))
	}
	press(c, "esc")
	if len(c.grid.rows) != 30 {
		t.Errorf("esc ends drift-only: %d rows", len(c.grid.rows))
	}
}

// TestLiveUpdateKeepsTheCursorAndMarksTheCell: a cluster update changes
// one cell; the cursor stays on its app though rows are re-derived, and the
// changed cell is marked until the mark's time has passed.
func TestLiveUpdateKeepsTheCursorAndMarksTheCell(t *testing.T) {
	c, _, clk := newConsole(t, 20, 3)
	press(c, "j", "j", "j", "l")
	before := selected(t, c)
	_, _, cl := synthetic(20, 3)
	key := model.ImageKey{App: "app-0005", Env: "env01", Image: "api"}
	live := cl.Live[key]
	live.Digests = map[string]int{fakeDigest(5, 9): 3}
	cl.Live[key] = live
	if cmd := send(c, cl); cmd == nil {
		t.Error("a change schedules the end of its mark")
	}
	if after := selected(t, c); after != before {
		t.Errorf("cursor moved from %+v to %+v", before, after)
	}
	changed := model.CellKey{App: "app-0005", Env: "env01"}
	marked := func() bool { return strings.Contains(ansi.Strip(c.grid.rowLine(5, 0, 3)), "•") }
	if !c.grid.flashing(changed) || !marked() {
		t.Errorf("the changed cell is not marked: %q", ansi.Strip(c.grid.rowLine(5, 0, 3)))
	}
	if c.grid.flashing(model.CellKey{App: "app-0004", Env: "env01"}) {
		t.Error("an unchanged cell is marked")
	}
	clk.t = clk.t.Add(flashFor)
	c.Update(flashDoneMsg{})
	if c.grid.flashing(changed) || marked() {
		t.Error("the mark outlived its time")
	}
}

// TestHistoryAnswersForACellNoLongerShownAreDropped: every request is
// tagged; a late answer for a detail the user left is ignored.
func TestHistoryAnswersForACellNoLongerShownAreDropped(t *testing.T) {
	c, b, _ := newConsole(t, 5, 2)
	first := press(c, "enter")
	press(c, "esc", "j")
	second := press(c, "enter")
	a, bb := model.CellKey{App: "app-0000", Env: "env00"}, model.CellKey{App: "app-0001", Env: "env00"}
	b.history[a] = []model.HistoryEntry{{Commit: "aaaaaaaaaaaa", Subject: "change of A", To: model.ImageRef{Tag: "1"}}}
	b.history[bb] = []model.HistoryEntry{{Commit: "bbbbbbbbbbbb", Subject: "change of B", To: model.ImageRef{Tag: "2"}}}
	c.Update(first()) // late: the user is on B now
	if view := ansi.Strip(c.View().Content); strings.Contains(view, "change of A") || !strings.Contains(view, "reading…") {
		t.Errorf("a late answer reached the detail:\n%s", view)
	}
	c.Update(second())
	if view := ansi.Strip(c.View().Content); !strings.Contains(view, "change of B") {
		t.Errorf("the answer for B is not shown:\n%s", view)
	}
	if len(b.asked) != 2 || b.asked[0] != a || b.asked[1] != bb {
		t.Errorf("history asked for %v", b.asked)
	}
}

func TestKeysThatCannotActSayWhy(t *testing.T) {
	c, b, _ := newConsole(t, 3, 2)
	press(c, "K")
	if !strings.Contains(c.notice, "no clusters in this test") {
		t.Errorf("K: %q", c.notice)
	}
	cmd := press(c, "y")
	if cmd == nil || !strings.HasPrefix(c.notice, "copied ghcr.io/shop/app-0000@sha256:") {
		t.Errorf("y: %q", c.notice)
	}
	c.world.Registry = nil
	c.world.Declared[0].Ref.Digest = ""
	send(c, model.RegistryUpdate{})
	press(c, "y")
	if !strings.Contains(c.notice, "has not resolved app-0000 in env00") {
		t.Errorf("y without a digest: %q", c.notice)
	}
	press(c, "R")
	if b.refreshes != 1 {
		t.Errorf("R asked %d refreshes", b.refreshes)
	}
}

func TestK9sOpensOnTheWorkloadOfTheCell(t *testing.T) {
	c, _, _ := newConsole(t, 3, 2)
	var got K9sTarget
	c.o.OpenK9s = func(t K9sTarget) (*exec.Cmd, error) { got = t; return nil, errors.New("k9s is not installed") }
	cmd := press(c, "j", "K")
	c.Update(cmd())
	if got != (K9sTarget{Context: "ctx-env00", Kind: "Deployment", Name: "app-0001"}) {
		t.Errorf("k9s target = %+v", got)
	}
	if c.notice != "k9s is not installed" {
		t.Errorf("notice = %q", c.notice)
	}
}

func TestPaletteFiltersAndRunsAnAction(t *testing.T) {
	c, _, _ := newConsole(t, 10, 2)
	press(c, ":", "d", "r", "i")
	if m := c.palette.matches; len(m) != 1 || m[0].Action != "drift-only" {
		t.Errorf("palette matches %d actions for \"dri\"", len(m))
	}
	if view := ansi.Strip(c.View().Content); !strings.Contains(view, "▸ d          only what is not in sync") {
		t.Errorf("palette does not show the match:\n%s", view)
	}
	press(c, "enter")
	if c.mode != modeGrid || !c.grid.driftOnly {
		t.Errorf("palette did not run drift-only (mode %d)", c.mode)
	}
}

func TestCycleIdentityShowsVersionCommitDigest(t *testing.T) {
	c, _, _ := newConsole(t, 2, 2)
	press(c, "j")
	cell := func() string { return cellText(c.grid.SelectedCell(), c.view) }
	if cell() != "✓ 1.1.0" {
		t.Errorf("version view: %q", cell())
	}
	press(c, "v")
	if cell() != "✓ @000000a" {
		t.Errorf("commit view: %q", cell())
	}
	press(c, "v")
	if !strings.HasPrefix(cell(), "✓ sha256:000000") {
		t.Errorf("digest view: %q", cell())
	}
}

// TestOutsideTextIsInert: an OCI label or app name carrying OSC 52 (a
// clipboard write) or CSI sequences reaches the screen visible and inert.
func TestOutsideTextIsInert(t *testing.T) {
	c, _, _ := newConsole(t, 1, 1)
	evil := "1.0\x1b]52;c;ZXZpbA==\x07\x1b[2J\u009b31m"
	for k, f := range c.world.Registry {
		f.Version = evil
		f.Source = "https://github.com/x/y\x1b]8;;file:///etc/passwd\x07"
		c.world.Registry[k] = f
	}
	c.world.Apps = []string{"app\x1b[31m-0000"}
	send(c, model.RegistryUpdate{})
	for _, keys := range [][]string{nil, {"enter"}} {
		press(c, keys...)
		view := c.View().Content
		for _, bad := range []string{"\x1b]52", "\x1b[2J", "\u009b", "\x1b[31m-", "file:///etc/passwd\x07"} {
			if strings.Contains(view, bad) {
				t.Errorf("after %v the screen holds %q raw", keys, bad)
			}
		}
		if !strings.Contains(ansi.Strip(view), "^[]52;c;") {
			t.Errorf("after %v the label is not shown inert:\n%s", keys, ansi.Strip(view))
		}
	}
}

func TestMouseSelectsAndScrolls(t *testing.T) {
	c, _, _ := newConsole(t, 50, 4)
	// Row 4 of the screen: title, progress, header, then app-0000.
	appWidth := c.grid.layout.appWidth
	c.Update(tea.MouseClickMsg{X: appWidth + c.grid.layout.widths[0] + 1, Y: 5, Button: tea.MouseLeft})
	if k := selected(t, c); k.App != "app-0002" || k.Env != "env01" {
		t.Errorf("click selected %+v", k)
	}
	c.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if k := selected(t, c); k.App != "app-0005" {
		t.Errorf("wheel down moved to %+v", k)
	}
}

package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ferryhq/ferry/model"
)

// Golden frames at a fixed size, of a fixed world, with the default theme
// on a dark background. Run `go test ./ui -run Golden -update` after a
// change to the look, and read the diff before committing it.
func goldenConsole(t *testing.T, width, height int) *Console {
	t.Helper()
	c, b, _ := newConsole(t, 12, 5)
	c.Update(tea.WindowSizeMsg{Width: width, Height: height})
	b.history[model.CellKey{App: "app-0002", Env: "env01"}] = []model.HistoryEntry{{
		Commit: "89abcdef0123456789abcdef0123456789abcdef", Author: "Dana Kowalski",
		When:    time.Date(2026, 11, 30, 14, 15, 0, 0, time.UTC),
		Subject: "Promote app-0002 1.2.1 to env01", Image: "api",
		From: model.ImageRef{Tag: "1.2.0"}, To: model.ImageRef{Tag: "1.2.1", Digest: fakeDigest(2, 1)},
	}}
	return c
}

// TestGoldenGrid keeps the grid's escapes too: colours and glyphs.
func TestGoldenGrid(t *testing.T) {
	c := goldenConsole(t, 100, 20)
	press(c, "j", "j", "l")
	golden.RequireEqual(t, c.View().Content)
}

func TestGoldenGridAt80x24(t *testing.T) {
	c := goldenConsole(t, 80, 24)
	press(c, "G", "l", "l", "l", "l")
	golden.RequireEqual(t, ansi.Strip(c.View().Content))
}

func TestGoldenDetail(t *testing.T) {
	c := goldenConsole(t, 130, 36)
	cmd := press(c, "j", "j", "l", "enter")
	c.Update(cmd())
	golden.RequireEqual(t, ansi.Strip(c.View().Content))
}

package ui

import (
	"fmt"
	"strings"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// The problems no cell, row or column shows — a ferry.yaml that does not
// parse, a file ferry could not place — are counted on the status line
// and listed by the problems key, so that none is missed in the console.

// openProblems lists them on a screen of their own.
func (c *Console) openProblems() {
	if len(c.grid.grid.Problems) == 0 {
		c.notice = "no problem outside the cells"
		return
	}
	c.back, c.mode = c.mode, modeProblems
	c.refreshProblems()
	c.help.vp.GotoTop()
}

func (c *Console) refreshProblems() {
	if c.mode == modeProblems {
		c.help.SetContent(fit(problemsText(c.grid.grid.Problems, c.theme, c.width), c.width))
	}
}

// problemsText is the list, each problem wrapped to the width. Pure.
func problemsText(problems []model.Problem, t *Theme, width int) string {
	var b strings.Builder
	b.WriteString(t.Title.Render("problems outside the cells") + "\n\n")
	for _, p := range problems {
		for i, line := range hang("✖ "+Clean(p.Error()), max(width-2, 20)) {
			if i == 0 {
				line = t.Problem.Render("✖") + strings.TrimPrefix(line, "✖")
			}
			b.WriteString("  " + line + "\n")
		}
	}
	b.WriteString("\n" + t.Muted.Render("ferry status --explain says which files feed which cells.") + "\n")
	return b.String()
}

// outsideCells is the status line's count of those problems, naming the
// key that lists them; "" when there are none.
func outsideCells(g *model.Grid, keys *keymap.Map, t *Theme) string {
	if len(g.Problems) == 0 {
		return ""
	}
	key := keys.Get(keymap.Problems).Help().Key
	return t.Problem.Render(fmt.Sprintf("✖ %d outside the cells (%s lists)", len(g.Problems), key))
}

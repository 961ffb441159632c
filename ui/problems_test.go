package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// A problem no cell shows (a ferry.yaml that does not parse) is counted on
// the status line, and ! lists it; esc goes back to the grid.
func TestProblemsOutsideTheCellsAreCountedAndListed(t *testing.T) {
	c, _, _ := newConsole(t, 3, 2)
	if press(c, "!"); c.mode != modeGrid || c.notice != "no problem outside the cells" {
		t.Fatalf("! with none: mode %d, notice %q", c.mode, c.notice)
	}
	git, _, _ := synthetic(3, 2)
	git.Problems = []model.CellProblem{{Problem: model.Problem{Source: model.SourceGit, File: "ferry.yaml", Line: 5,
		Message: "not valid YAML: did not find expected node content"}}}
	send(c, git)
	screen := ansi.Strip(c.View().Content)
	if !strings.Contains(screen, "✖ 1 outside the cells (! lists)") {
		t.Errorf("the status line does not count the problem:\n%s", screen)
	}
	press(c, "!")
	screen = ansi.Strip(c.View().Content)
	if c.mode != modeProblems || !strings.Contains(screen, "ferry.yaml:5: not valid YAML: did not find expected node content") {
		t.Fatalf("! lists:\n%s", screen)
	}
	if press(c, "esc"); c.mode != modeGrid {
		t.Errorf("esc: mode %d, want the grid", c.mode)
	}
}

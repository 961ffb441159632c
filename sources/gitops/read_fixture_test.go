package gitops

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// readFixture loads testdata/repos/<name> into a Tree, the way the repo
// reader would from a commit.
func readFixture(t testing.TB, name string) *repotree.Tree {
	t.Helper()
	return repotree.NewTree("fixture", testrepo.Files(t, filepath.Join("..", "..", "testdata", "repos", name)))
}

// cell is one declared image as the tests spell it.
type cell struct {
	App, Env, Name, Ref, File string
	Line                      int
	Kind                      model.FieldKind
}

func (c cell) String() string {
	return fmt.Sprintf("%s/%s %s=%s at %s:%d (%s)", c.App, c.Env, c.Name, c.Ref, c.File, c.Line, c.Kind)
}

func cellOf(d model.Declared) cell {
	return cell{d.App, d.Env, d.Name, d.Ref.String(), d.Location.File, d.Location.Line, d.Location.Kind}
}

// checkCells compares the declarations cell by cell, order aside.
func checkCells(t *testing.T, got []model.Declared, want []cell) {
	t.Helper()
	have := map[string]bool{}
	for _, d := range got {
		have[cellOf(d).String()] = true
	}
	wanted := map[string]bool{}
	for _, w := range want {
		wanted[w.String()] = true
		if !have[w.String()] {
			t.Errorf("missing  %s", w)
		}
	}
	for _, d := range got {
		if !wanted[cellOf(d).String()] {
			t.Errorf("unexpected %s", cellOf(d))
		}
	}
}

func problemsText(ps []model.CellProblem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "[%s/%s] %s\n", p.App, p.Env, p.Problem.Error())
	}
	return b.String()
}

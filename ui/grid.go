package ui

import (
	"slices"
	"time"

	"github.com/ferryhq/ferry/model"
)

// gridView is the app × environment grid: which rows pass the filter, where
// the cursor is, which part is scrolled into view. It renders only the
// visible window (gridrender.go).
type gridView struct {
	theme *Theme
	grid  *model.Grid
	envs  model.Environments // for the fan-out groups of the header
	rows  []int              // indexes into grid.Apps, in display order
	view  IdentityView

	filter    string
	driftOnly bool

	// The cursor is kept by name, so live updates and filters never move
	// it to another app.
	app, env       string
	row, col       int
	rowOff, colOff int
	width, height  int

	measured measured                 // column widths for the grid and view
	counts   map[model.State]int      // cells per state, counted once per grid
	staged   map[model.CellKey]string // "from → to" of staged cells
	marks    map[model.CellKey]string // how far a commit has come (w), nil when not asked
	layout   gridLayout
	cells    *cellCache
	changed  map[model.CellKey]time.Time // when each cell last changed
	now      func() time.Time
}

// flashFor is how long a cell that just changed stays marked.
const flashFor = 3 * time.Second

func newGridView(t *Theme, now func() time.Time) *gridView {
	return &gridView{theme: t, grid: &model.Grid{}, counts: map[model.State]int{}, cells: newCellCache(), changed: map[model.CellKey]time.Time{}, now: now}
}

// SetGrid replaces the grid (a source reported) and keeps the cursor on
// the same app and environment.
func (g *gridView) SetGrid(grid *model.Grid, envs model.Environments, m measured) {
	g.grid, g.envs, g.measured = grid, envs, m
	g.counts = stateCounts(grid)
	g.refilter()
}

// SetFilter and SetDriftOnly choose the rows shown.
func (g *gridView) SetFilter(f string) {
	// A new filter puts the cursor on the best match, unless the app under
	// it still matches.
	g.filter = f
	g.rows = visibleRows(g.grid, g.filter, g.driftOnly)
	if !slices.ContainsFunc(g.rows, func(r int) bool { return g.grid.Apps[r].Name == g.app }) {
		g.row = 0
		if len(g.rows) > 0 {
			g.app = g.grid.Apps[g.rows[0]].Name
		}
	}
	g.refilter()
}
func (g *gridView) SetDriftOnly(on bool) { g.driftOnly = on; g.refilter() }
func (g *gridView) SetView(v IdentityView) {
	g.view = v
	if g.measured.view != v {
		g.measured = measure(g.grid, v)
	}
	g.relayout()
}

// SetSize gives the grid its part of the screen.
func (g *gridView) SetSize(w, h int) {
	g.width, g.height = w, h
	g.relayout()
}

// SetStaged marks the cells the plan changes.
func (g *gridView) SetStaged(s map[model.CellKey]string) { g.staged = s }

// SetMarks shows, in place of cells, how far a commit has come (nil
// clears them).
func (g *gridView) SetMarks(m map[model.CellKey]string) { g.marks = m }

// MarkChanged marks cells that just changed.
func (g *gridView) MarkChanged(keys []model.CellKey) {
	at := g.now()
	for _, k := range keys {
		g.changed[k] = at
	}
}

func (g *gridView) relayout() {
	g.layout = newLayout(g.grid, g.envs, g.measured)
	g.clamp()
}

func (g *gridView) refilter() {
	g.rows = visibleRows(g.grid, g.filter, g.driftOnly)
	g.row, g.col = g.find()
	g.relayout()
}

// find returns the position of the cursor's app and environment, or the
// nearest one when they are gone.
func (g *gridView) find() (int, int) {
	row, col := min(g.row, len(g.rows)-1), min(g.col, len(g.grid.Environments)-1)
	for i, r := range g.rows {
		if g.grid.Apps[r].Name == g.app {
			row = i
		}
	}
	for i, e := range g.grid.Environments {
		if e == g.env {
			col = i
		}
	}
	return max(row, 0), max(col, 0)
}

// Move moves the cursor by rows and columns, scrolling as needed.
func (g *gridView) Move(dRow, dCol int) {
	g.row += dRow
	g.col += dCol
	g.clamp()
}

// MoveTo puts the cursor on a row (negative counts from the end).
func (g *gridView) MoveTo(row int) {
	if row < 0 {
		row = len(g.rows) + row
	}
	g.row = row
	g.clamp()
}

// PageRows is how many rows a page moves.
func (g *gridView) PageRows() int { return max(g.bodyHeight()-1, 1) }

func (g *gridView) clamp() {
	g.row = max(min(g.row, len(g.rows)-1), 0)
	g.col = max(min(g.col, len(g.grid.Environments)-1), 0)
	if app, ok := g.Selected(); ok {
		g.app, g.env = app.App, app.Env
	}
	body := g.bodyHeight()
	switch {
	case g.row < g.rowOff:
		g.rowOff = g.row
	case body > 0 && g.row >= g.rowOff+body:
		g.rowOff = g.row - body + 1
	}
	g.rowOff = max(min(g.rowOff, len(g.rows)-body), 0)
	g.colOff = g.layout.scrollTo(g.col, g.colOff, g.width)
}

// Selected returns the cursor's cell key; false when the grid is empty.
func (g *gridView) Selected() (model.CellKey, bool) {
	if len(g.rows) == 0 || len(g.grid.Environments) == 0 {
		return model.CellKey{}, false
	}
	return model.CellKey{App: g.grid.Apps[g.rows[g.row]].Name, Env: g.grid.Environments[g.col]}, true
}

// SelectedCell returns the cursor's cell, or nil.
func (g *gridView) SelectedCell() *model.Cell {
	k, ok := g.Selected()
	if !ok {
		return nil
	}
	return g.grid.Apps[g.rows[g.row]].Cells[k.Env]
}

// Click moves the cursor to the cell at screen position x, y (relative to
// the grid's top left); it reports whether a cell was there.
func (g *gridView) Click(x, y int) bool {
	row := y - g.layout.headerRows + g.rowOff
	if y < g.layout.headerRows || row >= len(g.rows) {
		return false
	}
	if col, ok := g.layout.columnAt(x, g.colOff, g.width); ok {
		g.col = col
	} else if x >= g.layout.appWidth {
		return false
	}
	g.row = row
	g.clamp()
	return true
}

// Position says where the cursor is, for the status line: "3/120".
func (g *gridView) Position() (row, rows int) { return g.row + 1, len(g.rows) }

func (g *gridView) bodyHeight() int { return g.height - g.layout.headerRows }

// flashing reports whether a cell changed within flashFor.
func (g *gridView) flashing(k model.CellKey) bool {
	at, ok := g.changed[k]
	return ok && g.now().Sub(at) < flashFor
}

// ExpireFlashes forgets the marks that ended; it reports whether any is
// still on.
func (g *gridView) ExpireFlashes() bool {
	for k := range g.changed {
		if !g.flashing(k) {
			delete(g.changed, k)
		}
	}
	return len(g.changed) > 0
}

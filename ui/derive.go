package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// derivedMsg is a grid derived off the UI goroutine from a snapshot of the
// world, with what changed since the grid before and the column widths.
type derivedMsg struct {
	seq        int
	grid       *model.Grid
	envs       model.Environments
	progress   model.Progress
	signatures map[model.CellKey]string
	changed    []model.CellKey
	widths     measured
}

// measured is the width each column needs to show every row in one view.
type measured struct {
	view     IdentityView
	appWidth int
	widths   []int
}

// derive returns the command that derives the grid from a snapshot of the
// world; at most one runs at a time, and updates that arrive meanwhile are
// folded into the next. Deriving 12,000 cells takes tens of milliseconds:
// a key press must not wait for it.
func (c *Console) derive() tea.Cmd {
	if c.deriving {
		c.dirty = true
		return nil
	}
	c.deriving, c.dirty = true, false
	c.seq++
	seq, snapshot, prev, view := c.seq, *c.world, c.signatures, c.view
	return func() tea.Msg {
		g := snapshot.Grid()
		sigs, changed := diffGrids(prev, g)
		return derivedMsg{seq: seq, grid: g, envs: snapshot.Environments, progress: snapshot.Progress,
			signatures: sigs, changed: changed, widths: measure(g, view)}
	}
}

// installGrid shows a derived grid, marks what changed once every source
// answered, and starts the next derivation when updates came meanwhile.
func (c *Console) installGrid(m derivedMsg) tea.Cmd {
	c.deriving = false
	c.gridRead = c.gridRead || m.progress.Git.Read
	c.signatures = m.signatures
	c.grid.SetGrid(m.grid, m.envs, m.widths)
	c.refreshDetail()
	c.refreshProblems()
	c.refreshReview()
	wasSettled := c.settled
	c.settled = c.settled || m.progress.Settled()
	var cmds []tea.Cmd
	if wasSettled && len(m.changed) > 0 {
		c.grid.MarkChanged(m.changed)
		cmds = append(cmds, flashTick())
	}
	if c.mode == modeDetail && m.progress.Git.Commit != c.detail.commit {
		// The branch moved: the cell's history has a new entry, perhaps.
		c.histTag++
		c.detail.Reload(c.histTag, m.progress.Git.Commit)
		cmds = append(cmds, c.historyCmd(c.detail.key, c.histTag))
	}
	if c.dirty {
		cmds = append(cmds, c.derive())
	}
	return tea.Batch(cmds...)
}

// diffGrids returns the signatures of a grid's cells and the cells whose
// signature changed since prev.
func diffGrids(prev map[model.CellKey]string, g *model.Grid) (map[model.CellKey]string, []model.CellKey) {
	var changed []model.CellKey
	next := make(map[model.CellKey]string, len(prev))
	for _, r := range g.Apps {
		for _, env := range g.Environments {
			k := model.CellKey{App: r.Name, Env: env}
			sig := signature(r.Cells[env])
			if old, ok := prev[k]; ok && old != sig {
				changed = append(changed, k)
			}
			next[k] = sig
		}
	}
	return next, changed
}

// measure finds the width each column needs for every row of the grid in
// one view, so columns do not jump as the filter changes.
func measure(g *model.Grid, view IdentityView) measured {
	m := measured{view: view, appWidth: len("APP") + 2, widths: make([]int, len(g.Environments))}
	for _, r := range g.Apps {
		m.appWidth = max(m.appWidth, ansi.StringWidth(Clean(r.Name))+2)
	}
	m.appWidth = min(m.appWidth, maxAppWidth)
	for i, env := range g.Environments {
		w := ansi.StringWidth(Clean(env))
		for _, r := range g.Apps {
			w = max(w, ansi.StringWidth(cellText(r.Cells[env], view)))
		}
		// One column for the change mark, one to separate cells.
		m.widths[i] = min(max(w, minCellWidth), maxCellWidth) + 2
	}
	return m
}

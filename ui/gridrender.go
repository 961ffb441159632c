package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// View renders the visible window of the grid: sticky header rows and app
// column, and only the rows and columns that fit.
func (g *gridView) View() string {
	if len(g.grid.Environments) == 0 {
		return ""
	}
	from, to := g.layout.visible(g.colOff, g.width)
	lines := make([]string, 0, g.height)
	if len(g.layout.groups) > 0 {
		lines = append(lines, g.groupHeader(from, to))
	}
	lines = append(lines, g.envHeader(from, to))
	end := min(g.rowOff+g.bodyHeight(), len(g.rows))
	for i := g.rowOff; i < end; i++ {
		lines = append(lines, g.rowLine(i, from, to))
	}
	if len(g.rows) == 0 {
		lines = append(lines, g.theme.Muted.Render(g.emptyText()))
	}
	return strings.Join(lines, "\n")
}

func (g *gridView) emptyText() string {
	switch {
	case g.filter != "" && g.driftOnly:
		return "  no app matches " + Clean(g.filter) + " with something not in sync"
	case g.filter != "":
		return "  no app matches " + Clean(g.filter)
	case g.driftOnly:
		return "  every app is in sync (d shows all)"
	}
	return "  no apps"
}

// groupHeader labels each fan-out over the columns it spans.
func (g *gridView) groupHeader(from, to int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", g.layout.appWidth))
	for c := from; c < to; {
		grp, ok := g.groupAt(c)
		if !ok {
			b.WriteString(strings.Repeat(" ", g.layout.widths[c]))
			c++
			continue
		}
		span, last := 0, min(grp.last, to-1)
		for i := c; i <= last; i++ {
			span += g.layout.widths[i]
		}
		b.WriteString(g.theme.Group.Render(rule(grp.label, span-1)) + " ")
		c = last + 1
	}
	return b.String()
}

func (g *gridView) groupAt(c int) (envGroup, bool) {
	for _, grp := range g.layout.groups {
		if c >= grp.first && c <= grp.last {
			return grp, true
		}
	}
	return envGroup{}, false
}

// rule centres a label in a line: "╶─ after staging ─╴".
func rule(label string, width int) string {
	label = ansi.Truncate(" "+label+" ", width, "…")
	left := (width - ansi.StringWidth(label)) / 2
	right := width - ansi.StringWidth(label) - left
	return strings.Repeat("─", max(left, 0)) + label + strings.Repeat("─", max(right, 0))
}

// envHeader names the visible environments; arrows say more columns hide
// to the left or the right.
func (g *gridView) envHeader(from, to int) string {
	app := "APP"
	if from > 0 {
		app += " ◀"
	}
	var b strings.Builder
	b.WriteString(g.theme.Header.Render(pad(app, g.layout.appWidth)))
	for c := from; c < to; c++ {
		name := Clean(g.grid.Environments[c])
		if c == to-1 && to < len(g.grid.Environments) {
			name += " ▶"
		}
		b.WriteString(g.theme.Header.Render(pad(ansi.Truncate(name, g.layout.widths[c]-2, "…"), g.layout.widths[c])))
	}
	return b.String()
}

func (g *gridView) rowLine(i, from, to int) string {
	r := g.grid.Apps[g.rows[i]]
	var b strings.Builder
	name := pad(ansi.Truncate(Clean(r.Name), g.layout.appWidth-1, "…"), g.layout.appWidth)
	if i == g.row {
		b.WriteString(g.theme.AppName.Inherit(g.theme.Selected).Render(name))
	} else {
		b.WriteString(g.theme.AppName.Render(name))
	}
	for c := from; c < to; c++ {
		env := g.grid.Environments[c]
		cell := r.Cells[env]
		text := cellText(cell, g.view)
		if m, ok := g.marks[model.CellKey{App: r.Name, Env: env}]; ok {
			text = m
		}
		if s, ok := g.staged[model.CellKey{App: r.Name, Env: env}]; ok {
			text = s
		}
		k := cellKey{text: text, width: g.layout.widths[c],
			selected: i == g.row && c == g.col, changed: g.flashing(model.CellKey{App: r.Name, Env: env})}
		if cell != nil {
			k.state = cell.State
			if len(cell.Images) > 0 {
				k.artifact = ArtifactKey(cell.Images[0], g.view)
			}
		}
		b.WriteString(g.cells.render(g.theme, k))
	}
	return b.String()
}

// pad fills s with spaces to width columns.
func pad(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/ferryhq/ferry/model"
)

// StatusTable renders the grid as the table `ferry status` prints on a
// terminal: an app per row, an environment per column, each image on a line
// of its own with its state glyph, then a legend and the problems.
func StatusTable(g *model.Grid, t *Theme, view IdentityView) string {
	if len(g.Environments) == 0 || len(g.Apps) == 0 {
		return nothingFound(g, t)
	}
	headers := []string{"APP"}
	for _, e := range g.Environments {
		headers = append(headers, Clean(e))
	}
	rows := make([][]string, 0, len(g.Apps))
	for _, r := range g.Apps {
		row := []string{t.AppName.Render(Clean(r.Name))}
		for _, env := range g.Environments {
			row = append(row, tableCellText(r.Cells[env], t, view))
		}
		rows = append(rows, row)
	}
	tbl := table.New().
		Border(lipgloss.NormalBorder()).
		BorderStyle(t.Border).
		BorderColumn(true).
		BorderRow(true).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return t.Header.Padding(0, 1)
			}
			return lipgloss.NewStyle().Padding(0, 1)
		})
	var b strings.Builder
	b.WriteString(tbl.Render())
	b.WriteString("\n" + legend(t) + "\n")
	b.WriteString(problemList(g, t))
	return b.String()
}

// nothingFound explains an empty grid instead of drawing one.
func nothingFound(g *model.Grid, t *Theme) string {
	what := "no environments"
	if len(g.Environments) > 0 {
		what = "no apps in environments " + Clean(strings.Join(g.Environments, ", "))
	}
	return "ferry found " + what + " in this repo.\n" +
		t.Muted.Render("It looks for envs/, environments/, stages/, clusters/, overlays/ folders and values-<env>.yaml files;\n"+
			"`ferry init` writes a ferry.yaml to name environments and apps yourself, `ferry demo` shows a world.") +
		"\n" + problemList(g, t)
}

// tableCellText is one line per image: glyph, name (when the cell has several
// images) and identity.
func tableCellText(c *model.Cell, t *Theme, view IdentityView) string {
	if c == nil {
		return ""
	}
	if len(c.Images) == 0 {
		return t.State(c.State, Glyph(c.State)+" "+string(c.State))
	}
	lines := make([]string, 0, len(c.Images))
	for _, img := range c.Images {
		text := Label(img, view)
		if len(c.Images) > 1 {
			text = Clean(img.Name) + " " + text
		}
		if img.State == model.StateRolling && img.Live != nil && img.Live.Desired > 0 {
			text += fmt.Sprintf(" %d/%d", img.Live.Updated, img.Live.Desired)
		}
		lines = append(lines, t.State(img.State, Glyph(img.State)+" "+text))
	}
	if n := len(c.Problems); n > 0 {
		lines = append(lines, t.Problem.Render(fmt.Sprintf("%d problem(s)", n)))
	}
	return strings.Join(lines, "\n")
}

// legend explains the glyphs of every state.
func legend(t *Theme) string {
	parts := make([]string, 0, len(model.AllStates()))
	for _, s := range model.AllStates() {
		parts = append(parts, t.State(s, Glyph(s))+" "+string(s))
	}
	return t.Muted.Render("legend: ") + strings.Join(parts, "  ")
}

// problemList lists every distinct problem once, with the cells it
// concerns, so one unreachable registry reads as one line.
func problemList(g *model.Grid, t *Theme) string {
	var order []string
	cells := map[string][]string{}
	add := func(where string, p model.Problem) {
		line := Clean(p.Error())
		if _, ok := cells[line]; !ok {
			order = append(order, line)
		}
		if where != "" {
			cells[line] = append(cells[line], where)
		} else if cells[line] == nil {
			cells[line] = []string{}
		}
	}
	for _, p := range g.Problems {
		add("", p)
	}
	for _, r := range g.Apps {
		for _, env := range g.Environments {
			for _, p := range r.Cells[env].Problems {
				add(Clean(r.Name+"/"+env), p)
			}
		}
	}
	if len(order) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nproblems:\n")
	for _, line := range order {
		fmt.Fprintf(&b, "  %s %s", t.Problem.Render("✖"), line)
		if where := cells[line]; len(where) > 0 {
			b.WriteString(t.Muted.Render(" (" + strings.Join(foldColumns(g, where), ", ") + ")"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// foldColumns shortens a list of "app/env" cells: when a problem concerns
// every app of an environment, the column is named once instead.
func foldColumns(g *model.Grid, cells []string) []string {
	perEnv := map[string]int{}
	for _, c := range cells {
		_, env, _ := strings.Cut(c, "/")
		perEnv[env]++
	}
	var out []string
	named := map[string]bool{}
	for _, c := range cells {
		_, env, _ := strings.Cut(c, "/")
		switch {
		case len(g.Apps) > 1 && perEnv[env] == len(g.Apps):
			if !named[env] {
				named[env] = true
				out = append(out, "every app in "+env)
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

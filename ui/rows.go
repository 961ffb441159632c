package ui

import (
	"sort"

	"github.com/sahilm/fuzzy"

	"github.com/ferryhq/ferry/model"
)

// visibleRows returns the indexes of the grid's apps that pass the filter
// (fuzzy, best matches first) and, with driftOnly, have a cell that is not
// in sync. Without a filter the grid's order stays.
func visibleRows(g *model.Grid, filter string, driftOnly bool) []int {
	keep := func(i int) bool { return !driftOnly || needsAttention(g.Apps[i]) }
	if filter == "" {
		out := make([]int, 0, len(g.Apps))
		for i := range g.Apps {
			if keep(i) {
				out = append(out, i)
			}
		}
		return out
	}
	names := make([]string, len(g.Apps))
	for i, r := range g.Apps {
		names[i] = r.Name
	}
	matches := fuzzy.Find(filter, names)
	sort.Stable(matches)
	out := make([]int, 0, len(matches))
	for _, m := range matches {
		if keep(m.Index) {
			out = append(out, m.Index)
		}
	}
	return out
}

// needsAttention reports a row with a cell that is neither in sync nor
// missing: what "only rows with something not in sync" keeps.
func needsAttention(r model.Row) bool {
	for _, c := range r.Cells {
		if c != nil && c.State != model.StateInSync && c.State != model.StateMissing {
			return true
		}
	}
	return false
}

// stateCounts counts the cells of every row per state.
func stateCounts(g *model.Grid) map[model.State]int {
	out := map[model.State]int{}
	for _, r := range g.Apps {
		for _, env := range g.Environments {
			if c := r.Cells[env]; c != nil {
				out[c.State]++
			}
		}
	}
	return out
}

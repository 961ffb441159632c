package model

import (
	"fmt"
	"slices"
	"strings"
)

// Filter keeps only the named environments and apps (all when a list is
// empty). Naming one the grid does not have is an error that lists the
// choices.
func (g *Grid) Filter(envs, apps []string) (*Grid, error) {
	if err := knownNames("environment", envs, g.Environments); err != nil {
		return nil, err
	}
	names := make([]string, len(g.Apps))
	for i, r := range g.Apps {
		names[i] = r.Name
	}
	if err := knownNames("app", apps, names); err != nil {
		return nil, err
	}
	out := &Grid{Problems: g.Problems}
	for _, e := range g.Environments {
		if len(envs) == 0 || slices.Contains(envs, e) {
			out.Environments = append(out.Environments, e)
		}
	}
	for _, r := range g.Apps {
		if len(apps) > 0 && !slices.Contains(apps, r.Name) {
			continue
		}
		row := Row{Name: r.Name, Cells: map[string]*Cell{}}
		for _, e := range out.Environments {
			row.Cells[e] = r.Cells[e]
		}
		out.Apps = append(out.Apps, row)
	}
	return out, nil
}

func knownNames(what string, asked, known []string) error {
	for _, a := range asked {
		if !slices.Contains(known, a) {
			return fmt.Errorf("unknown %s %q (known: %s)", what, a, strings.Join(known, ", "))
		}
	}
	return nil
}

// NeedsAttention reports whether any cell drifts or any problem was found:
// what `ferry status --exit-code` exits 1 for.
func (g *Grid) NeedsAttention() bool {
	if len(g.Problems) > 0 {
		return true
	}
	for _, r := range g.Apps {
		for _, c := range r.Cells {
			if c.State == StateDrift || c.State == StateError || len(c.Problems) > 0 {
				return true
			}
		}
	}
	return false
}

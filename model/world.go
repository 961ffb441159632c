package model

import "sort"

// CellKey addresses one app in one environment.
type CellKey struct {
	App string
	Env string
}

// ImageKey addresses one image of an app in one environment.
type ImageKey struct {
	App   string
	Env   string
	Image string
}

// CellProblem is a problem attached to the cells it concerns: App "" means
// the whole environment column, Env "" the whole app row, both "" the world.
type CellProblem struct {
	CellKey
	Problem
}

// World merges the facts every source has reported so far. Sources fill it;
// Grid derives what is shown. A source that has not reported leaves its maps
// nil, and the grid leaves its fields out.
type World struct {
	Environments Environments
	Apps         []string // in display order; Grid sorts when empty order matters
	Declared     []Declared
	Problems     []CellProblem
	// Registry holds facts per declared reference (ImageRef.String()).
	Registry map[string]RegistryFacts
	// RegistryProblems holds failures per declared reference.
	RegistryProblems map[string][]Problem
	Live             map[ImageKey]LiveFacts
	Controllers      map[CellKey]ControllerFacts
}

// AddProblem attaches a problem to an app × environment (either may be "").
func (w *World) AddProblem(app, env string, p Problem) {
	w.Problems = append(w.Problems, CellProblem{CellKey{app, env}, p})
}

// AppNames returns the apps: those listed in Apps, then any other app that
// has a declaration, in name order.
func (w *World) AppNames() []string {
	seen := map[string]bool{}
	out := append([]string(nil), w.Apps...)
	for _, a := range out {
		seen[a] = true
	}
	var extra []string
	for _, d := range w.Declared {
		if !seen[d.App] {
			seen[d.App] = true
			extra = append(extra, d.App)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// declaredIn returns the declarations of one cell, in file order.
func (w *World) declaredIn(k CellKey) []Declared {
	var out []Declared
	for _, d := range w.Declared {
		if d.App == k.App && d.Env == k.Env {
			out = append(out, d)
		}
	}
	return out
}

// problemsOf returns the problems that concern a cell, its row or column;
// world-wide ones are shown once, not on every cell.
func (w *World) problemsOf(k CellKey) []Problem {
	var out []Problem
	for _, p := range w.Problems {
		global := p.App == "" && p.Env == ""
		if !global && (p.App == "" || p.App == k.App) && (p.Env == "" || p.Env == k.Env) {
			out = append(out, p.Problem)
		}
	}
	return out
}

// GlobalProblems returns the problems that belong to no single cell, row or
// column, such as a broken file ferry could not place.
func (w *World) GlobalProblems() []Problem {
	var out []Problem
	for _, p := range w.Problems {
		if p.App == "" && p.Env == "" {
			out = append(out, p.Problem)
		}
	}
	return out
}

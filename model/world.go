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

// World merges the facts every source has reported so far. Sources fill it
// (directly, or through Apply one update at a time); Grid derives what is
// shown. A source that has not reported leaves its maps nil, and the grid
// leaves its fields out.
type World struct {
	Environments Environments
	Apps         []string // in display order; Grid sorts when empty order matters
	Declared     []Declared
	// Problems holds the problems of Git and the clusters; each carries
	// its Source, and Apply replaces one source's problems at a time.
	Problems []CellProblem
	// Registry holds facts per declared reference (ImageRef.String()).
	Registry map[string]RegistryFacts
	// RegistryProblems holds failures per declared reference.
	RegistryProblems map[string][]Problem
	Live             map[ImageKey]LiveFacts
	Controllers      map[CellKey]ControllerFacts
	// Progress says how far each source has come.
	Progress Progress
}

// AddProblem attaches a problem to an app × environment (either may be "").
func (w *World) AddProblem(app, env string, p Problem) {
	w.Problems = append(w.Problems, CellProblem{CellKey{app, env}, p})
}

// AppNames returns the apps: those listed in Apps, then any other app that
// has a declaration, in name order.
func (w *World) AppNames() []string {
	seen := make(map[string]bool, len(w.Apps))
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

// index makes every per-cell lookup of one Grid derivation a map access:
// scanning the declarations once per cell made the grid quadratic.
type index struct {
	declared map[CellKey][]int // positions in World.Declared, in file order
	facts    []declFacts       // by position in World.Declared
	byCell   map[CellKey][]Problem
	byRow    map[string][]Problem
	byColumn map[string][]Problem
}

func (w *World) index() *index {
	ix := &index{
		declared: make(map[CellKey][]int, len(w.Declared)),
		byCell:   map[CellKey][]Problem{}, byRow: map[string][]Problem{}, byColumn: map[string][]Problem{},
	}
	ix.facts = make([]declFacts, len(w.Declared))
	registry := make(map[string]*RegistryFacts, len(w.Registry))
	for i := range w.Declared {
		d := &w.Declared[i]
		k := CellKey{d.App, d.Env}
		ix.declared[k] = append(ix.declared[k], i)
		ix.facts[i] = w.factsOf(d, registry)
	}
	for _, p := range w.Problems {
		switch {
		case p.App == "" && p.Env == "":
		case p.App == "":
			ix.byColumn[p.Env] = append(ix.byColumn[p.Env], p.Problem)
		case p.Env == "":
			ix.byRow[p.App] = append(ix.byRow[p.App], p.Problem)
		default:
			ix.byCell[p.CellKey] = append(ix.byCell[p.CellKey], p.Problem)
		}
	}
	return ix
}

// declFacts are the registry and live facts of one declaration, looked up
// once per derivation; declarations of the same reference share one copy.
type declFacts struct {
	registry    *RegistryFacts
	live        *LiveFacts
	regProblems []Problem
}

func (w *World) factsOf(d *Declared, registry map[string]*RegistryFacts) declFacts {
	ref := d.Ref.String()
	f := declFacts{regProblems: w.RegistryProblems[ref]}
	if reg, ok := registry[ref]; ok {
		f.registry = reg
	} else if reg, ok := w.Registry[ref]; ok {
		f.registry = &reg
		registry[ref] = f.registry
	}
	if live, ok := w.Live[ImageKey{d.App, d.Env, d.Name}]; ok {
		f.live = &live
	}
	return f
}

// problemsOf returns the problems that concern a cell, its row or column;
// world-wide ones are shown once, not on every cell. The order is the
// cell's own first, then its row's, then its column's.
func (ix *index) problemsOf(k CellKey) []Problem {
	own, row, col := ix.byCell[k], ix.byRow[k.App], ix.byColumn[k.Env]
	if len(own)+len(row)+len(col) == 0 {
		return nil
	}
	out := make([]Problem, 0, len(own)+len(row)+len(col))
	return append(append(append(out, own...), row...), col...)
}

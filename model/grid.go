package model

import (
	"encoding/json"
	"slices"
	"strings"
)

// Grid is the derived view: a row per app, a column per environment. Its JSON
// form is the contract of `ferry status -o json`; keep it stable.
type Grid struct {
	Environments []string  `json:"environments"`
	Apps         []Row     `json:"apps"`
	Problems     []Problem `json:"problems,omitempty"`
}

// Row is one app across all environments.
type Row struct {
	Name  string           `json:"name"`
	Cells map[string]*Cell `json:"cells"`
}

// Cell is one app in one environment.
type Cell struct {
	State      State            `json:"state"`
	Images     []ImageStatus    `json:"images"`
	Problems   []Problem        `json:"problems,omitempty"`
	Controller *ControllerFacts `json:"controller,omitempty"`
}

// ImageStatus is one image of a cell with every source's facts.
type ImageStatus struct {
	Name     string         `json:"name"`
	Declared *DeclaredJSON  `json:"declared,omitempty"`
	Registry *RegistryFacts `json:"registry,omitempty"`
	Live     *LiveFacts     `json:"live,omitempty"`
	State    State          `json:"state"`
	Findings []string       `json:"findings,omitempty"`
	// Facts keeps the inputs the state was derived from, for the UI.
	Facts ImageFacts `json:"-"`
}

// DeclaredJSON is the declared part of an image in the status contract.
type DeclaredJSON struct {
	Image     string    `json:"image"`
	Tag       *string   `json:"tag"`
	Digest    *string   `json:"digest"`
	File      string    `json:"file"`
	Line      int       `json:"line"`
	Kind      FieldKind `json:"kind"`
	Inherited string    `json:"inherited,omitempty"`
	Setter    string    `json:"setter,omitempty"`
	Updater   string    `json:"updater,omitempty"`
	// Held: ferry holds the image against image automation.
	Held bool `json:"held,omitempty"`
	// Branch is the environment branch that declares it ("" for the
	// branch read); Next what its "-next" branch holds, not yet promoted.
	Branch string `json:"branch,omitempty"`
	Next   string `json:"next,omitempty"`
	// ReadOnly says why ferry cannot write it; Note how it was read.
	ReadOnly string `json:"readOnly,omitempty"`
	Note     string `json:"note,omitempty"`
}

func declaredJSON(d Declared) *DeclaredJSON {
	return &DeclaredJSON{
		Image: d.Ref.Repository, Tag: nullable(d.Ref.Tag), Digest: nullable(d.Ref.Digest),
		File: d.Location.File, Line: d.Location.Line, Kind: d.Location.Kind,
		Inherited: d.Inherited, Setter: d.Location.Setter, Updater: d.Location.Updater, Held: d.Location.Held(),
		Branch: d.Location.Branch, Next: d.NextName(), ReadOnly: d.ReadOnly, Note: d.Note,
	}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Cell returns the cell of app in env, or nil.
func (g *Grid) Cell(app, env string) *Cell {
	for _, r := range g.Apps {
		if r.Name == app {
			return r.Cells[env]
		}
	}
	return nil
}

// JSON renders the grid as indented JSON.
func (g *Grid) JSON() ([]byte, error) { return json.MarshalIndent(g, "", "  ") }

// Grid derives the grid from the facts gathered so far.
// It takes time linear in the facts: every lookup goes through one index.
func (w *World) Grid() *Grid {
	g := &Grid{Environments: w.Environments.Names(), Problems: w.GlobalProblems()}
	ix := w.index()
	apps := w.AppNames()
	g.Apps = make([]Row, 0, len(apps))
	for _, app := range apps {
		row := Row{Name: app, Cells: make(map[string]*Cell, len(g.Environments))}
		for _, env := range g.Environments {
			row.Cells[env] = w.cell(CellKey{app, env}, ix)
		}
		g.Apps = append(g.Apps, row)
	}
	return g
}

// cell builds one cell: its images' facts, their states, and the cell state.
func (w *World) cell(k CellKey, ix *index) *Cell {
	c := &Cell{Problems: ix.problemsOf(k), Images: []ImageStatus{}}
	if ctl, ok := w.Controllers[k]; ok {
		c.Controller = &ctl
	}
	failed := hasProblemFrom(c.Problems, "git", "cluster")
	state := StateMissing
	decls := ix.declared[k]
	if len(decls) > 0 {
		c.Images = make([]ImageStatus, 0, len(decls))
	}
	for _, i := range decls {
		c.Problems = appendNew(c.Problems, ix.facts[i].regProblems...)
		img := w.imageStatus(i, c.Controller, failed, ix)
		if img.State.MoreUrgent(state) {
			state = img.State
		}
		c.Images = append(c.Images, img)
	}
	// The same order in every environment, so a row reads across.
	if len(c.Images) > 1 {
		slices.SortStableFunc(c.Images, func(a, b ImageStatus) int { return strings.Compare(a.Name, b.Name) })
	}
	c.State = state
	if len(decls) == 0 && len(c.Problems) > 0 {
		c.State = StateError
	}
	return c
}

// imageStatus judges the i-th declaration with the facts the index
// gathered for it once.
func (w *World) imageStatus(i int, ctl *ControllerFacts, cellFailed bool, ix *index) ImageStatus {
	d := &w.Declared[i]
	df := ix.facts[i]
	f := ImageFacts{Declared: d, Controller: ctl, Failed: cellFailed || len(df.regProblems) > 0,
		Registry: df.registry, Live: df.live}
	f.UpstreamNewer = w.upstreamNewer(d, f, ix)
	return ImageStatus{
		Name: d.Name, Declared: declaredJSON(*d), Registry: f.Registry, Live: f.Live,
		State: ImageState(f), Findings: f.Findings(), Facts: f,
	}
}

// appendNew appends the problems not already in ps: two images behind one
// unreachable registry make one problem on their cell, not two.
func appendNew(ps []Problem, more ...Problem) []Problem {
	for _, p := range more {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps
}

func hasProblemFrom(ps []Problem, sources ...string) bool {
	for _, p := range ps {
		for _, s := range sources {
			if p.Source == s {
				return true
			}
		}
	}
	return false
}

package gitops

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// FileReport says what discovery made of one file that looks like deploy
// configuration: the cells it feeds, what else it is used for (the
// promotion order), or why it feeds nothing. `ferry status --explain`
// prints them; `ferry init` writes from them.
type FileReport struct {
	Path string `json:"path"`
	// Kind is what the file looks like: kustomization, helm-values,
	// helm-chart, manifest, argocd-application, argocd-applicationset,
	// flux-helmrelease, kargo-stage, flux-kustomization.
	Kind  string    `json:"kind"`
	Cells []CellRef `json:"cells"`
	// Uses are what the file is read for besides cells ("orders
	// environments: uat after qa").
	Uses []string `json:"uses"`
	// Reasons say why the file feeds no cell, or what went wrong with it
	// (a template error, a generator ferry cannot expand).
	Reasons []string `json:"reasons"`
}

// CellRef names a cell in a file report.
type CellRef struct {
	App string `json:"app"`
	Env string `json:"env"`
}

// Placed reports whether the file feeds a cell or the promotion order.
func (f FileReport) Placed() bool { return len(f.Cells) > 0 || len(f.Uses) > 0 }

// Files returns the report of every file that looks like deploy
// configuration, by path.
func (r *Result) Files() []FileReport { return r.files }

// NotPlaced returns the reports of files that feed nothing.
func (r *Result) NotPlaced() []FileReport {
	out := []FileReport{}
	for _, f := range r.files {
		if !f.Placed() {
			out = append(out, f)
		}
	}
	return out
}

// reports collects FileReports while reading.
type reports map[string]*FileReport

func (rs reports) get(p, kind string) *FileReport {
	f := rs[p]
	if f == nil {
		f = &FileReport{Path: p, Kind: kind, Cells: []CellRef{}, Uses: []string{}, Reasons: []string{}}
		rs[p] = f
	}
	if f.Kind == "" {
		f.Kind = kind
	}
	return f
}

// fed records that file feeds the cell of app in env.
func (rs reports) fed(p, app, env string) {
	if p == "" || env == "" {
		return
	}
	f := rs.get(p, "")
	if c := (CellRef{app, env}); !slices.Contains(f.Cells, c) {
		f.Cells = append(f.Cells, c)
	}
}

// used records a use of file other than a cell.
func (rs reports) used(p, use string) {
	if f := rs.get(p, ""); !slices.Contains(f.Uses, use) {
		f.Uses = append(f.Uses, use)
	}
}

// because records why file feeds nothing, or what went wrong with it.
func (rs reports) because(p, reason string) {
	if f := rs.get(p, ""); !slices.Contains(f.Reasons, reason) {
		f.Reasons = append(f.Reasons, reason)
	}
}

// sorted returns the reports with a kind (deploy configuration, or a file
// something was made of), by path, cells in order.
func (rs reports) sorted(envOrder []string) []FileReport {
	rank := map[string]int{}
	for i, e := range envOrder {
		rank[e] = i
	}
	out := []FileReport{}
	for _, f := range rs {
		if f.Kind == "" && !f.Placed() && len(f.Reasons) == 0 {
			continue
		}
		if f.Kind == "" {
			f.Kind = "file"
		}
		sort.Slice(f.Cells, func(i, j int) bool {
			a, b := f.Cells[i], f.Cells[j]
			if a.App != b.App {
				return a.App < b.App
			}
			return rank[a.Env] < rank[b.Env]
		})
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// orderedBy records that a file links env to its upstreams.
func (r *reader) orderedBy(p, env string, ups []string, first bool) {
	switch {
	case first:
		r.files.used(p, fmt.Sprintf("orders environments: %s comes first", env))
	case len(ups) > 0:
		r.files.used(p, fmt.Sprintf("orders environments: %s after %s", env, strings.Join(ups, ", ")))
	}
}

// reportDeclared records, for every declaration kept, the files it was
// read from: where it is written, what it inherits, and the unit (the
// folder or Application) that declares it.
func (r *reader) reportDeclared() {
	for i, d := range r.res.Declared {
		for _, p := range []string{d.Location.File, d.Inherited} {
			r.files.fed(p, d.App, d.Env)
		}
		unit := r.unitOf[i]
		if r.t.Has(unit) {
			r.files.fed(unit, d.App, d.Env)
		}
		for _, p := range append(r.unitInputs[inputKey{unit, d.App, d.Env}], r.overlayInputs[unit]...) {
			r.files.fed(p, d.App, d.Env)
		}
	}
}

// unplacedReason is why a file of this kind fed no cell, when nothing more
// precise was said.
func (r *reader) unplacedReason(p string) string {
	if path.Base(p) == "Chart.yaml" {
		return "chart " + path.Dir(p) + ": no environment's values, Application or HelmRelease uses it"
	}
	if kustomizeOwned(p, r.kdirs) {
		return "part of a kustomization no environment's overlay builds (a base only other bases include, or outside any environment folder)"
	}
	if env, unknown := r.layout.envFromPath(p); env == "" && unknown != "" {
		return fmt.Sprintf("%q looks like an environment but ferry.yaml does not list it", unknown)
	}
	env, _ := r.layout.envFromPath(p)
	if env == "" {
		return "no environment: neither its path nor ferry.yaml's apps[].paths name one"
	}
	if branch := r.res.refs[env]; branch != "" {
		return fmt.Sprintf("environment %s is read from its branch %s: what it runs is declared there", env, branch)
	}
	return "declares no image ferry follows"
}

// kindOf names what a file a report mentions is, when reading it did not.
func (r *reader) kindOf(p string) string {
	data, _ := r.t.Read(p)
	dirs, _ := splitPath(p)
	if slices.Contains(dirs, "templates") && r.charts[chartRoot(dirs)] {
		return "helm-template"
	}
	if kind := looksLike(p, data); kind != "" {
		return kind
	}
	return "file"
}

// chartRoot is the folder above a path's templates/ folder.
func chartRoot(dirs []string) string {
	i := slices.Index(dirs, "templates")
	return strings.Join(dirs[:i], "/")
}

// finishReports gives every file that fed nothing a reason and stores the
// reports in the result.
func (r *reader) finishReports() {
	r.reportDeclared()
	for p, f := range r.files {
		if f.Kind == "" {
			f.Kind = r.kindOf(p)
		}
		if !f.Placed() && len(f.Reasons) == 0 && f.Kind != "file" {
			r.files.because(p, r.unplacedReason(p))
		}
	}
	r.res.files = r.files.sorted(r.res.Environments.Names())
}

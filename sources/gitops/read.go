package gitops

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// Result is what a GitOps repo declares: environments, apps, and for every
// environment the images it would deploy, with where each is written.
type Result struct {
	Config       *model.Config      // parsed ferry.yaml, or an empty one
	Environments model.Environments // promotion order with Upstream links
	Apps         []string           // display order
	Declared     []model.Declared   // one per image per app per env
	Problems     []model.CellProblem

	// units records, per app and environment, the folders and files that
	// declare it; ferry init writes them as apps[].paths.
	units map[model.CellKey][]string
	// files says what discovery made of each deploy configuration file.
	files []FileReport
	// refs names the branch of each environment read from one of its own.
	refs map[string]string
}

// Units returns the folders and files that declare an app in an
// environment, in file order.
func (r *Result) Units(app, env string) []string {
	return r.units[model.CellKey{App: app, Env: env}]
}

// reader holds what one Read learns about the tree.
type reader struct {
	t        *repotree.Tree
	cfg      *model.Config
	layout   layout
	cfgPaths []configPath
	kdirs    map[string]string // kustomization folders → file
	charts   map[string]bool   // folders holding Chart.yaml
	defaults map[string]string // app → its chart's values.yaml
	built    map[string]builtOverlay
	res      *Result
	envs     map[string]bool // environments seen in the layout
	unknown  map[string]bool // environment-like names ferry.yaml does not list
	// argoSources are .argocd-source-<app>.yaml files an Application read.
	argoSources map[string]bool
	// viaArgo marks, by index in res.Declared, what an Application declared;
	// unitOf holds, by the same index, the folder or file it was read from.
	viaArgo map[int]bool
	unitOf  []string
	// appsSeen holds every app named, even one whose files failed to read.
	appsSeen    map[string]bool
	valuesCache map[string]*yaml.Node

	// envByPath marks environments a folder or file name gave (not a
	// resource name): they win when two names are aliases.
	envByPath map[string]bool
	aliases   map[string][]string // environment → the other names merged into it
	links     map[string][]string // environment → upstreams (Kargo, controllers)
	firsts    map[string]bool     // environments Kargo feeds from a warehouse
	files     reports
	// unitInputs holds, per unit and cell, the other files its
	// declarations were read from (chart templates, values files);
	// overlayInputs, per overlay folder, the files its build reads.
	unitInputs    map[inputKey][]string
	overlayInputs map[string][]string
	// genOrigin says which generator file (and key) a value an
	// ApplicationSet substituted comes from.
	genOrigin map[*yaml.Node]nodeOrigin
}

// Read discovers environments, apps and declared images in a tree. It never
// fails: what it cannot read becomes a problem on the cells it concerns.
//
// An environment that lives on a branch of its own (ferry.yaml's
// environments[].ref, or branches named env/<name>, environment/<name>) is
// read from that branch when the tree knows its repository (Tree.Refs).
func Read(t *repotree.Tree) *Result {
	r := newReader(t, nil)
	r.reportSkipped()
	r.readTree()
	r.readBranches()
	r.mergeAliases()
	r.recordUnits()
	r.res.Environments = r.environments()
	r.res.Apps = r.apps()
	r.finishReports()
	return r.res
}

// readTree reads every file of the tree and settles what Applications
// override.
func (r *reader) readTree() {
	r.readOverlays()
	for _, p := range r.t.Paths() {
		r.readFile(p)
	}
	r.readOrphanArgoSources()
	r.preferArgo()
	r.filterImages()
}

// newReader starts a reading of t with cfg, or with the tree's own
// ferry.yaml when cfg is nil.
func newReader(t *repotree.Tree, cfg *model.Config) *reader {
	r := &reader{t: t, res: &Result{units: map[model.CellKey][]string{}, refs: map[string]string{}},
		envs: map[string]bool{}, unknown: map[string]bool{}, argoSources: map[string]bool{},
		built: map[string]builtOverlay{}, viaArgo: map[int]bool{}, appsSeen: map[string]bool{}, valuesCache: map[string]*yaml.Node{},
		envByPath: map[string]bool{}, aliases: map[string][]string{}, links: map[string][]string{}, firsts: map[string]bool{},
		files: reports{}, unitInputs: map[inputKey][]string{}, overlayInputs: map[string][]string{}, genOrigin: map[*yaml.Node]nodeOrigin{}}
	r.cfg = &model.Config{}
	if cfg != nil {
		r.cfg = cfg
	} else if data, ok := t.Read(model.ConfigFile); ok {
		cfg, problems := model.ParseConfig(data)
		r.cfg = cfg
		for _, p := range problems {
			r.problem("", "", p)
		}
	}
	r.res.Config = r.cfg
	r.layout.cfg = r.cfg
	if names := r.cfg.EnvironmentList().Names(); len(names) > 0 {
		r.layout.configured = map[string]bool{}
		for _, n := range names {
			r.layout.configured[n] = true
		}
	}
	r.cfgPaths = configPaths(r.cfg)
	r.kdirs = kustomizeDirs(t)
	r.charts, r.defaults = chartDefaults(t, r.layout)
	return r
}

// placement is the app and environment a file or folder belongs to; app ""
// means "name it from the workloads inside".
type placement struct {
	App, Env string
	// Configured is true when ferry.yaml's apps[].paths placed it.
	Configured bool
}

// place decides where a path belongs: ferry.yaml's apps[].paths first, then
// the layout. It reports environment-like names ferry.yaml does not list.
func (r *reader) place(p string) placement {
	if pl, ok := matchConfigPath(r.cfgPaths, p); ok {
		return pl
	}
	env, unknown := r.layout.envFromPath(p)
	if unknown != "" && env == "" && !r.unknown[unknown] {
		r.unknown[unknown] = true
		r.problem("", "", model.Problem{Source: "git", File: p, Message: fmt.Sprintf(
			"%q looks like an environment but ferry.yaml does not list it (environments: %s); its files are not read",
			unknown, strings.Join(r.cfg.EnvironmentList().Names(), ", "))})
	}
	if env == "" {
		return placement{}
	}
	r.envByPath[env] = true
	return placement{App: r.layout.appFromPath(p, env), Env: env}
}

// seen records that app (if known) exists in env, even when reading its
// files failed: the environment and the app still show.
func (r *reader) seen(app, env string) {
	r.envs[env] = true
	if app != "" {
		r.appsSeen[app] = true
	}
}

func (r *reader) declare(d model.Declared, unitPath string) {
	r.seen(d.App, d.Env)
	r.res.Declared = append(r.res.Declared, d)
	r.unitOf = append(r.unitOf, unitPath)
}

// keep keeps the declarations for which fn is true.
func (r *reader) keep(fn func(i int, d model.Declared) bool) {
	declared, units, viaArgo := r.res.Declared[:0], r.unitOf[:0], map[int]bool{}
	for i, d := range r.res.Declared {
		if fn(i, d) {
			viaArgo[len(declared)] = r.viaArgo[i]
			declared, units = append(declared, d), append(units, r.unitOf[i])
		}
	}
	r.res.Declared, r.unitOf, r.viaArgo = declared, units, viaArgo
}

// recordUnits fills Result.units from what survived filtering.
func (r *reader) recordUnits() {
	for i, d := range r.res.Declared {
		k := model.CellKey{App: d.App, Env: d.Env}
		if !slices.Contains(r.res.units[k], r.unitOf[i]) {
			r.res.units[k] = append(r.res.units[k], r.unitOf[i])
		}
	}
}

// declareArgo records a declaration read through an Argo CD Application.
func (r *reader) declareArgo(d model.Declared, unitPath string) {
	r.viaArgo[len(r.res.Declared)] = true
	r.declare(d, unitPath)
}

// reportSkipped names every file a reader would take that the tree left
// out, for its size or its YAML's: its environment would vanish without a
// word otherwise.
func (r *reader) reportSkipped() {
	for _, p := range slices.Sorted(maps.Keys(r.t.Skipped)) {
		if r.readable(p) {
			r.problem("", "", model.Problem{Source: "git", File: p,
				Message: fmt.Sprintf("%.1f MiB: not read (ferry reads files up to %d MiB); what it declares is missing", float64(r.t.Skipped[p])/(1<<20), maxFileSize>>20)})
		}
	}
	for _, p := range slices.Sorted(maps.Keys(r.t.BrokenLinks)) {
		if !r.readable(p) && path.Ext(p) != "" {
			continue // a README or a script: nothing ferry would read
		}
		r.problem("", "", model.Problem{Source: "git", File: p,
			Message: r.t.BrokenLinks[p] + "; what it holds is missing"})
	}
	for _, p := range slices.Sorted(maps.Keys(r.t.Refused)) {
		e := r.t.Refused[p]
		r.problem("", "", model.Problem{Source: "git", File: p, Line: e.Line,
			Message: e.Reason + ": not read; what it declares is missing"})
	}
}

// readable reports whether some reader takes the file: YAML and JSON
// anywhere, and any file of a chart (templates, .Files) or of a
// kustomization's folder (generators, patches).
func (r *reader) readable(p string) bool {
	if repotree.ReadsAsYAML(p) {
		return true
	}
	for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
		if _, ok := r.kdirs[dir]; ok || r.charts[dir] {
			return true
		}
	}
	return false
}

func (r *reader) problem(app, env string, p model.Problem) {
	if p.File != "" && p.File != model.ConfigFile {
		r.files.because(p.File, p.Message)
	}
	r.res.Problems = append(r.res.Problems, model.CellProblem{CellKey: model.CellKey{App: app, Env: env}, Problem: p})
}

// readFile reads one file that is not part of a kustomization: values,
// workload manifests, Argo CD and Flux objects. Inside kustomizations only
// Argo CD Applications are read here; the overlay build covers the rest.
func (r *reader) readFile(p string) {
	if skipped(p, r.charts) || isArgoSourceFile(p) {
		return
	}
	data, _ := r.t.Read(p)
	owned := kustomizeOwned(p, r.kdirs)
	if kind := looksLike(p, data); kind != "" {
		r.files.get(p, kind)
	}
	if owned && !bytes.Contains(data, []byte("argoproj.io")) && !bytes.Contains(data, []byte("kargo.akuity.io")) &&
		!bytes.Contains(data, []byte("kustomize.toolkit.fluxcd.io")) {
		return
	}
	pl := r.place(p)
	docs, perr := repotree.ParseDocs(p, data)
	if perr != nil && !owned {
		r.problem(pl.App, pl.Env, *perr)
		if pl.Env != "" {
			r.seen(pl.App, pl.Env) // the cell exists, broken
		}
	}
	for _, doc := range docs {
		r.readDoc(p, doc.Root, pl, owned)
	}
}

// readDoc dispatches one YAML document on its apiVersion and kind.
func (r *reader) readDoc(p string, doc *yaml.Node, pl placement, owned bool) {
	apiVersion, kind := repotree.Str(doc, "apiVersion"), repotree.Str(doc, "kind")
	switch {
	case strings.HasPrefix(apiVersion, "argoproj.io/") && kind == "Application":
		r.readApplication(p, doc, pl)
	case strings.HasPrefix(apiVersion, "argoproj.io/") && kind == "ApplicationSet":
		r.readApplicationSet(p, doc, pl)
	case isOrderSignal(apiVersion, kind):
		r.readOrderSignal(p, doc, pl)
	case owned:
	case strings.HasPrefix(apiVersion, "helm.toolkit.fluxcd.io/") && kind == "HelmRelease":
		r.readHelmRelease(p, doc, pl)
	case kind != "" && apiVersion != "":
		r.readManifest(p, doc, pl)
	case kind == "" && apiVersion == "":
		r.readValuesFile(p, doc, pl)
	}
}

// apps lists ferry.yaml's apps in its order, then every other app found,
// by name.
func (r *reader) apps() []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range r.cfg.Apps {
		if a.Name != "" && !seen[a.Name] {
			seen[a.Name] = true
			out = append(out, a.Name)
		}
	}
	var found []string
	for app := range r.appsSeen {
		if !seen[app] {
			found = append(found, app)
		}
	}
	sort.Strings(found)
	return append(out, found...)
}

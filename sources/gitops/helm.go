package gitops

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/repotree"
)

// chartDefaults finds Helm charts: folders holding Chart.yaml (whose
// templates are not read as YAML), and for each app the chart's values.yaml,
// whose images every environment inherits. A folder with values.yaml beside
// values-<env>.yaml counts as a chart even without Chart.yaml. Charts inside
// an environment's path belong to that environment and are nobody's
// defaults.
func chartDefaults(t *repotree.Tree, l layout) (charts map[string]bool, byApp map[string]string) {
	charts, byApp = map[string]bool{}, map[string]string{}
	for _, p := range t.Paths() {
		dir, file := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		isChart := file == "Chart.yaml"
		if isChart {
			charts[dir] = true
		}
		if !isChart && valuesFileEnv(file) == "" {
			continue
		}
		values := path.Join(dir, "values.yaml")
		if !t.Has(values) {
			continue
		}
		if env, _ := l.envFromPath(values); env != "" {
			continue
		}
		if dir != "" {
			byApp[path.Base(dir)] = values
		}
		if isChart {
			data, _ := t.Read(p)
			if docs, _ := repotree.ParseDocs(p, data); len(docs) > 0 {
				if name := repotree.Str(docs[0].Root, "name"); name != "" {
					byApp[name] = values
				}
			}
		}
	}
	return charts, byApp
}

// isValuesFile reports whether a YAML document without kind is Helm values
// of an environment: named like values, or holding images.
func isValuesFile(p string, doc *yaml.Node) bool {
	base := path.Base(p)
	if strings.HasPrefix(base, "values") || strings.Contains(base, "-values.") || strings.Contains(base, "_values.") {
		return true
	}
	return len(repotree.FindValuesImages(doc)) > 0 && repotree.Get(doc, "resources") == nil
}

// defaultsFor returns the chart defaults an environment's values file is
// merged over: the values.yaml beside values-<env>.yaml, else the values.yaml
// of the chart named like the app.
func (r *reader) defaultsFor(p, app string) string {
	dir, file := path.Split(p)
	if valuesFileEnv(file) != "" {
		if beside := path.Join(dir, "values.yaml"); r.t.Has(beside) {
			return beside
		}
	}
	if d := r.defaults[app]; d != "" && d != p {
		return d
	}
	return ""
}

// readValuesFile reads an environment's Helm values: rendered with the
// chart they are for when it is in this repo and has templates, else merged
// field by field over the chart's defaults. A values file outside any
// environment (a chart's own defaults) declares nothing by itself.
func (r *reader) readValuesFile(p string, doc *yaml.Node, pl placement) {
	if pl.Env == "" {
		return
	}
	app := pl.App
	if app == "" {
		app = r.layout.appFromFileName(p, pl.Env)
	}
	if app == "" {
		app = r.chartNameBeside(p) // chart/values-qa.yaml
	}
	defaults := r.defaultsFor(p, app)
	if app == "" || (!isValuesFile(p, doc) && defaults == "") {
		return
	}
	to := valuesTarget{App: app, Env: pl.Env, Unit: p}
	if c, ok := r.renderingChart(path.Dir(defaults)); ok && defaults != "" {
		r.declareRendered(release{Name: app, Chart: c, Layers: []renderLayer{
			{Layer: helm.Layer{File: p, Values: doc}, Kind: model.KindHelmValues}}}, to)
		return
	}
	var layers []valuesLayer
	if defaults != "" {
		layers = r.chartLayers(defaults)
	} else {
		to.Note = "no chart for " + app + " in this repo: images read from its values keys, not rendered"
	}
	layers = append(layers, valuesLayer{File: p, Kind: model.KindHelmValues, Images: repotree.FindValuesImages(doc)})
	r.declareLayers(layers, len(layers)-1, to)
}

// chartNameBeside returns the name of the chart in a values file's folder.
func (r *reader) chartNameBeside(p string) string {
	return repotree.Str(r.valuesRoot(path.Join(path.Dir(p), "Chart.yaml")), "name")
}

// valuesTarget says whose values are being read: the cell, the name of a
// top-level image (the app, or a HelmRelease's release), the workload, and
// the unit ferry init names as the app's path.
type valuesTarget struct {
	App, Env, TopName, Workload, Unit string
	ViaArgo                           bool
	Note                              string // said on every image (Declared.Note)
}

// declareLayers merges layers and declares each image; floor is the layer a
// promotion writes to at the least.
func (r *reader) declareLayers(layers []valuesLayer, floor int, to valuesTarget) {
	r.seen(to.App, to.Env)
	for _, l := range layers {
		r.input(to, l.File)
		if path.Base(l.File) == "values.yaml" {
			r.input(to, path.Join(path.Dir(l.File), "Chart.yaml"))
		}
	}
	for _, m := range mergeLayers(layers) {
		if m.empty() {
			continue
		}
		d, prob := m.declared(layers, floor, to.App, to.Env)
		if prob != nil {
			r.problem(to.App, to.Env, *prob)
			continue
		}
		if v := m.versionNode(); v != nil {
			r.relocate(&d.Location, v, m.nodes())
		}
		if m.Name == "" && to.TopName != "" {
			d.Name = to.TopName
		}
		d.Workload, d.Note = to.Workload, to.Note
		if to.ViaArgo {
			r.declareArgo(d, to.Unit)
		} else {
			r.declare(d, to.Unit)
		}
	}
}

// chartLayers returns the layers a chart in this repo contributes: the
// appVersion of its Chart.yaml as the top-level image's default tag (the
// `helm create` convention), then its values.yaml.
func (r *reader) chartLayers(valuesFile string) []valuesLayer {
	var out []valuesLayer
	chart := path.Join(path.Dir(valuesFile), "Chart.yaml")
	if root := r.valuesRoot(chart); root != nil {
		if v := repotree.Get(root, "appVersion"); v != nil && v.Kind == yaml.ScalarNode && repotree.Value(v) != "" {
			out = append(out, valuesLayer{File: chart, Kind: model.KindHelmValues, Fallback: true,
				Images: []repotree.ValuesImage{{Path: "image", Node: v, Tag: v}}})
		}
	}
	if root := r.valuesRoot(valuesFile); root != nil {
		out = append(out, valuesLayer{File: valuesFile, Kind: model.KindHelmValues, Images: repotree.FindValuesImages(root)})
	}
	return out
}

// valuesRoot parses a values file of the tree once per Read (chart defaults
// are shared by every environment); a broken one is reported where the file
// pass reads it, so here it only yields nothing.
func (r *reader) valuesRoot(p string) *yaml.Node {
	if root, ok := r.valuesCache[p]; ok {
		return root
	}
	var root *yaml.Node
	if data, ok := r.t.Read(p); ok {
		if docs, _ := repotree.ParseDocs(p, data); len(docs) > 0 {
			root = docs[0].Root
		}
	}
	r.valuesCache[p] = root
	return root
}

// appFromFileName names an app from a values file directly in an
// environment folder: environments/prod/search.yaml, search-values.yaml.
func (l layout) appFromFileName(p, env string) string {
	stem := strings.TrimSuffix(strings.TrimSuffix(path.Base(p), ".yaml"), ".yml")
	for _, cut := range []string{"-values", "_values", ".values"} {
		stem = strings.TrimSuffix(stem, cut)
	}
	if stem == "values" || strings.HasPrefix(stem, "values-") || strings.HasPrefix(stem, "values.") ||
		stem == env || structural[stem] {
		return ""
	}
	return l.stripEnv(stem, env)
}

package gitops

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/repotree"
)

// readHelmRelease reads a Flux HelmRelease outside any kustomization (inside
// one, the overlay build reports it after patches): the images in
// spec.values, merged over the chart's values.yaml when the chart lives in
// this repo. `# {"$imagepolicy": …}` markers on the fields end up in
// Location.Setter: image automation writes those fields too.
func (r *reader) readHelmRelease(p string, doc *yaml.Node, pl placement) {
	name := repotree.Str(doc, "metadata", "name")
	if release := repotree.Str(doc, "spec", "releaseName"); release != "" {
		name = release
	}
	env := pl.Env
	for _, cand := range []string{name, repotree.Str(doc, "spec", "targetNamespace"), repotree.Str(doc, "metadata", "namespace")} {
		if env == "" {
			env = r.layout.envFromName(cand)
		}
	}
	if env == "" {
		return
	}
	app := pl.App
	if app == "" {
		app = r.layout.appFromName(name, env)
	}
	// A top-level image is named after the release, so that it does not
	// take the name of an app's container.
	to := valuesTarget{App: app, Env: env, Unit: p,
		TopName: r.layout.appFromName(name, env), Workload: "HelmRelease/" + repotree.Str(doc, "metadata", "name")}
	c, note := r.fluxChart(doc)
	if c != nil {
		rel := release{Name: fluxReleaseName(doc), Namespace: fluxNamespace(doc), Chart: c, Note: note}
		rel.Layers = append(r.fluxValuesFrom(p, doc), renderLayer{Layer: helm.Layer{File: p, Values: repotree.Get(doc, "spec", "values")},
			Kind: model.KindFluxHelmRelease, PathPrefix: "spec.values."})
		rel.Floor = r.ownLayer(rel.Layers, env)
		r.declareRendered(rel, to)
		return
	}
	to.Note = note
	var layers []valuesLayer
	if defaults := r.fluxChartValues(doc); defaults != "" {
		layers = r.chartLayers(defaults)
	}
	layers = append(layers, valuesLayer{File: p, Kind: model.KindFluxHelmRelease, PathPrefix: "spec.values.",
		Images: repotree.FindValuesImages(repotree.Get(doc, "spec", "values"))})
	r.declareLayers(layers, len(layers)-1, to)
}

// fluxChartValues returns the values.yaml of a chart the HelmRelease takes
// from a GitRepository (spec.chart.spec.chart: ./charts/search), when it is
// in the tree.
func (r *reader) fluxChartValues(doc *yaml.Node) string {
	chart := repotree.Str(doc, "spec", "chart", "spec", "chart")
	kind := repotree.Str(doc, "spec", "chart", "spec", "sourceRef", "kind")
	if chart == "" || (kind != "GitRepository" && kind != "Bucket") {
		return ""
	}
	values := path.Join(strings.TrimPrefix(chart, "./"), "values.yaml")
	if r.t.Has(values) {
		return values
	}
	return ""
}

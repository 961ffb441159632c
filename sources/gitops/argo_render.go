package gitops

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/repotree"
)

// argoChart finds the chart an Application's source deploys: the folder
// spec.source.path names in this repo, or for a chart from a remote
// repository, a copy of it in this repo. note says how, or that the chart
// is not here and its values are read without rendering.
func (r *reader) argoChart(s argoSource) (*helm.Chart, string) {
	name := repotree.Str(s.Node, "chart")
	if name == "" {
		if c, ok := r.renderingChart(s.Dir); ok && s.Dir != "" {
			return c, ""
		}
		return nil, ""
	}
	version, repo := repotree.Str(s.Node, "targetRevision"), repotree.Str(s.Node, "repoURL")
	if c, ok := r.vendoredChart(name, version); ok {
		return c, fmt.Sprintf("chart %s %s from %s rendered with the copy in %s", name, version, repo, c.Dir)
	}
	return nil, fmt.Sprintf("chart %s %s from %s is not in this repo: images read from the values keys, not rendered", name, version, repo)
}

// argoRelease layers an Application's values the way Argo CD passes them
// to Helm, lowest first: helm.valueFiles, helm.values, helm.valuesObject,
// helm.parameters, then the write-back file's parameters. A promotion
// writes at the least to the environment's own values file among
// valueFiles, else to the Application, never to files environments share.
func (r *reader) argoRelease(a argoApp, s argoSource, c *helm.Chart, srcFile string, srcDoc *yaml.Node) (release, bool) {
	h := repotree.Get(s.Node, "helm")
	rel := release{Name: a.Name, Namespace: a.Namespace, Chart: c, Floor: -1}
	if name := repotree.Str(h, "releaseName"); name != "" {
		rel.Name = name
	}
	for _, f := range repotree.Items(repotree.Get(h, "valueFiles")) {
		file := valueFilePath(s.Dir, f.Value)
		root := r.valuesRoot(file)
		if file == "" || root == nil {
			continue
		}
		if env, _ := r.layout.envFromPath(file); env == a.Env {
			rel.Floor = len(rel.Layers) // this environment's own values file
		}
		rel.Layers = append(rel.Layers, renderLayer{Layer: helm.Layer{File: file, Values: root}, Kind: model.KindHelmValues})
	}
	if rel.Floor < 0 {
		rel.Floor = len(rel.Layers)
	}
	if a.File != "" {
		rel.Layers = append(rel.Layers,
			renderLayer{Layer: helm.Layer{File: a.File, Values: r.inlineValues(a.File, repotree.Get(h, "values"))},
				Kind: model.KindArgoHelmValues, PathPrefix: s.YAMLPath + ".helm.values|"},
			renderLayer{Layer: helm.Layer{File: a.File, Values: repotree.Get(h, "valuesObject")},
				Kind: model.KindArgoHelmValues, PathPrefix: s.YAMLPath + ".helm.valuesObject."},
			renderLayer{Layer: helm.Layer{File: a.File, Params: helmParams(repotree.Get(h, "parameters"))},
				Kind: model.KindArgoHelmParameter, PathPrefix: s.YAMLPath + ".helm.parameters."})
	}
	if srcFile != "" {
		rel.Layers = append(rel.Layers, renderLayer{Layer: helm.Layer{File: srcFile,
			Params: helmParams(repotree.Get(srcDoc, "helm", "parameters"))},
			Kind: model.KindArgoSourceFile, PathPrefix: "helm.parameters."})
	}
	return rel, rel.Floor < len(rel.Layers)
}

// helmParams reads helm.parameters: name, value and forceString.
func helmParams(list *yaml.Node) []helm.Param {
	var out []helm.Param
	for _, item := range repotree.Items(list) {
		v := repotree.Get(item, "value")
		if name := repotree.Str(item, "name"); name != "" && v != nil && v.Kind == yaml.ScalarNode {
			out = append(out, helm.Param{Name: name, Value: v, String: repotree.Str(item, "forceString") == "true"})
		}
	}
	return out
}

package gitops

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/repotree"
)

// fluxChart finds the chart a HelmRelease installs: a path in this repo
// (sourceRef GitRepository or Bucket), or a copy in this repo of a chart
// from a Helm repository. note says how, or that the chart is not here.
func (r *reader) fluxChart(doc *yaml.Node) (*helm.Chart, string) {
	spec := repotree.Get(doc, "spec", "chart", "spec")
	chart, kind := repotree.Str(spec, "chart"), repotree.Str(spec, "sourceRef", "kind")
	if chart == "" {
		return nil, ""
	}
	if kind == "GitRepository" || kind == "Bucket" {
		c, _ := r.renderingChart(path.Clean(strings.TrimPrefix(chart, "./")))
		return c, ""
	}
	version, source := repotree.Str(spec, "version"), repotree.Str(spec, "sourceRef", "name")
	if c, ok := r.vendoredChart(chart, version); ok {
		return c, fmt.Sprintf("chart %s %s from %s %s rendered with the copy in %s", chart, version, kind, source, c.Dir)
	}
	return nil, fmt.Sprintf("chart %s %s from %s %s is not in this repo: images read from the values keys, not rendered",
		chart, version, kind, source)
}

// fluxReleaseName is the Helm release name Flux uses: spec.releaseName,
// else [targetNamespace-]name.
func fluxReleaseName(doc *yaml.Node) string {
	if name := repotree.Str(doc, "spec", "releaseName"); name != "" {
		return name
	}
	name := repotree.Str(doc, "metadata", "name")
	if ns := repotree.Str(doc, "spec", "targetNamespace"); ns != "" {
		return ns + "-" + name
	}
	return name
}

func fluxNamespace(doc *yaml.Node) string {
	if ns := repotree.Str(doc, "spec", "targetNamespace"); ns != "" {
		return ns
	}
	return repotree.Str(doc, "metadata", "namespace")
}

// fluxValuesFrom reads spec.valuesFrom entries whose ConfigMap or Secret is
// in this repo: the values under valuesKey (values.yaml by default) of
// data or stringData, as a literal block whose positions are the file's.
// An entry ferry cannot find is said on the release's file.
func (r *reader) fluxValuesFrom(p string, doc *yaml.Node) []renderLayer {
	var out []renderLayer
	for _, ref := range repotree.Items(repotree.Get(doc, "spec", "valuesFrom")) {
		kind, name := repotree.Str(ref, "kind"), repotree.Str(ref, "name")
		key := repotree.Str(ref, "valuesKey")
		if key == "" {
			key = "values.yaml"
		}
		file, block := r.findValuesObject(kind, name, key)
		layer := renderLayer{Layer: helm.Layer{File: file}, Kind: model.KindFluxValuesFrom, PathPrefix: "data." + key + "|"}
		if target := repotree.Str(ref, "targetPath"); target != "" && block != nil {
			// One value, set at a path: the scalar itself is written.
			layer.Params, layer.PathPrefix = []helm.Param{{Name: target, Value: block, String: true}}, "data."+key+"="
		} else if layer.Values = r.inlineValues(file, block); layer.Values == nil {
			r.files.because(p, fmt.Sprintf("valuesFrom %s/%s key %s is not in this repo (or not a literal block): its values are not read", kind, name, key))
			continue
		}
		out = append(out, layer)
	}
	return out
}

// findValuesObject finds a ConfigMap or Secret of that name in the tree and
// the scalar holding key in its data or stringData.
func (r *reader) findValuesObject(kind, name, key string) (string, *yaml.Node) {
	for _, p := range r.t.Paths() {
		data, _ := r.t.Read(p)
		if !repotree.IsYAML(p) || !strings.Contains(string(data), name) {
			continue
		}
		docs, _ := repotree.ParseDocs(p, data)
		for _, d := range docs {
			if repotree.Str(d.Root, "kind") != kind || repotree.Str(d.Root, "metadata", "name") != name {
				continue
			}
			for _, field := range []string{"data", "stringData"} {
				if v := repotree.Get(d.Root, field, key); v != nil {
					return p, v
				}
			}
		}
	}
	return "", nil
}

// ownLayer is the lowest layer a promotion of env writes to: the first
// one in the environment's own folder (a ConfigMap of values beside the
// release), else the last.
func (r *reader) ownLayer(layers []renderLayer, env string) int {
	for i, l := range layers {
		if e, _ := r.layout.envFromPath(l.File); e == env {
			return i
		}
	}
	return len(layers) - 1
}

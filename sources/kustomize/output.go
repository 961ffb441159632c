package kustomize

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"

	"github.com/ferryhq/ferry/sources/repotree"
)

// builtImage is one image in the built output of an overlay: a container of
// a workload, or an image in a Flux HelmRelease's spec.values.
type builtImage struct {
	Kind     string // "Deployment", "HelmRelease", …
	Name     string // resource name after name prefixes and suffixes
	AppLabel string
	// Origin is the document the resource was built from; nil for
	// generated resources.
	Origin *resourceDoc

	// For containers: name, list ("containers" or "initContainers"),
	// index in that list and the image scalar.
	Container string
	List      string
	Index     int
	Image     *yaml.Node

	// For HelmRelease values: the image as FindValuesImages reads it.
	Values *repotree.ValuesImage
}

// Workload names the resource the way the cluster source looks it up.
func (b builtImage) Workload() string { return b.Kind + "/" + b.Name }

// builtImages lists the images of a build's output, in output order.
func builtImages(m resmap.ResMap) []builtImage {
	var out []builtImage
	for _, r := range m.Resources() {
		kind := r.GetKind()
		base := builtImage{Kind: kind, Name: r.GetName(), AppLabel: appLabel(r)}
		if spec := podSpecPath(kind); spec != nil {
			podSpec := repotree.Get(r.YNode(), spec...)
			for _, list := range []string{"initContainers", "containers"} {
				out = append(out, containerImages(base, podSpec, list)...)
			}
			continue
		}
		if kind == "HelmRelease" && strings.HasPrefix(r.GetApiVersion(), "helm.toolkit.fluxcd.io/") {
			for _, vi := range repotree.FindValuesImages(repotree.Get(r.YNode(), "spec", "values")) {
				img := base
				img.Values = &vi
				out = append(out, img)
			}
		}
	}
	return out
}

func containerImages(base builtImage, podSpec *yaml.Node, list string) []builtImage {
	seq := repotree.Get(podSpec, list)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	var out []builtImage
	for i, c := range seq.Content {
		img := repotree.ScalarAt(c, "image")
		if img == nil {
			continue
		}
		b := base
		b.Container, b.List, b.Index, b.Image = repotree.Str(c, "name"), list, i, img
		out = append(out, b)
	}
	return out
}

// appLabel returns the label the cluster source finds pods by: the
// workload's own labels first, then its pod template's.
func appLabel(r *resource.Resource) string {
	sets := []*yaml.Node{repotree.Get(r.YNode(), "metadata", "labels")}
	if spec := podSpecPath(r.GetKind()); spec != nil {
		template := append(slices.Clone(spec[:len(spec)-1]), "metadata", "labels")
		sets = append(sets, repotree.Get(r.YNode(), template...))
	}
	for _, key := range []string{"app.kubernetes.io/name", "app.kubernetes.io/instance"} {
		for _, labels := range sets {
			if v := repotree.Str(labels, key); v != "" {
				return v
			}
		}
	}
	return ""
}

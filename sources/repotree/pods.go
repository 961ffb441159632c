package repotree

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// podSpecPaths says where each workload kind keeps its pod spec.
var podSpecPaths = map[string][]string{
	"Deployment":  {"spec", "template", "spec"},
	"StatefulSet": {"spec", "template", "spec"},
	"DaemonSet":   {"spec", "template", "spec"},
	"ReplicaSet":  {"spec", "template", "spec"},
	"Job":         {"spec", "template", "spec"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template", "spec"},
	"Rollout":     {"spec", "template", "spec"}, // Argo Rollouts only
	"Pod":         {"spec"},
}

// PodSpecPath returns where a workload keeps its pod spec, nil for objects
// that run no containers. A Rollout counts only from argoproj.io.
func PodSpecPath(apiVersion, kind string) []string {
	keys, ok := podSpecPaths[kind]
	if !ok || (kind == "Rollout" && !strings.HasPrefix(apiVersion, "argoproj.io/")) {
		return nil
	}
	return keys
}

// Container is one container of a workload document.
type Container struct {
	Kind, Name string // the workload
	AppLabel   string // app.kubernetes.io/name, else instance, of the workload or its pods
	Container  string // the container's name
	List       string // "containers" or "initContainers"
	Index      int
	Image      *yaml.Node // the image scalar
	SpecPath   string     // "spec.template.spec"
}

// Workload names the workload the way the cluster source looks it up.
func (c Container) Workload() string { return c.Kind + "/" + c.Name }

// Containers lists the containers with an image of a workload document,
// containers first, then initContainers.
func Containers(doc *yaml.Node) []Container {
	spec := PodSpecPath(Str(doc, "apiVersion"), Str(doc, "kind"))
	if spec == nil {
		return nil
	}
	podSpec := Get(doc, spec...)
	base := Container{Kind: Str(doc, "kind"), Name: Str(doc, "metadata", "name"),
		AppLabel: WorkloadLabel(doc, spec), SpecPath: strings.Join(spec, ".")}
	var out []Container
	for _, list := range []string{"containers", "initContainers"} {
		for i, c := range Items(Get(podSpec, list)) {
			image := ScalarAt(c, "image")
			if image == nil || image.Value == "" {
				continue
			}
			ct := base
			ct.Container, ct.List, ct.Index, ct.Image = Str(c, "name"), list, i, image
			out = append(out, ct)
		}
	}
	return out
}

// WorkloadLabel returns the label the cluster source finds pods by: the
// workload's app.kubernetes.io/name (else instance), then its pod
// template's.
func WorkloadLabel(doc *yaml.Node, spec []string) string {
	sets := []*yaml.Node{Get(doc, "metadata", "labels")}
	if len(spec) > 1 {
		template := append(append([]string(nil), spec[:len(spec)-1]...), "metadata", "labels")
		sets = append(sets, Get(doc, template...))
	}
	for _, key := range []string{"app.kubernetes.io/name", "app.kubernetes.io/instance"} {
		for _, labels := range sets {
			if v := Str(labels, key); v != "" {
				return v
			}
		}
	}
	return ""
}

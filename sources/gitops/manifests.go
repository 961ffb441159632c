package gitops

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// podSpecPaths says where each workload kind keeps its pod spec.
var podSpecPaths = map[string][]string{
	"Deployment":  {"spec", "template", "spec"},
	"StatefulSet": {"spec", "template", "spec"},
	"DaemonSet":   {"spec", "template", "spec"},
	"ReplicaSet":  {"spec", "template", "spec"},
	"Job":         {"spec", "template", "spec"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template", "spec"},
	"Rollout":     {"spec", "template", "spec"}, // argoproj.io only, see podSpec
	"Pod":         {"spec"},
}

// podSpec returns a workload's pod spec node and its YAML path, or nil for
// objects that run no containers.
func podSpec(doc *yaml.Node) (*yaml.Node, string) {
	kind := repotree.Str(doc, "kind")
	keys, ok := podSpecPaths[kind]
	if !ok || (kind == "Rollout" && !strings.HasPrefix(repotree.Str(doc, "apiVersion"), "argoproj.io/")) {
		return nil, ""
	}
	return repotree.Get(doc, keys...), strings.Join(keys, ".")
}

// readManifest reads the containers and initContainers of a plain workload
// manifest (a folder without kustomization).
func (r *reader) readManifest(p string, doc *yaml.Node, pl placement) {
	spec, specPath := podSpec(doc)
	if spec == nil {
		return
	}
	name := repotree.Str(doc, "metadata", "name")
	if pl.Env == "" {
		// No environment in the path: the namespace may say it (prod, shop-prod).
		pl.Env = r.layout.envFromName(repotree.Str(doc, "metadata", "namespace"))
		if pl.Env == "" {
			return
		}
	}
	label := workloadLabel(doc)
	workload := repotree.Str(doc, "kind") + "/" + name
	app := pl.App
	if app == "" {
		app = r.layout.appFromWorkload(label, workload, pl.Env)
	}
	for _, list := range []string{"containers", "initContainers"} {
		containers := repotree.Get(spec, list)
		if containers == nil {
			continue
		}
		for i, c := range containers.Content {
			image := repotree.Get(c, "image")
			if image == nil || image.Kind != yaml.ScalarNode || repotree.Value(image) == "" {
				continue
			}
			ref, err := imageref.Parse(image.Value)
			if err != nil {
				r.problem(app, pl.Env, model.Problem{Source: "git", File: p, Line: image.Line,
					Message: fmt.Sprintf("%s container %q: %s", workload, repotree.Str(c, "name"), err)})
				continue
			}
			r.declare(model.Declared{
				App: app, Env: pl.Env, Name: repotree.Str(c, "name"), Ref: ref,
				Location: model.Location{
					File: p, Line: image.Line, Column: image.Column, Kind: model.KindManifest,
					Path:   fmt.Sprintf("%s.%s[%d].image", specPath, list, i),
					Fields: map[string]model.Position{"image": repotree.Pos(image)},
					Setter: repotree.Setter(image),
				},
				Workload: workload, AppLabel: label,
			}, p)
		}
	}
}

// workloadLabel returns the app.kubernetes.io/name (else instance) label of
// a workload or of its pod template.
func workloadLabel(doc *yaml.Node) string {
	for _, labels := range []*yaml.Node{
		repotree.Get(doc, "metadata", "labels"), repotree.Get(doc, "spec", "template", "metadata", "labels"),
	} {
		for _, key := range []string{"app.kubernetes.io/name", "app.kubernetes.io/instance"} {
			if v := repotree.Str(labels, key); v != "" {
				return v
			}
		}
	}
	return ""
}

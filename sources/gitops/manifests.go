package gitops

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
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
	kind := Str(doc, "kind")
	keys, ok := podSpecPaths[kind]
	if !ok || (kind == "Rollout" && !strings.HasPrefix(Str(doc, "apiVersion"), "argoproj.io/")) {
		return nil, ""
	}
	return Get(doc, keys...), strings.Join(keys, ".")
}

// readManifest reads the containers and initContainers of a plain workload
// manifest (a folder without kustomization).
func (r *reader) readManifest(p string, doc *yaml.Node, pl placement) {
	spec, specPath := podSpec(doc)
	if spec == nil {
		return
	}
	name := Str(doc, "metadata", "name")
	if pl.Env == "" {
		// No environment in the path: the namespace may say it (prod, shop-prod).
		pl.Env = r.layout.envFromName(Str(doc, "metadata", "namespace"))
		if pl.Env == "" {
			return
		}
	}
	label := workloadLabel(doc)
	workload := Str(doc, "kind") + "/" + name
	app := pl.App
	if app == "" {
		app = r.layout.appFromWorkload(label, workload, pl.Env)
	}
	for _, list := range []string{"containers", "initContainers"} {
		containers := Get(spec, list)
		if containers == nil {
			continue
		}
		for i, c := range containers.Content {
			image := Get(c, "image")
			if image == nil || image.Kind != yaml.ScalarNode || Value(image) == "" {
				continue
			}
			ref, err := imageref.Parse(image.Value)
			if err != nil {
				r.problem(app, pl.Env, model.Problem{Source: "git", File: p, Line: image.Line,
					Message: fmt.Sprintf("%s container %q: %s", workload, Str(c, "name"), err)})
				continue
			}
			r.declare(model.Declared{
				App: app, Env: pl.Env, Name: Str(c, "name"), Ref: ref,
				Location: model.Location{
					File: p, Line: image.Line, Column: image.Column, Kind: model.KindManifest,
					Path:   fmt.Sprintf("%s.%s[%d].image", specPath, list, i),
					Fields: map[string]model.Position{"image": Pos(image)},
					Setter: Setter(image),
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
		Get(doc, "metadata", "labels"), Get(doc, "spec", "template", "metadata", "labels"),
	} {
		for _, key := range []string{"app.kubernetes.io/name", "app.kubernetes.io/instance"} {
			if v := Str(labels, key); v != "" {
				return v
			}
		}
	}
	return ""
}

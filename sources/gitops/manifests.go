package gitops

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// readManifest reads the containers and initContainers of a plain workload
// manifest (a folder without kustomization).
func (r *reader) readManifest(p string, doc *yaml.Node, pl placement) {
	containers := repotree.Containers(doc)
	if len(containers) == 0 {
		return
	}
	if pl.Env == "" {
		// No environment in the path: the namespace may say it (prod, shop-prod).
		pl.Env = r.layout.envFromName(repotree.Str(doc, "metadata", "namespace"))
		if pl.Env == "" {
			return
		}
	}
	for _, c := range containers {
		app := pl.App
		if app == "" {
			app = r.layout.appFromWorkload(c.AppLabel, c.Workload(), pl.Env)
		}
		ref, err := imageref.Parse(c.Image.Value)
		if err != nil {
			r.problem(app, pl.Env, model.Problem{Source: "git", File: p, Line: c.Image.Line,
				Message: fmt.Sprintf("%s container %q: %s", c.Workload(), c.Container, err)})
			continue
		}
		r.declare(model.Declared{
			App: app, Env: pl.Env, Name: c.Container, Ref: ref,
			Location: model.Location{
				File: p, Line: c.Image.Line, Column: c.Image.Column, Kind: model.KindManifest,
				Path:   fmt.Sprintf("%s.%s[%d].image", c.SpecPath, c.List, c.Index),
				Fields: map[string]model.Position{"image": repotree.Pos(c.Image)},
				Setter: repotree.Setter(c.Image),
			},
			Workload: c.Workload(), AppLabel: c.AppLabel,
		}, p)
	}
}

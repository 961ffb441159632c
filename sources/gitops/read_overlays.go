package gitops

import (
	"fmt"
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/kustomize"
)

// builtOverlay is one kustomize build's outcome, kept so that an Argo CD
// Application pointing at the same folder does not build it again.
type builtOverlay struct {
	Images   []kustomize.Image
	Problems []model.Problem
}

// readOverlays builds every overlay and records what each environment
// deploys. PrebuildOverlays spreads the builds over the cores first; the
// BuildOverlay calls that follow are then lookups.
func (r *reader) readOverlays() {
	targets := findOverlays(r.t, r.kdirs, r.layout, configuredOverlays(r.cfgPaths, r.kdirs))
	dirs := make([]string, len(targets))
	for i, target := range targets {
		dirs[i] = target.Dir
	}
	kustomize.Prebuild(r.t, dirs)
	for _, target := range targets {
		b := r.build(target.Dir)
		pl := r.place(target.Dir + "/")
		if byFile, ok := matchConfigPath(r.cfgPaths, r.kdirs[target.Dir]); ok && !pl.Configured {
			pl = byFile // ferry.yaml names the kustomization file itself
		}
		if pl.Env != target.Env {
			pl = placement{Env: target.Env, App: r.layout.appFromPath(target.Dir+"/", target.Env)}
		}
		r.recordOverlay(target.Dir, pl, b)
	}
}

// build returns the outcome of building dir, building it now if discovery
// did not.
func (r *reader) build(dir string) builtOverlay {
	if b, ok := r.built[dir]; ok {
		return b
	}
	images, problems := kustomize.Build(r.t, dir)
	b := builtOverlay{Images: images, Problems: problems}
	r.built[dir] = b
	r.overlayInputs[dir] = kustomize.Inputs(r.t, dir)
	return b
}

// recordOverlay turns a build's images into declarations of pl.Env. When the
// layout does not name the app, each image is named after its workload.
func (r *reader) recordOverlay(dir string, pl placement, b builtOverlay) {
	r.seen(pl.App, pl.Env) // even a broken overlay or one without images
	for _, p := range b.Problems {
		r.problem(pl.App, pl.Env, p)
	}
	for _, img := range b.Images {
		d := r.foundToDeclared(img, pl)
		if d.App == "" {
			// Neither the layout nor the workload names it: say so rather
			// than drop the image silently.
			r.problem("", pl.Env, model.Problem{Source: "git", File: img.Location.File, Line: img.Location.Line,
				Message: fmt.Sprintf("image %s of overlay %s belongs to no app ferry can name", img.Ref, dir)})
			continue
		}
		r.declare(d, dir)
	}
}

func (r *reader) foundToDeclared(img kustomize.Image, pl placement) model.Declared {
	app := pl.App
	if app == "" {
		app = r.layout.appFromWorkload(img.AppLabel, img.Workload, pl.Env)
	}
	name := img.Name
	if name == "" {
		// A top-level values image of a HelmRelease: named after the
		// release, not the app, so it does not clash with a container.
		name = r.layout.appFromWorkload("", img.Workload, pl.Env)
	}
	if name == "" {
		name = app
	}
	return model.Declared{App: app, Env: pl.Env, Name: name, Ref: img.Ref, Location: img.Location,
		Inherited: img.Inherited, Workload: img.Workload, AppLabel: img.AppLabel}
}

// appFromWorkload names an app from what the cluster runs: its
// app.kubernetes.io/name label, else the workload's name, without the
// environment part a name prefix or suffix adds ("prod-search" → "search").
func (l layout) appFromWorkload(label, workload, env string) string {
	if label != "" {
		return l.appFromName(label, env)
	}
	_, name, _ := strings.Cut(workload, "/")
	return l.appFromName(name, env)
}

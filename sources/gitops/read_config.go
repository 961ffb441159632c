package gitops

import (
	"path"
	"slices"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// configPath is one apps[].paths entry of ferry.yaml.
type configPath struct {
	App, Env, Path string
}

func configPaths(cfg *model.Config) []configPath {
	var out []configPath
	for _, a := range cfg.Apps {
		for env, p := range a.Paths {
			p = strings.Trim(path.Clean(strings.TrimPrefix(p, "./")), "/")
			if p == "." {
				p = ""
			}
			out = append(out, configPath{App: a.Name, Env: env, Path: p})
		}
	}
	return out
}

// matchConfigPath finds the configured path that covers p (p itself or a
// folder above it), the longest one winning. When several apps share that
// path (one overlay deploying them all), the environment is known but the
// app is named from the workloads.
func matchConfigPath(paths []configPath, p string) (placement, bool) {
	best := -1
	var hits []configPath
	for _, c := range paths {
		if c.Path != p && c.Path != "" && !strings.HasPrefix(p, c.Path+"/") {
			continue
		}
		switch n := len(c.Path); {
		case n > best:
			best, hits = n, []configPath{c}
		case n == best:
			hits = append(hits, c)
		}
	}
	if len(hits) == 0 {
		return placement{}, false
	}
	pl := placement{App: hits[0].App, Env: hits[0].Env, Configured: true}
	for _, h := range hits[1:] {
		if h.Env != pl.Env {
			return placement{}, false // ambiguous: fall back to the layout
		}
		if h.App != pl.App {
			pl.App = ""
		}
	}
	return pl, true
}

// configuredOverlays returns the kustomization folders ferry.yaml names,
// with their environment: they are built even outside an environment path.
func configuredOverlays(paths []configPath, kdirs map[string]string) map[string]string {
	out := map[string]string{}
	for _, c := range paths {
		if _, ok := kdirs[c.Path]; ok {
			out[c.Path] = c.Env
		}
		// A path naming the kustomization file itself means its folder.
		if dir := path.Dir(c.Path); kdirs[dir] == c.Path || (dir == "." && kdirs[""] == c.Path) {
			out[strings.TrimPrefix(dir, ".")] = c.Env
		}
	}
	return out
}

// filterImages keeps, for apps whose ferry.yaml entry lists images, only
// those: matched by container or values key, repository, or its last
// segment.
func (r *reader) filterImages() {
	r.keep(func(_ int, d model.Declared) bool {
		app, ok := r.cfg.App(d.App)
		return !ok || len(app.Images) == 0 || slices.ContainsFunc(app.Images, func(want string) bool {
			return want == d.Name || want == d.Ref.Repository || want == path.Base(d.Ref.Repository)
		})
	})
}

// preferArgo drops a declaration that an Argo CD Application overrides: the
// Application's parameters, valuesObject and kustomize images are applied
// over the values files and overlays discovery also reads on their own.
func (r *reader) preferArgo() {
	type key struct{ app, env, name string }
	argoName, argoRepo := map[key]bool{}, map[key]bool{}
	for i, d := range r.res.Declared {
		if r.viaArgo[i] {
			argoName[key{d.App, d.Env, d.Name}] = true
			argoRepo[key{d.App, d.Env, d.Ref.Repository}] = true
		}
	}
	r.keep(func(i int, d model.Declared) bool {
		overridden := argoName[key{d.App, d.Env, d.Name}] || argoRepo[key{d.App, d.Env, d.Ref.Repository}]
		return r.viaArgo[i] || !overridden
	})
}

package gitops

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// argoSourcePrefix starts the name of Argo CD's write-back files,
// .argocd-source-<app>.yaml, which it applies over the Application's own
// parameters.
const argoSourcePrefix = ".argocd-source-"

func isArgoSourceFile(p string) bool {
	return strings.HasPrefix(path.Base(p), argoSourcePrefix) && repotree.IsYAML(p)
}

// argoSource is one entry of an Application's spec.source or spec.sources.
type argoSource struct {
	Node     *yaml.Node
	YAMLPath string // "spec.source", "spec.sources[1]"
	Dir      string // repo-relative folder (spec.source.path), "" when none
}

// argoApp is what every reader of one Application needs.
type argoApp struct {
	File      string // the file holding the Application; "" for an orphan write-back file
	Name      string // metadata.name
	Namespace string // spec.destination.namespace
	App, Env  string
}

func applicationSources(doc *yaml.Node) []argoSource {
	var out []argoSource
	add := func(n *yaml.Node, yp string) {
		dir := strings.Trim(path.Clean(strings.TrimPrefix(repotree.Str(n, "path"), "./")), "/")
		if repotree.Str(n, "path") == "" || dir == "." {
			dir = ""
		}
		out = append(out, argoSource{Node: n, YAMLPath: yp, Dir: dir})
	}
	if s := repotree.Get(doc, "spec", "source"); s != nil && s.Kind == yaml.MappingNode {
		add(s, "spec.source")
	}
	if list := repotree.Get(doc, "spec", "sources"); list != nil {
		for i, s := range list.Content {
			add(s, fmt.Sprintf("spec.sources[%d]", i))
		}
	}
	return out
}

// readApplication reads an Argo CD Application: the environment comes from
// ferry.yaml, else the source path, the name's prefix or suffix, the file's
// path, or the destination namespace; the app is the name without it.
func (r *reader) readApplication(p string, doc *yaml.Node, pl placement) {
	a := argoApp{File: p, Name: repotree.Str(doc, "metadata", "name"),
		Namespace: repotree.Str(doc, "spec", "destination", "namespace")}
	sources := applicationSources(doc)
	a.Env = r.argoEnv(doc, a.Name, sources, pl)
	if a.Env == "" {
		return
	}
	a.App = r.argoAppName(a.Name, a.Env, sources, pl)
	first := len(r.res.Declared)
	for _, s := range sources {
		r.readArgoSource(a, s)
	}
	markUpdated(r.res.Declared[first:], repotree.Get(doc, "metadata", "annotations"), p)
}

// imageListAnnotation lists the images Argo CD Image Updater follows for
// an Application: "alias=repo:constraint, other=repo2".
const imageListAnnotation = "argocd-image-updater.argoproj.io/image-list"

// markUpdated notes on each declaration the image-list entry that follows
// its repository: a rollback there is undone unless it is held.
func markUpdated(decls []model.Declared, annotations *yaml.Node, file string) {
	list := repotree.Str(annotations, imageListAnnotation)
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		_, image, found := strings.Cut(entry, "=")
		if !found {
			image = entry
		}
		repo := imageRepository(image)
		for i := range decls {
			if l := &decls[i].Location; decls[i].Ref.Repository == repo {
				l.Updater, l.UpdaterFile = entry, file
				if alias := l.UpdaterAlias(); alias != "" {
					l.UpdaterHeld = repotree.Str(annotations, model.IgnoreTagsAnnotation(alias)) == "*"
				}
			}
		}
	}
}

// imageRepository drops an image-list entry's version constraint.
func imageRepository(image string) string {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i]
	}
	return image
}

func (r *reader) argoEnv(doc *yaml.Node, name string, sources []argoSource, pl placement) string {
	if pl.Configured {
		return pl.Env
	}
	for _, s := range sources {
		if s.Dir == "" {
			continue
		}
		if env, _ := r.layout.envFromPath(s.Dir + "/"); env != "" {
			return env
		}
	}
	// A shared chart with the environment's own values file.
	for _, s := range sources {
		for _, f := range repotree.Items(repotree.Get(s.Node, "helm", "valueFiles")) {
			if env, _ := r.layout.envFromPath(valueFilePath(s.Dir, f.Value)); env != "" && f.Value != "" {
				r.envByPath[env] = true
				return env
			}
		}
	}
	if env := r.layout.envFromName(name); env != "" {
		return env
	}
	if pl.Env != "" {
		return pl.Env
	}
	return r.layout.envFromName(repotree.Str(doc, "spec", "destination", "namespace"))
}

func (r *reader) argoAppName(name, env string, sources []argoSource, pl placement) string {
	if pl.Configured && pl.App != "" {
		return pl.App
	}
	if app := r.layout.appFromName(name, env); app != "" && app != env {
		return app
	}
	for _, s := range sources {
		if app := r.layout.appFromPath(s.Dir+"/", env); s.Dir != "" && app != "" {
			return app
		}
	}
	return pl.App
}

// readArgoSource reads one source: a kustomization (built, then the
// Application's kustomize.images applied) or a Helm chart (values merged
// with the Application's valuesObject and parameters over them).
func (r *reader) readArgoSource(a argoApp, s argoSource) {
	srcFile := ""
	if s.Dir != "" || a.File == "" {
		srcFile = path.Join(s.Dir, argoSourcePrefix+a.Name+".yaml")
		if r.t.Has(srcFile) {
			r.argoSources[srcFile] = true
		} else {
			srcFile = ""
		}
	}
	var srcDoc *yaml.Node
	if srcFile != "" {
		srcDoc = r.valuesRoot(srcFile)
	}
	_, isKustomize := r.kdirs[s.Dir]
	helm := repotree.Get(s.Node, "helm")
	switch {
	case repotree.Get(s.Node, "kustomize") != nil || repotree.Get(srcDoc, "kustomize") != nil || (isKustomize && s.Dir != "" && helm == nil):
		r.readArgoKustomize(a, s, srcFile, srcDoc)
	case helm != nil || repotree.Str(s.Node, "chart") != "" || r.charts[s.Dir] || repotree.Get(srcDoc, "helm") != nil ||
		(s.Dir != "" && r.t.Has(path.Join(s.Dir, "values.yaml"))):
		r.readArgoHelm(a, s, srcFile, srcDoc)
	}
}

// readArgoHelm merges, lowest first: the chart's values.yaml (when the chart
// is in this repo), helm.valueFiles, helm.valuesObject, helm.parameters and
// the write-back file. A promotion writes at the least to the environment's
// own values file (values-<env>.yaml among valueFiles), else to the
// Application (valuesObject), never to files other environments share.
func (r *reader) readArgoHelm(a argoApp, s argoSource, srcFile string, srcDoc *yaml.Node) {
	to := valuesTarget{App: a.App, Env: a.Env, Unit: a.unitPath(srcFile), ViaArgo: true}
	c, note := r.argoChart(s)
	if c != nil {
		if rel, ok := r.argoRelease(a, s, c, srcFile, srcDoc); ok {
			rel.Note = note
			r.declareRendered(rel, to)
			return
		}
	}
	to.Note = note
	helm := repotree.Get(s.Node, "helm")
	var layers []valuesLayer
	addFile := func(f string) {
		if root := r.valuesRoot(f); root != nil {
			layers = append(layers, valuesLayer{File: f, Kind: model.KindHelmValues, Images: repotree.FindValuesImages(root)})
		}
	}
	if s.Dir != "" {
		layers = r.chartLayers(path.Join(s.Dir, "values.yaml"))
	}
	floor := -1
	if files := repotree.Get(helm, "valueFiles"); files != nil {
		for _, f := range files.Content {
			if f := valueFilePath(s.Dir, f.Value); f != "" && r.t.Has(f) {
				addFile(f)
				if env, _ := r.layout.envFromPath(f); env == a.Env {
					floor = len(layers) - 1 // this environment's own values file
				}
			}
		}
	}
	if floor < 0 {
		floor = len(layers)
	}
	if a.File != "" {
		layers = append(layers,
			valuesLayer{File: a.File, Kind: model.KindArgoHelmValues, PathPrefix: s.YAMLPath + ".helm.values|",
				Images: repotree.FindValuesImages(r.inlineValues(a.File, repotree.Get(helm, "values")))},
			valuesLayer{File: a.File, Kind: model.KindArgoHelmValues, PathPrefix: s.YAMLPath + ".helm.valuesObject.",
				Images: repotree.FindValuesImages(repotree.Get(helm, "valuesObject"))},
			valuesLayer{File: a.File, Kind: model.KindArgoHelmParameter, PathPrefix: s.YAMLPath + ".helm.parameters.",
				Images: parameterImages(repotree.Get(helm, "parameters"))})
	}
	if srcFile != "" {
		layers = append(layers, valuesLayer{File: srcFile, Kind: model.KindArgoSourceFile,
			PathPrefix: "helm.parameters.", Images: parameterImages(repotree.Get(srcDoc, "helm", "parameters"))})
	}
	if len(layers) == 0 || floor >= len(layers) {
		return
	}
	r.declareLayers(layers, floor, to)
}

func (a argoApp) unitPath(srcFile string) string {
	if a.File != "" {
		return a.File
	}
	return srcFile
}

// valueFilePath resolves a helm.valueFiles entry: relative to the chart's
// folder, or "$values/…" from the repo root (a multi-source ref to this
// repo). Remote URLs give "".
func valueFilePath(dir, f string) string {
	if strings.Contains(f, "://") {
		return ""
	}
	if rest, ok := strings.CutPrefix(f, "$"); ok {
		_, f, _ = strings.Cut(rest, "/")
		return path.Clean(f)
	}
	return path.Join(dir, f)
}

// parameterImages groups helm parameters into images: "frontend.image.tag"
// and "frontend.image.repository" are parts of the image "frontend.image";
// "image" alone is a whole reference.
func parameterImages(list *yaml.Node) []repotree.ValuesImage {
	var out []*repotree.ValuesImage
	byPath := map[string]*repotree.ValuesImage{}
	if list == nil {
		return nil
	}
	for _, item := range list.Content {
		value := repotree.Get(item, "value")
		imgPath, part, ok := splitParameter(repotree.Str(item, "name"))
		if !ok || value == nil || value.Kind != yaml.ScalarNode || value.Tag == "!!null" {
			continue
		}
		img := byPath[imgPath]
		if img == nil {
			img = &repotree.ValuesImage{Path: imgPath, Node: item}
			if segs := strings.Split(imgPath, "."); len(segs) > 1 {
				img.Name = segs[len(segs)-2]
			}
			byPath[imgPath] = img
			out = append(out, img)
		}
		switch part {
		case "whole":
			img.Whole = value
		case "registry":
			img.Registry = value
		case "repository":
			img.Repository = value
		case "tag":
			img.Tag = value
		case "digest":
			img.Digest = value
		}
	}
	result := make([]repotree.ValuesImage, len(out))
	for i, img := range out {
		result[i] = *img
	}
	return result
}

func splitParameter(name string) (imgPath, part string, ok bool) {
	segs := strings.Split(name, ".")
	n := len(segs)
	switch {
	case segs[n-1] == "image":
		return name, "whole", true
	case n >= 2 && segs[n-2] == "image":
		switch segs[n-1] {
		case "registry", "repository", "tag", "digest":
			return strings.Join(segs[:n-1], "."), segs[n-1], true
		}
	}
	return "", "", false
}

// readOrphanArgoSources reads write-back files no Application in this repo
// claimed (the Applications live elsewhere): they still say what Argo CD
// deploys for the app and environment their name and folder give.
func (r *reader) readOrphanArgoSources() {
	for _, p := range r.t.Paths() {
		if !isArgoSourceFile(p) || r.argoSources[p] || skipped(p, r.charts) {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(path.Base(p), argoSourcePrefix), ".yaml"), ".yml")
		pl := r.place(p)
		env := pl.Env
		if env == "" {
			env = r.layout.envFromName(name)
		}
		if env == "" {
			continue
		}
		app := pl.App
		if !pl.Configured || app == "" {
			app = r.layout.appFromName(name, env)
		}
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		r.readArgoSource(argoApp{Name: name, App: app, Env: env}, argoSource{Node: &yaml.Node{Kind: yaml.MappingNode}, Dir: dir})
	}
}

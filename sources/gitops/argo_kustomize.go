package gitops

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// argoImage is one kustomize.images entry of an Application or write-back
// file: `[<name>=]<newName>[:<tag>|@<digest>]`.
type argoImage struct {
	Match    string // the image name in the manifests it replaces
	Ref      model.ImageRef
	Location model.Location
	used     bool
}

// readArgoKustomize builds the source folder's kustomization (when it is in
// this repo) and applies the Application's kustomize.images over it, then
// the write-back file's: what Argo CD deploys.
func (r *reader) readArgoKustomize(a argoApp, s argoSource, srcFile string, srcDoc *yaml.Node) {
	var overrides []*argoImage
	if a.File != "" {
		overrides = r.argoImages(a, repotree.Get(s.Node, "kustomize", "images"), a.File,
			s.YAMLPath+".kustomize.images", model.KindArgoKustomizeImages)
	}
	if srcFile != "" {
		overrides = append(overrides, r.argoImages(a, repotree.Get(srcDoc, "kustomize", "images"), srcFile,
			"kustomize.images", model.KindArgoSourceFile)...)
	}
	unit := a.unitPath(srcFile)
	r.seen(a.App, a.Env)
	if _, ok := r.kdirs[s.Dir]; ok && s.Dir != "" {
		_, discovered := r.built[s.Dir]
		b := r.build(s.Dir)
		for _, f := range r.overlayInputs[s.Dir] {
			r.input(valuesTarget{Unit: unit, App: a.App, Env: a.Env}, f)
		}
		if !discovered {
			for _, p := range b.Problems {
				r.problem(a.App, a.Env, p)
			}
		}
		for _, img := range b.Images {
			d := r.foundToDeclared(img, placement{App: a.App, Env: a.Env})
			applyArgoImages(&d, overrides)
			r.declareArgo(d, unit)
		}
	}
	for _, o := range overrides {
		if !o.used {
			r.declareArgo(model.Declared{App: a.App, Env: a.Env, Name: path.Base(o.Ref.Repository),
				Ref: o.Ref, Location: o.Location}, unit)
		}
	}
}

// applyArgoImages applies the last matching override to a built image, the
// way kustomize edit set image does: a new name replaces the repository, a
// tag or digest replaces both.
func applyArgoImages(d *model.Declared, overrides []*argoImage) {
	for _, o := range overrides {
		if o.Match != d.Ref.Repository && path.Base(o.Match) != path.Base(d.Ref.Repository) {
			continue
		}
		o.used = true
		d.Ref.Repository = o.Ref.Repository
		if o.Ref.Tag != "" || o.Ref.Digest != "" {
			d.Ref.Tag, d.Ref.Digest = o.Ref.Tag, o.Ref.Digest
		}
		d.Location = o.Location
		d.Inherited = ""
	}
}

func (r *reader) argoImages(a argoApp, list *yaml.Node, file, yamlPath string, kind model.FieldKind) []*argoImage {
	if list == nil {
		return nil
	}
	var out []*argoImage
	for i, n := range list.Content {
		if n.Kind != yaml.ScalarNode || n.Value == "" {
			continue
		}
		match, newRef, renamed := strings.Cut(n.Value, "=")
		if !renamed {
			newRef = match
		}
		ref, err := imageref.Parse(newRef)
		if err != nil {
			r.problem(a.App, a.Env, model.Problem{Source: "git", File: file, Line: n.Line,
				Message: fmt.Sprintf("%s[%d]: %s", yamlPath, i, err)})
			continue
		}
		if !renamed {
			match = ref.Repository
		} else if m, err := imageref.Parse(match); err == nil {
			match = m.Repository
		}
		out = append(out, &argoImage{Match: match, Ref: ref, Location: model.Location{
			File: file, Line: n.Line, Column: n.Column, Kind: kind,
			Path:   fmt.Sprintf("%s[%d]", yamlPath, i),
			Fields: map[string]model.Position{"image": repotree.Pos(n)}, Setter: repotree.Setter(n),
		}})
	}
	return out
}

package kustomize

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// overlayBuild locates the images of one built overlay in the files that
// set them.
type overlayBuild struct {
	c       *kustCache
	overlay *kustFile
	docs    []resourceDoc // resourceDocs, listed once per build
}

// imageSource is the place that really sets an image's value: an images:
// entry, a patch, or the resource file itself.
type imageSource struct {
	File   string
	How    model.FieldKind // KindKustomizeImages, KindKustomizePatch, KindManifest, KindFluxHelmRelease
	Node   *yaml.Node
	Path   string
	Fields map[string]model.Position
	Setter string
	// Own is true when the source is the overlay's own file, so a
	// promotion edits it in place.
	Own bool
}

func (b *overlayBuild) found(imgs []builtImage) ([]Image, []model.Problem) {
	var out []Image
	var problems []model.Problem
	for _, img := range imgs {
		img.Origin = b.origin(img.Kind, img.Name)
		src := b.locate(img)
		ref, err := refOf(img)
		if err != nil {
			file, line := b.overlay.File, 0
			if src.File != "" {
				file, line = src.File, src.Node.Line
			}
			problems = append(problems, model.Problem{Source: "git", File: file, Line: line,
				Message: err.Error() + " (" + img.Workload() + " in " + b.overlay.File + ")"})
			continue
		}
		name := img.Container
		if img.Values != nil {
			name = img.Values.Name
		}
		loc, inherited := b.location(img, src)
		out = append(out, Image{Name: name, Ref: ref, Location: loc, Inherited: inherited,
			Workload: img.Workload(), AppLabel: img.AppLabel})
	}
	return out, problems
}

// location says where a promotion writes: the source itself when the
// overlay owns it, else a new images: entry (a new patch for HelmRelease
// values) in the overlay's kustomization, at line 0.
func (b *overlayBuild) location(img builtImage, src imageSource) (model.Location, string) {
	if src.Own {
		pos := repotree.Pos(src.Node)
		return model.Location{File: src.File, Line: pos.Line, Column: pos.Column, Kind: src.How,
			Path: src.Path, Fields: src.Fields, Setter: src.Setter}, ""
	}
	loc := model.Location{File: b.overlay.File, Kind: model.KindKustomizeAddImages,
		Path: "images", Setter: src.Setter}
	if img.Values != nil {
		loc.Kind, loc.Path = model.KindKustomizePatch, "spec.values."+img.Values.Path
	}
	return loc, src.File
}

func refOf(img builtImage) (model.ImageRef, error) {
	if img.Values == nil {
		return imageref.Parse(img.Image.Value)
	}
	v := img.Values
	if v.Whole != nil {
		return imageref.Parse(v.Whole.Value)
	}
	if repotree.Value(v.Repository) == "" {
		return model.ImageRef{}, fmt.Errorf("HelmRelease values %s set no repository (chart defaults are not read)", v.Path)
	}
	return imageref.ParseParts(repotree.Value(v.Registry), repotree.Value(v.Repository), repotree.Value(v.Tag), repotree.Value(v.Digest))
}

// locate walks from the overlay down to the resource file and returns the
// first place that sets the image: at each level the images: entries (they
// run after patches), then the patches, last patch first.
func (b *overlayBuild) locate(img builtImage) imageSource {
	chain := []*kustFile{b.overlay}
	original := img.Name
	if img.Origin != nil {
		chain, original = img.Origin.Chain, img.Origin.Name
	}
	for level, k := range chain {
		sources := b.withComponents(k)
		for _, s := range sources {
			if src, ok := matchImages(s, img); ok {
				return b.own(src, level == 0 && s == k)
			}
		}
		for _, s := range sources {
			patches := s.patchDocs(b.c.tree)
			for i := len(patches) - 1; i >= 0; i-- {
				if src, ok := matchPatch(patches[i], img, original); ok {
					return b.own(src, level == 0 && s == k)
				}
			}
		}
	}
	src, ok := inResource(img)
	if !ok {
		return imageSource{}
	}
	return b.own(src, len(chain) == 1)
}

// own marks a source the overlay owns: set at its own level and written in
// a file inside its directory (a patch shared with other overlays is not).
func (b *overlayBuild) own(src imageSource, ownLevel bool) imageSource {
	src.Own = ownLevel && inDir(src.File, b.overlay.Dir)
	return src
}

func inDir(file, dir string) bool {
	if dir == "" {
		return !strings.Contains(file, "/")
	}
	return strings.HasPrefix(file, dir+"/")
}

// withComponents returns k and the components it includes, whose patches
// and images apply at k's level; k's own transformers run last.
func (b *overlayBuild) withComponents(k *kustFile) []*kustFile {
	out := []*kustFile{k}
	for _, r := range k.Resources {
		if sub := b.c.kust(r.Path); r.Component && r.IsDir && sub != nil && sub != k {
			out = append(out, b.withComponents(sub)...)
		}
	}
	return out
}

// matchImages finds the images: entry of k that produced a container's final
// image: its newName (or name) is the image's repository and its newTag and
// digest, when set, are the image's.
func matchImages(k *kustFile, img builtImage) (imageSource, bool) {
	if img.Values != nil {
		return imageSource{}, false
	}
	ref, err := imageref.Parse(img.Image.Value)
	if err != nil {
		return imageSource{}, false
	}
	for _, e := range k.Images {
		repo := repotree.Value(e.NewName)
		if repo == "" {
			repo = repotree.Value(e.Name)
		}
		if repo != ref.Repository ||
			(repotree.Value(e.NewTag) != "" && repotree.Value(e.NewTag) != ref.Tag) ||
			(repotree.Value(e.Digest) != "" && repotree.Value(e.Digest) != ref.Digest) {
			continue
		}
		src := imageSource{File: k.File, How: model.KindKustomizeImages, Node: e.Node,
			Path: "images[" + strconv.Itoa(e.Index) + "]", Fields: map[string]model.Position{}}
		for _, f := range []struct {
			key  string
			node *yaml.Node
		}{{"newTag", e.NewTag}, {"digest", e.Digest}, {"newName", e.NewName}, {"name", e.Name}} {
			if f.node != nil {
				src.Fields[f.key] = repotree.Pos(f.node)
				if src.Setter == "" {
					src.Setter = repotree.Setter(f.node)
				}
			}
		}
		return src, true
	}
	return imageSource{}, false
}

// matchPatch reports whether a patch sets the image, and where.
func matchPatch(p patchDoc, img builtImage, original string) (imageSource, bool) {
	if !p.Target.matches(img.Kind, original, img.Name) {
		return imageSource{}, false
	}
	if img.Values == nil {
		node, where := p.containerImage(img)
		if node == nil {
			return imageSource{}, false
		}
		return imageSource{File: p.File, How: model.KindKustomizePatch, Node: node, Path: where,
			Fields: map[string]model.Position{"image": repotree.Pos(node)}, Setter: repotree.Setter(node)}, true
	}
	vi, ok := p.valuesImage(img.Values.Path)
	if !ok {
		return imageSource{}, false
	}
	return valuesSource(p.File, model.KindKustomizePatch, vi), true
}

// valuesSource locates a values image by the fields it sets.
func valuesSource(file string, how model.FieldKind, vi repotree.ValuesImage) imageSource {
	src := imageSource{File: file, How: how, Node: vi.Node, Path: "spec.values." + vi.Path,
		Fields: map[string]model.Position{}}
	for _, f := range []struct {
		key  string
		node *yaml.Node
	}{{"tag", vi.Tag}, {"digest", vi.Digest}, {"repository", vi.Repository}, {"registry", vi.Registry}, {"image", vi.Whole}} {
		if f.node != nil {
			src.Fields[f.key] = repotree.Pos(f.node)
			if src.Node == nil {
				src.Node = f.node
			}
			if src.Setter == "" {
				src.Setter = repotree.Setter(f.node)
			}
		}
	}
	return src
}

// inResource finds the image in the resource file itself.
func inResource(img builtImage) (imageSource, bool) {
	if img.Origin == nil {
		return imageSource{}, false
	}
	doc, file := img.Origin.Doc, img.Origin.File
	if img.Values != nil {
		for _, vi := range repotree.FindValuesImages(repotree.Get(doc, "spec", "values")) {
			if vi.Path == img.Values.Path {
				return valuesSource(file, model.KindFluxHelmRelease, vi), true
			}
		}
		return imageSource{}, false
	}
	spec := podSpecPath(img.Kind)
	list := repotree.Get(doc, append(append([]string(nil), spec...), img.List)...)
	if list == nil || list.Kind != yaml.SequenceNode {
		return imageSource{}, false
	}
	for i, item := range list.Content {
		if node := repotree.ScalarAt(item, "image"); node != nil && repotree.Str(item, "name") == img.Container {
			return imageSource{File: file, How: model.KindManifest, Node: node,
				Path:   strings.Join(spec, ".") + "." + img.List + "[" + strconv.Itoa(i) + "].image",
				Fields: map[string]model.Position{"image": repotree.Pos(node)}, Setter: repotree.Setter(node)}, true
		}
	}
	return imageSource{}, false
}

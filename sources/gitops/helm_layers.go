package gitops

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// valuesLayer is one source of Helm values for a release, lowest precedence
// first: chart defaults, then values files, then an Argo CD valuesObject and
// parameters, …
type valuesLayer struct {
	File   string
	Kind   model.FieldKind
	Images []repotree.ValuesImage
	// PathPrefix turns a values path into the document's YAML path:
	// "spec.values." for a HelmRelease.
	PathPrefix string
	// Fallback layers only fill a tag no other layer sets (Chart.yaml's
	// appVersion, which chart templates use as the default tag); they never
	// add an image of their own.
	Fallback bool
}

// imagePart is one scalar of an image and the layer that set it.
type imagePart struct {
	Key   string // the YAML key written: "tag", "repository", … or "image"
	Value string
	Node  *yaml.Node
	Layer int
}

// mergedImage is one image, by its values path, with each part taken from
// the highest layer that sets it — the way Helm merges values maps.
type mergedImage struct {
	Name, Path string
	parts      map[string]imagePart // registry, repository, tag, digest, whole
}

// mergeLayers merges images field by field over the layers, in order of
// first appearance.
func mergeLayers(layers []valuesLayer) []*mergedImage {
	var out []*mergedImage
	byPath := map[string]*mergedImage{}
	for li, l := range layers {
		if l.Fallback {
			continue
		}
		for _, img := range l.Images {
			m := byPath[img.Path]
			if m == nil {
				m = &mergedImage{Name: img.Name, Path: img.Path, parts: map[string]imagePart{}}
				byPath[img.Path] = m
				out = append(out, m)
			}
			m.apply(img, li)
		}
	}
	for li, l := range layers {
		for _, img := range l.Images {
			if m := byPath[img.Path]; l.Fallback && m != nil && img.Tag != nil && !m.hasVersion() {
				m.parts["tag"] = imagePart{Key: "tag", Value: repotree.Value(img.Tag), Node: img.Tag, Layer: li}
			}
		}
	}
	return out
}

// empty reports an image whose fields are all blank (`tag: ""` with nothing
// else known): nothing is declared, and nothing is wrong either.
func (m *mergedImage) empty() bool {
	for _, p := range m.parts {
		if p.Value != "" {
			return false
		}
	}
	return true
}

// hasVersion reports whether a tag, digest or whole reference is set; an
// empty tag (`tag: ""`) does not count, as chart templates default it.
func (m *mergedImage) hasVersion() bool {
	_, whole := m.parts["whole"]
	return whole || m.parts["tag"].Value != "" || m.parts["digest"].Value != ""
}

func (m *mergedImage) apply(img repotree.ValuesImage, layer int) {
	if img.Whole != nil {
		// A whole reference replaces every part below it.
		m.parts = map[string]imagePart{"whole": {Key: "image", Value: img.Whole.Value, Node: img.Whole, Layer: layer}}
		return
	}
	m.expandWhole()
	for key, n := range map[string]*yaml.Node{
		"registry": img.Registry, "repository": img.Repository, "tag": img.Tag, "digest": img.Digest,
	} {
		if n != nil {
			m.parts[key] = imagePart{Key: key, Value: repotree.Value(n), Node: n, Layer: layer}
		}
	}
}

// expandWhole splits an inherited whole reference into parts so that a
// higher layer can override only its tag.
func (m *mergedImage) expandWhole() {
	w, ok := m.parts["whole"]
	if !ok {
		return
	}
	ref, err := imageref.Parse(w.Value)
	if err != nil {
		return // keep it whole: declared() reports the broken reference
	}
	delete(m.parts, "whole")
	for key, v := range map[string]string{"repository": ref.Repository, "tag": ref.Tag, "digest": ref.Digest} {
		if v != "" {
			m.parts[key] = imagePart{Key: "image", Value: v, Node: w.Node, Layer: w.Layer}
		}
	}
}

// ref assembles the reference. A tag without a repository (an Argo CD
// parameter over a chart outside the repo) is kept with an empty repository:
// the tag is still what the environment deploys.
func (m *mergedImage) ref() (model.ImageRef, error) {
	if w, ok := m.parts["whole"]; ok {
		return imageref.Parse(w.Value)
	}
	repo, tag, digest := m.parts["repository"].Value, m.parts["tag"].Value, m.parts["digest"].Value
	if repo == "" {
		if tag == "" && digest == "" {
			return model.ImageRef{}, fmt.Errorf("%s sets no repository, tag or digest", m.Path)
		}
		if _, err := imageref.Parse("example.invalid/x:" + tag); tag != "" && err != nil {
			return model.ImageRef{}, fmt.Errorf("invalid tag %q", tag)
		}
		return model.ImageRef{Tag: tag, Digest: digest}, nil
	}
	return imageref.ParseParts(m.parts["registry"].Value, repo, tag, digest)
}

// versionNode is the scalar of the part that decides the artifact, from
// the highest layer.
func (m *mergedImage) versionNode() *yaml.Node {
	best := imagePart{Layer: -1}
	for _, k := range versionKeys {
		if p, ok := m.parts[k]; ok && p.Layer > best.Layer {
			best = p
		}
	}
	return best.Node
}

// nodes are the scalars of every part, by field key.
func (m *mergedImage) nodes() map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, p := range m.parts {
		out[p.Key] = p.Node
	}
	return out
}

// versionKeys are the parts that decide which artifact is deployed, in the
// order the Location's line prefers them.
var versionKeys = []string{"tag", "digest", "whole"}

// locationKeys are every part, in the order the Location's line prefers.
var locationKeys = []string{"tag", "digest", "whole", "repository", "registry"}

// declared turns the merged image into a declaration. floor is the lowest
// layer a promotion may write to: the environment's own file, never the
// chart defaults every environment shares. When the environment inherits
// the version, Location names the floor layer's file with Line 0 (the field
// does not exist there yet: a promotion adds it) and Inherited names the
// file the value comes from.
func (m *mergedImage) declared(layers []valuesLayer, floor int, app, env string) (model.Declared, *model.Problem) {
	versionLayer := -1
	for _, k := range versionKeys {
		if p, ok := m.parts[k]; ok && p.Layer > versionLayer {
			versionLayer = p.Layer
		}
	}
	if versionLayer < 0 {
		versionLayer = m.parts["repository"].Layer
	}
	write := max(versionLayer, floor)
	loc := model.Location{File: layers[write].File, Kind: layers[write].Kind, Path: layers[write].PathPrefix + m.Path,
		Fields: map[string]model.Position{}}
	for _, k := range locationKeys {
		p, ok := m.parts[k]
		if !ok || layers[p.Layer].File != loc.File {
			continue
		}
		loc.Fields[p.Key] = repotree.Pos(p.Node)
		if loc.Line == 0 {
			loc.Line, loc.Column = p.Node.Line, p.Node.Column
		}
		if loc.Setter == "" && p.Layer == write {
			loc.Setter = repotree.Setter(p.Node)
		}
	}
	name := m.Name
	if name == "" {
		name = app
	}
	d := model.Declared{App: app, Env: env, Name: name, Location: loc}
	if versionLayer < write {
		d.Inherited = layers[versionLayer].File
	}
	ref, err := m.ref()
	if err != nil {
		src := layers[versionLayer]
		line := 0
		for _, k := range versionKeys {
			if p, ok := m.parts[k]; ok && p.Layer == versionLayer {
				line = p.Node.Line
			}
		}
		return d, &model.Problem{Source: "git", File: src.File, Line: line,
			Message: fmt.Sprintf("%s: %s", m.Path, err)}
	}
	d.Ref = ref
	return d, nil
}

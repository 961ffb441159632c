package gitops

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/imageref"
	"github.com/ferryhq/ferry/sources/repotree"
)

// renderLayer is a values layer of a release with what a promotion needs
// to know of its scalars: the field kind and the YAML path of the values
// inside the file.
type renderLayer struct {
	helm.Layer
	Kind       model.FieldKind
	PathPrefix string
}

// release is a chart of this repo with the values a deploying object (a
// layout, an Application, a HelmRelease) layers over it.
type release struct {
	Name, Namespace string
	Chart           *helm.Chart
	Layers          []renderLayer
	// Floor is the lowest layer a promotion writes to: the environment's
	// own, never the files every environment shares.
	Floor int
	Note  string // how the chart was found, when worth saying
}

// renderingChart returns the chart in dir when it is in the tree and has
// templates to render.
func (r *reader) renderingChart(dir string) (*helm.Chart, bool) {
	c, ok := helm.FindChart(r.t, dir)
	if !ok || !c.Renders() {
		return nil, false
	}
	return c, true
}

// vendoredChart finds a copy in this repo of a chart from a remote
// repository: a chart folder whose Chart.yaml has that name (and that
// version, when one is asked for).
func (r *reader) vendoredChart(name, version string) (*helm.Chart, bool) {
	dirs := mapKeys(r.charts)
	sort.Strings(dirs)
	for _, dir := range dirs {
		c, ok := r.renderingChart(dir)
		if !ok || c.Name != name {
			continue
		}
		if v := r.chartVersion(dir); version == "" || v == "" || v == version || strings.ContainsAny(version, "*^~<>=x ") {
			return c, true
		}
	}
	return nil, false
}

func (r *reader) chartVersion(dir string) string {
	return repotree.Str(r.valuesRoot(path.Join(dir, "Chart.yaml")), "version")
}

// declareRendered renders the release and declares the images of its
// manifests, each at the values scalar that writes it.
func (r *reader) declareRendered(rel release, to valuesTarget) {
	r.seen(to.App, to.Env)
	layers := make([]helm.Layer, len(rel.Layers))
	for i, l := range rel.Layers {
		layers[i] = l.Layer
		r.input(to, l.File)
	}
	for _, f := range []string{"Chart.yaml", "values.yaml"} {
		r.input(to, rel.Chart.File(f))
	}
	images, err := helm.Render(helm.Release{Name: rel.Name, Namespace: rel.Namespace, Chart: rel.Chart, Layers: layers})
	var te *helm.TemplateError
	if errors.As(err, &te) {
		msg := fmt.Sprintf("chart %s does not render: %s", te.Chart, te.Err)
		r.problem(to.App, to.Env, model.Problem{Source: "git", File: te.File, Line: te.Line, Message: msg})
		for _, f := range []string{to.Unit, rel.Chart.File("Chart.yaml"), rel.Chart.File("values.yaml")} {
			r.files.because(f, msg+" ("+te.File+")")
		}
		return
	}
	if len(images) == 0 {
		r.files.because(to.Unit, fmt.Sprintf("chart %s renders no workload with an image for %s in %s", rel.Chart.Dir, to.App, to.Env))
	}
	for _, img := range images {
		r.input(to, img.Template)
		d, problem := rel.declared(img, to)
		if problem != nil {
			r.problem(to.App, to.Env, *problem)
			continue
		}
		if _, src := versionSource(img); src.Node != nil {
			nodes := map[string]*yaml.Node{}
			for part, s := range img.Parts {
				nodes[fieldKey(part)] = s.Node
			}
			r.relocate(&d.Location, src.Node, nodes)
		}
		d.Note = rel.Note
		if d.Note == "" {
			d.Note = to.Note
		}
		if to.ViaArgo {
			r.declareArgo(d, to.Unit)
		} else {
			r.declare(d, to.Unit)
		}
	}
}

// inputKey names the declarations of one unit in one cell.
type inputKey struct{ unit, app, env string }

// input records a file the declarations of a unit in a cell were read from.
func (r *reader) input(to valuesTarget, file string) {
	k := inputKey{to.Unit, to.App, to.Env}
	if file != "" && r.t.Has(file) && !slices.Contains(r.unitInputs[k], file) {
		r.unitInputs[k] = append(r.unitInputs[k], file)
	}
}

// fieldKey is the Location.Fields key of an image part.
func fieldKey(part string) string {
	if part == "whole" {
		return "image"
	}
	return part
}

// declared turns a rendered image into a declaration: written where its
// version's scalar is, at the floor at the least (Line 0 and Inherited when
// the environment only inherits it), read-only when no values key writes it.
func (rel release) declared(img helm.Image, to valuesTarget) (model.Declared, *model.Problem) {
	ref, err := imageref.Parse(img.Ref)
	d := model.Declared{App: to.App, Env: to.Env, Name: img.Container, Ref: ref,
		Workload: img.Workload, AppLabel: img.AppLabel}
	if err != nil {
		return d, &model.Problem{Source: "git", File: img.Template,
			Message: fmt.Sprintf("%s container %q renders %s", img.Workload, img.Container, err)}
	}
	if img.Untraced != "" {
		d.ReadOnly = img.Untraced
		d.Location = model.Location{File: img.Template, Line: img.Line, Kind: model.KindHelmTemplate,
			Path: img.Workload + " " + img.Container}
		return d, nil
	}
	part, src := versionSource(img)
	write := max(src.Layer, rel.Floor)
	l := rel.Layers[write]
	loc := model.Location{File: l.File, Kind: l.Kind, Path: l.PathPrefix + imagePath(src.Path),
		Fields: map[string]model.Position{}, FieldPaths: map[string]string{}, Formats: map[string]string{}}
	for _, p := range []string{"tag", "digest", "whole", "repository", "registry"} {
		s, ok := img.Parts[p]
		if !ok || s.Layer != write {
			continue
		}
		key := fieldKey(p)
		loc.Fields[key] = repotree.Pos(s.Node)
		loc.FieldPaths[key] = l.PathPrefix + s.Path
		if s.Format != "" {
			loc.Formats[key] = s.Format
		}
		if loc.Line == 0 {
			loc.Line, loc.Column = s.Node.Line, s.Node.Column
		}
	}
	if src.Layer < write { // the environment inherits: a promotion adds the key
		loc.FieldPaths[fieldKey(part)] = l.PathPrefix + src.Path
		d.Inherited = src.File
	}
	if src.From != "" {
		d.Inherited = src.From
	}
	loc.Setter = repotree.Setter(src.Node)
	d.Location = loc
	return d, nil
}

// versionSource is the part that decides the artifact (a whole reference,
// a digest or a tag) from the highest layer, and its scalar.
func versionSource(img helm.Image) (string, helm.Source) {
	best, bestSrc := "", helm.Source{Layer: -3}
	for _, p := range []string{"tag", "digest", "whole"} {
		if s, ok := img.Parts[p]; ok && s.Layer > bestSrc.Layer {
			best, bestSrc = p, s
		}
	}
	return best, bestSrc
}

// imagePath is the YAML path of the image a scalar belongs to:
// "frontend.image" for frontend.image.tag, the key itself otherwise
// ("imageVersion", "api.image" for a whole reference).
func imagePath(p string) string {
	parent, key, ok := cutLast(p, ".")
	if ok && slices.Contains([]string{"tag", "digest", "repository", "registry"}, key) {
		return parent
	}
	return p
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

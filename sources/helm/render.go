package helm

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Release is one Helm release as the deploying object describes it: a
// chart of the repo, its name and namespace, and the values layered over
// the chart's defaults.
type Release struct {
	Name, Namespace string
	Chart           *Chart
	Layers          []Layer
}

// Image is one container image of the rendered manifests, with the values
// scalars that write its parts.
type Image struct {
	Ref       string // the image as rendered
	Container string
	Workload  string // "Deployment/shop-frontend"
	AppLabel  string
	Template  string // repo path of the template that writes it
	// Parts maps "whole", "registry", "repository", "tag" and "digest" to
	// the scalar the part is written from; a part no values key reaches is
	// written in the template itself.
	Parts map[string]Source
	// Untraced says why no values key reaches the image's version (tag,
	// digest or whole reference): a promotion cannot change it. "" when
	// one does.
	Untraced string
	// Line is the line of the template that spells the image out, when
	// it is written there literally (an untraced image); 0 otherwise.
	Line int
}

// Versioned reports whether a values key writes the image's version.
func (img Image) Versioned() bool {
	return slices.ContainsFunc([]string{"whole", "tag", "digest"}, func(p string) bool {
		_, ok := img.Parts[p]
		return ok
	})
}

// Render renders the release and traces its images. A chart that does not
// render (a template error, values its schema rejects) is a *TemplateError.
func Render(rel Release) ([]Image, error) {
	k, keep := rel.key()
	if keep {
		if images, err, ok := rel.lookup(k); ok {
			return images, err
		}
	}
	images, err := rel.renderAndTrace()
	if keep {
		remember(k, images, err)
	}
	return images, err
}

func (rel Release) renderAndTrace() ([]Image, error) {
	vals, err := rel.values(nil)
	if err != nil {
		return nil, rel.Chart.renderError(err)
	}
	files, err := rel.render(vals, nil)
	if err != nil {
		return nil, err
	}
	real, err := rel.Chart.containers(files)
	if err != nil || len(real) == 0 {
		return nil, err
	}
	images := make([]Image, len(real))
	for i, r := range real {
		images[i] = Image{Ref: r.c.Image.Value, Container: r.c.Container, Workload: r.c.Workload(),
			AppLabel: r.c.AppLabel, Template: r.file, Parts: map[string]Source{}}
	}
	why := rel.trace(images, real, &marking{})
	if slices.ContainsFunc(images, needsWriteKey) {
		rel.trace(images, real, &marking{empty: true})
	}
	for i := range images {
		switch {
		case !images[i].Versioned():
			images[i].Untraced = untracedReason(images[i], why)
			images[i].Line = rel.Chart.lineOf(images[i].Template, images[i].Ref)
		case images[i].Parts["tag"].Layer == ChartMetadata:
			images[i].Untraced = "the tag is the chart's appVersion (" + images[i].Parts["tag"].File +
				"), which no values key of the chart overrides"
		}
	}
	return images, nil
}

// needsWriteKey reports an image whose version no values key writes: it
// is hard-coded, or the chart's appVersion.
func needsWriteKey(img Image) bool {
	return !img.Versioned() || img.Parts["tag"].Layer == ChartMetadata && img.Parts["tag"].Node != nil
}

func untracedReason(img Image, why string) string {
	if why != "" {
		return why
	}
	return "the version is written in " + img.Template + ", which no values key reaches"
}

// trace renders again with markers and records, for each image, the
// scalars whose markers reach it. It returns why tracing failed, "" if it
// did not.
func (rel Release) trace(images []Image, real []rendered, m *marking) string {
	vals, err := rel.values(m)
	if err != nil {
		return "ferry could not trace the image to values: " + err.Error()
	}
	files, err := rel.render(vals, m)
	if err != nil {
		return "ferry could not trace the image to values (the chart does not render with markers: " + err.Error() + ")"
	}
	marked, err := rel.Chart.containers(files)
	if err != nil || !sameShape(marked, real) {
		return "ferry could not trace the image to values (the chart renders other workloads when values change)"
	}
	for i := range images {
		for part, src := range tracedParts(marked[i].c.Image.Value, real[i].c.Image.Value, m) {
			if !m.empty {
				images[i].Parts[part] = src
				continue
			}
			if needsWriteKey(images[i]) && part != "repository" && part != "registry" {
				src.From = images[i].Parts[part].File // Chart.yaml, if the first pass found the appVersion
				if src.From == "" {
					src.From = images[i].Template
				}
				delete(images[i].Parts, "tag") // the appVersion's place, now the key's
				images[i].Parts[part] = src
			}
		}
	}
	return ""
}

// sameShape reports whether two renders hold the same containers in the
// same places: markers changed no control flow that matters.
func sameShape(a, b []rendered) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i].c, b[i].c
		if x.Kind != y.Kind || x.Container != y.Container || x.List != y.List || x.Index != y.Index || a[i].file != b[i].file {
			return false
		}
	}
	return true
}

// values merges the layers, marked when m is not nil.
func (rel Release) values(m *marking) (map[string]any, error) {
	vals := map[string]any{}
	for i, l := range rel.Layers {
		var layer map[string]any
		if m != nil {
			layer = m.values(l.Values, i, l.File, "")
		} else {
			var err error
			if layer, err = realValues(l.Values); err != nil {
				return nil, fmt.Errorf("%s: %w", l.File, err)
			}
		}
		vals = mergeMaps(vals, layer)
		for _, p := range l.Params {
			if err := rel.setParam(vals, p, i, l.File, m); err != nil {
				return nil, fmt.Errorf("%s: parameter %s: %w", l.File, p.Name, err)
			}
		}
	}
	return vals, nil
}

func (rel Release) setParam(vals map[string]any, p Param, layer int, file string, m *marking) error {
	if p.Value == nil {
		return nil
	}
	key := p.Name[strings.LastIndex(p.Name, ".")+1:]
	if m != nil && m.candidate(key, paramValue(p)) {
		return setParam(vals, p.Name, m.mark(Source{Layer: layer, File: file, Node: p.Value, Path: p.Name, at: nodeAt{param: p.Name}}), true)
	}
	return setParam(vals, p.Name, p.Value.Value, p.String)
}

// paramValue is what --set makes of a parameter, for choosing candidates.
func paramValue(p Param) any {
	probe := map[string]any{}
	if err := setParam(probe, "v", p.Value.Value, p.String); err != nil {
		return nil
	}
	if f, ok := probe["v"].(int64); ok {
		return float64(f)
	}
	return probe["v"]
}

// render runs Helm's engine over the chart with the values; with markers,
// the chart's own defaults and appVersion are marked too.
func (rel Release) render(vals map[string]any, m *marking) (map[string]string, error) {
	ch, err := rel.Chart.load()
	if err != nil {
		return nil, &TemplateError{Chart: rel.Chart.Dir, File: rel.Chart.File("Chart.yaml"), Err: err.Error()}
	}
	if m != nil {
		rel.Chart.markDefaults(ch, m)
	}
	if err := chartutil.ProcessDependenciesWithMerge(ch, vals); err != nil {
		return nil, rel.Chart.renderError(err)
	}
	opts := chartutil.ReleaseOptions{Name: rel.Name, Namespace: rel.Namespace, Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValuesWithSchemaValidation(ch, vals, opts, nil, m != nil)
	if err != nil {
		return nil, rel.Chart.renderError(err)
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		return nil, rel.Chart.renderError(err)
	}
	return files, nil
}

// markDefaults marks the chart's values.yaml, its subcharts' (from
// folders under charts/), and its appVersion.
func (c *Chart) markDefaults(ch *chart.Chart, m *marking) {
	if root := c.valuesRoot("values.yaml"); root != nil {
		ch.Values = m.values(root, ChartValues, c.File("values.yaml"), "")
	}
	for _, dep := range ch.Dependencies() {
		rel := "charts/" + dep.Name() + "/values.yaml"
		if root := c.valuesRoot(rel); root != nil {
			// Paths say the parent's key: a release overrides redis.tag.
			dep.Values = m.values(root, ChartValues, c.File(rel), dep.Name())
		}
	}
	if m.empty || ch.Metadata == nil || ch.Metadata.AppVersion == "" {
		return
	}
	if root := c.valuesRoot("Chart.yaml"); root != nil {
		if n := repotree.Get(root, "appVersion"); n != nil {
			ch.Metadata.AppVersion = m.mark(Source{Layer: ChartMetadata, File: c.File("Chart.yaml"), Node: n, Path: "appVersion",
				at: nodeAt{path: "appVersion"}})
		}
	}
}

// valuesRoot parses a YAML file of the chart; nil when it has none.
func (c *Chart) valuesRoot(rel string) *yaml.Node {
	data, ok := c.tree.Read(c.File(rel))
	if !ok {
		return nil
	}
	docs, _ := repotree.ParseDocs(c.File(rel), data)
	if len(docs) == 0 {
		return nil
	}
	return docs[0].Root
}

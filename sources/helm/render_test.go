package helm

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/sources/repotree"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  template:
    spec:
      containers:
`

// chartTree builds a chart in charts/shop with the given templates and
// values.yaml, plus extra repo files.
func chartTree(values string, templates map[string]string, extra map[string]string) *repotree.Tree {
	files := map[string][]byte{
		"charts/shop/Chart.yaml":  []byte("apiVersion: v2\nname: shop\nversion: 1.0.0\nappVersion: \"4.2.0\"\n"),
		"charts/shop/values.yaml": []byte(values),
	}
	for name, text := range templates {
		files["charts/shop/templates/"+name] = []byte(text)
	}
	for p, text := range extra {
		files[p] = []byte(text)
	}
	return repotree.NewTree("test", files)
}

func layer(t *testing.T, file, text string) Layer {
	t.Helper()
	docs, problem := repotree.ParseDocs(file, []byte(text))
	if problem != nil || len(docs) == 0 {
		t.Fatalf("%s: %v", file, problem)
	}
	return Layer{File: file, Values: docs[0].Root}
}

func render(t *testing.T, tree *repotree.Tree, layers ...Layer) []Image {
	t.Helper()
	c, ok := FindChart(tree, "charts/shop")
	if !ok || !c.Renders() {
		t.Fatal("no chart")
	}
	images, err := Render(Release{Name: "shop-prod", Namespace: "shop", Chart: c, Layers: layers})
	if err != nil {
		t.Fatal(err)
	}
	return images
}

// where spells a part's source as the tests expect: file:line path format.
func where(img Image, part string) string {
	s, ok := img.Parts[part]
	if !ok {
		return ""
	}
	out := s.File + ":" + itoa(s.Node.Line) + " " + s.Path
	if s.Format != "" {
		out += " as " + s.Format
	}
	if s.From != "" {
		out += " from " + s.From
	}
	return out
}

func itoa(n int) string { return fmt.Sprintf("%02d", n) }

func TestTracesEachPartToItsLayer(t *testing.T) {
	tree := chartTree("image:\n  registry: registry.example.org\n  repository: shop/api\n  tag: 1.0.0\n",
		map[string]string{"deployment.yaml": deployment +
			`        - name: api
          image: "{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`}, nil)
	images := render(t, tree, layer(t, "envs/prod/values.yaml", "image:\n  tag: 1.2.0\n"))
	if len(images) != 1 {
		t.Fatalf("images %+v", images)
	}
	img := images[0]
	if img.Ref != "registry.example.org/shop/api:1.2.0" || img.Workload != "Deployment/shop-prod" || img.AppLabel != "shop" || img.Container != "api" {
		t.Errorf("image %+v", img)
	}
	for part, want := range map[string]string{
		"registry":   "charts/shop/values.yaml:02 image.registry",
		"repository": "charts/shop/values.yaml:03 image.repository",
		"tag":        "envs/prod/values.yaml:02 image.tag",
	} {
		if got := where(img, part); got != want {
			t.Errorf("%s from %q, want %q", part, got, want)
		}
	}
	if img.Parts["tag"].Layer != 0 || img.Parts["repository"].Layer != ChartValues || img.Untraced != "" {
		t.Errorf("layers %+v untraced %q", img.Parts, img.Untraced)
	}
}

// A template that hard-codes the repository and takes only a version from
// values: the version key is the write location; a wholly hard-coded
// sidecar is untraced and says where it is written.
func TestTagOnlyKeyAndHardCodedImage(t *testing.T) {
	tree := chartTree("imageVersion: 2.3.4\n", map[string]string{"deployment.yaml": deployment +
		`        - name: app
          image: ghcr.io/acme/app:v{{ .Values.imageVersion }}
        - name: proxy
          image: envoyproxy/envoy:v1.30
`}, nil)
	images := render(t, tree)
	if len(images) != 2 || images[0].Ref != "ghcr.io/acme/app:v2.3.4" {
		t.Fatalf("images %+v", images)
	}
	if got := where(images[0], "tag"); got != "charts/shop/values.yaml:01 imageVersion as v{}" {
		t.Errorf("tag from %q", got)
	}
	if _, ok := images[0].Parts["repository"]; ok {
		t.Errorf("repository traced: %+v", images[0].Parts)
	}
	proxy := images[1]
	if proxy.Versioned() || !strings.Contains(proxy.Untraced, "charts/shop/templates/deployment.yaml") {
		t.Errorf("proxy %+v", proxy)
	}
}

// An empty tag falls back to the chart's appVersion: the tag key is where a
// promotion writes, and the value comes from Chart.yaml.
func TestEmptyTagFallsBackToAppVersion(t *testing.T) {
	tree := chartTree("image:\n  repository: ghcr.io/acme/shop\n  tag: \"\"\n", map[string]string{"deployment.yaml": deployment +
		`        - name: shop
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
`}, nil)
	images := render(t, tree)
	if len(images) != 1 || images[0].Ref != "ghcr.io/acme/shop:4.2.0" {
		t.Fatalf("images %+v", images)
	}
	if got := where(images[0], "tag"); got != "charts/shop/values.yaml:03 image.tag from charts/shop/Chart.yaml" {
		t.Errorf("tag from %q", got)
	}
}

// --set parameters win over values; a subchart's defaults are traced
// under the parent's key for it.
func TestParametersAndSubcharts(t *testing.T) {
	tree := chartTree("image:\n  repository: ghcr.io/acme/shop\n  tag: 1.0.0\n", map[string]string{"deployment.yaml": deployment +
		`        - name: shop
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`}, map[string]string{
		"charts/shop/charts/redis/Chart.yaml":                 "apiVersion: v2\nname: redis\nversion: 7.0.0\n",
		"charts/shop/charts/redis/values.yaml":                "repository: docker.io/bitnami/redis\ntag: 7.2.4\n",
		"charts/shop/charts/redis/templates/statefulset.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: {{ .Values.repository }}:{{ .Values.tag }}\n",
	})
	app := "argocd/shop.yaml"
	docs, _ := repotree.ParseDocs(app, []byte("parameters:\n  - name: image.tag\n    value: 1.9.0\n  - name: redis.tag\n    value: 7.2.5\n"))
	var params []Param
	for _, item := range repotree.Items(repotree.Get(docs[0].Root, "parameters")) {
		params = append(params, Param{Name: repotree.Str(item, "name"), Value: repotree.Get(item, "value")})
	}
	images := render(t, tree, Layer{File: app, Params: params})
	got := map[string]string{}
	for _, img := range images {
		got[img.Ref] = where(img, "tag") + " | " + where(img, "repository")
	}
	want := map[string]string{
		"ghcr.io/acme/shop:1.9.0":       "argocd/shop.yaml:03 image.tag | charts/shop/values.yaml:02 image.repository",
		"docker.io/bitnami/redis:7.2.5": "argocd/shop.yaml:05 redis.tag | charts/shop/charts/redis/values.yaml:01 redis.repository",
	}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("%s: %q, want %q (all: %v)", ref, got[ref], w, got)
		}
	}
}

func TestTemplateErrorNamesFileAndLine(t *testing.T) {
	tree := chartTree("image: {}\n", map[string]string{"deployment.yaml": deployment +
		"        - name: x\n          image: {{ .Values.image.repository.name }}\n"}, nil)
	c, _ := FindChart(tree, "charts/shop")
	_, err := Render(Release{Name: "x", Chart: c})
	var te *TemplateError
	if !errors.As(err, &te) || te.File != "charts/shop/templates/deployment.yaml" || te.Line != 12 ||
		!strings.Contains(te.Error(), "nil pointer") {
		t.Fatalf("error %#v", err)
	}
}

func TestChartWithoutTemplatesDoesNotRender(t *testing.T) {
	c, _ := FindChart(chartTree("image: {}\n", nil, nil), "charts/shop")
	if c.Renders() {
		t.Error("a chart without templates renders")
	}
}

// A second reading of the same chart and values is a lookup whose scalars
// are those of the new reading; changed values render again.
func TestRenderIsKeptAndFoundAgain(t *testing.T) {
	ForgetRenders()
	tree := chartTree("image:\n  repository: ghcr.io/acme/shop\n  tag: 1.0.0\n", map[string]string{"deployment.yaml": deployment +
		"        - name: shop\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n"}, nil)
	first := layer(t, "envs/dev/values.yaml", "image:\n  tag: 1.1.0\n")
	again := layer(t, "envs/dev/values.yaml", "image:\n  tag: 1.1.0\n")
	a, b := render(t, tree, first)[0], render(t, tree, again)[0]
	if len(results) != 1 {
		t.Fatalf("%d renders kept, want 1", len(results))
	}
	if b.Parts["tag"].Node != repotree.Get(again.Values, "image", "tag") || b.Parts["tag"].Node == a.Parts["tag"].Node {
		t.Error("the kept render points at the first reading's scalar")
	}
	if b.Parts["repository"].Node == nil || where(b, "repository") != where(a, "repository") {
		t.Errorf("repository %q, want %q", where(b, "repository"), where(a, "repository"))
	}
	changed := render(t, tree, layer(t, "envs/dev/values.yaml", "image:\n  tag: 1.2.0\n"))[0]
	if changed.Ref != "ghcr.io/acme/shop:1.2.0" || len(results) != 2 {
		t.Errorf("changed values gave %s (%d kept)", changed.Ref, len(results))
	}
}

package gitops

import (
	"fmt"
	"testing"

	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/kustomize"
	"github.com/ferryhq/ferry/sources/repotree"
)

var readBenchEnvs = []string{"dev", "qa", "staging", "prod-eu", "prod-us"}

// chartTemplate renders a chart's two images, the way most charts do.
const chartTemplate = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        - name: sidecar
          image: "{{ .Values.sidecar.image.repository }}:{{ .Values.sidecar.image.tag }}"
`

// generatedTree builds a repo of apps × environments: even apps are Helm
// charts with a values file per environment, odd apps kustomize bases with
// an overlay per environment. With rendered, the charts have a template
// and are rendered with Helm; without, they hold only values.
func generatedTree(apps int, rendered bool) *repotree.Tree {
	files := map[string][]byte{}
	for i := range apps {
		app := fmt.Sprintf("app-%03d", i)
		if i%2 == 0 {
			files["charts/"+app+"/Chart.yaml"] = fmt.Appendf(nil, "apiVersion: v2\nname: %s\nversion: 1.0.0\n", app)
			if rendered {
				files["charts/"+app+"/templates/deployment.yaml"] = []byte(chartTemplate)
			}
			files["charts/"+app+"/values.yaml"] = fmt.Appendf(nil,
				"replicas: 1\nimage:\n  repository: registry.example.org/shop/%s\n  tag: 1.0.0\nsidecar:\n  image:\n    repository: registry.example.org/shop/proxy\n    tag: 2.0.0\n", app)
			for j, env := range readBenchEnvs {
				files["environments/"+env+"/"+app+"/values.yaml"] = fmt.Appendf(nil, "image:\n  tag: 1.%d.0\n", j)
			}
			continue
		}
		files["apps/"+app+"/base/kustomization.yaml"] = []byte("resources:\n  - deployment.yaml\n")
		files["apps/"+app+"/base/deployment.yaml"] = fmt.Appendf(nil, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  labels:
    app.kubernetes.io/name: %[1]s
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.org/shop/%[1]s:1.0.0
`, app)
		for j, env := range readBenchEnvs {
			files["apps/"+app+"/overlays/"+env+"/kustomization.yaml"] = fmt.Appendf(nil,
				"resources:\n  - ../../base\nimages:\n  - name: registry.example.org/shop/%s\n    newTag: 1.%d.0\n", app, j)
		}
	}
	return repotree.NewTree("bench", files)
}

// BenchmarkRead300x5 reads a generated repo of 300 apps × 5 environments
// (Helm charts and kustomize overlays, half each): discovery, values and
// 750 overlay builds. "parse-only" is the baseline in the same process:
// parsing every YAML file once, which any reader must do; read-cold builds
// every overlay, read-warm is a refresh whose builds are cached. The
// "rendered" variants give the charts a template: 750 Helm releases are
// rendered and traced (two renders each, markers in the second).
func BenchmarkRead300x5(b *testing.B) {
	tree, rendered := generatedTree(300, false), generatedTree(300, true)
	b.Run("parse-only", func(b *testing.B) {
		for b.Loop() {
			for _, p := range tree.Paths() {
				data, _ := tree.Read(p)
				repotree.ParseDocs(p, data)
			}
		}
	})
	read := func(b *testing.B, tree *repotree.Tree, cold bool) {
		for b.Loop() {
			if cold {
				b.StopTimer()
				kustomize.ForgetBuilds() // builds and renders are kept per process by content hash
				helm.ForgetRenders()
				b.StartTimer()
			}
			res := Read(repotree.NewTree("bench", tree.Files()))
			if len(res.Declared) != 300*5*3/2 {
				b.Fatalf("declared %d images, want %d", len(res.Declared), 300*5*3/2)
			}
		}
	}
	b.Run("read-cold", func(b *testing.B) { read(b, tree, true) })
	// A refresh in the same process: overlay builds come from the cache.
	b.Run("read-warm", func(b *testing.B) { read(b, tree, false) })
	b.Run("read-cold-rendered", func(b *testing.B) { read(b, rendered, true) })
	b.Run("read-warm-rendered", func(b *testing.B) { read(b, rendered, false) })
}

func TestGeneratedTreeReadsEveryCell(t *testing.T) {
	for _, rendered := range []bool{false, true} {
		res := Read(generatedTree(6, rendered))
		if len(res.Declared) != 6*5*3/2 || len(res.Apps) != 6 || len(res.Environments) != 5 || len(res.Problems) > 0 {
			t.Fatalf("rendered %v: declared %d apps %v envs %v problems %s", rendered, len(res.Declared), res.Apps,
				res.Environments.Names(), problemsText(res.Problems))
		}
		if !rendered {
			continue
		}
		for _, d := range res.Declared {
			if d.Name == "sidecar" && d.Location.FieldPaths == nil && d.Inherited != "" {
				t.Errorf("rendered sidecar without field paths: %+v", d)
			}
		}
	}
}

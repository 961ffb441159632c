package gitops

import (
	"fmt"
	"testing"

	"github.com/ferryhq/ferry/sources/kustomize"
	"github.com/ferryhq/ferry/sources/repotree"
)

var readBenchEnvs = []string{"dev", "qa", "staging", "prod-eu", "prod-us"}

// generatedTree builds a repo of apps × environments: even apps are Helm
// charts with a values file per environment, odd apps kustomize bases with
// an overlay per environment.
func generatedTree(apps int) *repotree.Tree {
	files := map[string][]byte{}
	for i := range apps {
		app := fmt.Sprintf("app-%03d", i)
		if i%2 == 0 {
			files["charts/"+app+"/Chart.yaml"] = fmt.Appendf(nil, "apiVersion: v2\nname: %s\nversion: 1.0.0\n", app)
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
// (Helm values and kustomize overlays, half each): discovery, values merging
// and 750 overlay builds. "parse-only" is the baseline in the same process:
// parsing every YAML file once, which any reader must do; read-cold builds
// every overlay, read-warm is a refresh whose builds are cached.
func BenchmarkRead300x5(b *testing.B) {
	tree := generatedTree(300)
	b.Run("parse-only", func(b *testing.B) {
		for b.Loop() {
			for _, p := range tree.Paths() {
				data, _ := tree.Read(p)
				repotree.ParseDocs(p, data)
			}
		}
	})
	read := func(b *testing.B, cold bool) {
		for b.Loop() {
			if cold {
				b.StopTimer()
				kustomize.ForgetBuilds() // kustomize results are kept per process by content hash
				b.StartTimer()
			}
			res := Read(repotree.NewTree("bench", tree.Files()))
			if len(res.Declared) != 300*5*3/2 {
				b.Fatalf("declared %d images, want %d", len(res.Declared), 300*5*3/2)
			}
		}
	}
	b.Run("read-cold", func(b *testing.B) { read(b, true) })
	// A refresh in the same process: overlay builds come from the cache.
	b.Run("read-warm", func(b *testing.B) { read(b, false) })
}

func TestGeneratedTreeReadsEveryCell(t *testing.T) {
	res := Read(generatedTree(6))
	if len(res.Declared) != 6*5*3/2 || len(res.Apps) != 6 || len(res.Environments) != 5 || len(res.Problems) > 0 {
		t.Fatalf("declared %d apps %v envs %v problems %s", len(res.Declared), res.Apps, res.Environments.Names(), problemsText(res.Problems))
	}
}

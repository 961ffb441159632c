package kustomize

import (
	"fmt"
	"testing"
	"time"

	"github.com/ferryhq/ferry/sources/repotree"
)

var benchEnvs = []string{"dev", "test", "staging", "prod-eu", "prod-us"}

// generatedKustomizeTree is a repo of apps × (base + one overlay per env):
// overlays set images: entries, every third one patches its image instead,
// every fifth only inherits.
func generatedKustomizeTree(apps int) (*repotree.Tree, []string) {
	files := map[string][]byte{}
	var overlays []string
	for a := range apps {
		app := fmt.Sprintf("app%03d", a)
		base := "apps/" + app + "/base"
		files[base+"/kustomization.yaml"] = []byte("resources:\n  - deployment.yaml\n  - service.yaml\n")
		files[base+"/deployment.yaml"] = fmt.Appendf(nil, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  labels:
    app.kubernetes.io/name: %[1]s
spec:
  template:
    spec:
      containers:
        - name: %[1]s
          image: registry.example.org/shop/%[1]s:1.0.0
        - name: proxy
          image: registry.example.org/shop/proxy:2.0.0
`, app)
		files[base+"/service.yaml"] = fmt.Appendf(nil, "apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\nspec:\n  ports:\n    - port: 80\n", app)
		for e, env := range benchEnvs {
			dir := "apps/" + app + "/overlays/" + env
			overlays = append(overlays, dir)
			k := "namePrefix: " + env + "-\nresources:\n  - ../../base\n"
			switch (a + e) % 5 {
			case 0: // only inherits
			case 1, 3:
				k += fmt.Sprintf("patches:\n  - path: image.yaml\n")
				files[dir+"/image.yaml"] = fmt.Appendf(nil, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %[1]s\nspec:\n  template:\n    spec:\n      containers:\n        - name: %[1]s\n          image: registry.example.org/shop/%[1]s:1.%[2]d.0\n", app, e)
			default:
				k += fmt.Sprintf("images:\n  - name: registry.example.org/shop/%s\n    newTag: 1.%d.0\n", app, e)
			}
			files[dir+"/kustomization.yaml"] = []byte(k)
		}
	}
	return repotree.NewTree("bench", files), overlays
}

// BenchmarkBuildOverlays builds every overlay of a 300 apps × 5 envs repo.
// "cold-prebuilt" does the same with Prebuild first (one worker
// per CPU); "filesystem" is the in-memory copy of the tree krusty reads;
// "cold" starts each op with an empty results cache and a new tree, so the
// in-memory filesystem is made once per op and krusty runs 1500 times;
// "refresh" reads a new tree with the same contents (a new commit that did
// not touch the overlays), which the results cache answers; cpu-ns/overlay
// is process CPU time (GC included), steadier than wall time on a busy
// machine; "one-app"
// changes one app's base between ops, so its five overlays build again.
func BenchmarkBuildOverlays(b *testing.B) {
	const apps = 300
	overlays := apps * len(benchEnvs)
	buildAll := func(b *testing.B, tree *repotree.Tree, dirs []string) {
		for _, dir := range dirs {
			if imgs, problems := Build(tree, dir); len(imgs) != 2 || len(problems) > 0 {
				b.Fatalf("%s: %d images, problems %v", dir, len(imgs), problems)
			}
		}
	}
	// cold builds every overlay from an empty results cache and a new tree;
	// with prebuild, Prebuild spreads the builds over the cores first.
	cold := func(prebuild bool) func(b *testing.B) {
		return func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				ForgetBuilds()
				tree, dirs := generatedKustomizeTree(apps)
				b.StartTimer()
				start := processCPU()
				if prebuild {
					Prebuild(tree, dirs)
				}
				buildAll(b, tree, dirs)
				cpu += processCPU() - start
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*overlays), "ns/overlay")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*overlays), "cpu-ns/overlay")
		}
	}
	b.Run("cold", cold(false))
	b.Run("cold-prebuilt", cold(true))
	b.Run("filesystem", func(b *testing.B) {
		tree, _ := generatedKustomizeTree(apps)
		for b.Loop() {
			inMemory(tree, nil)
		}
	})
	b.Run("refresh", func(b *testing.B) {
		ForgetBuilds()
		tree, dirs := generatedKustomizeTree(apps)
		buildAll(b, tree, dirs)
		for b.Loop() {
			b.StopTimer()
			tree, _ := generatedKustomizeTree(apps)
			b.StartTimer()
			buildAll(b, tree, dirs)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*overlays), "ns/overlay")
	})
	b.Run("one-app", func(b *testing.B) {
		ForgetBuilds()
		tree, dirs := generatedKustomizeTree(apps)
		buildAll(b, tree, dirs)
		i := 0
		for b.Loop() {
			b.StopTimer()
			tree, _ := generatedKustomizeTree(apps)
			i++
			deployment := "apps/app007/base/deployment.yaml"
			tree.Files()[deployment] = append(tree.Files()[deployment], fmt.Sprintf("# change %d\n", i)...)
			b.StartTimer()
			buildAll(b, tree, dirs)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*overlays), "ns/overlay")
	})
}

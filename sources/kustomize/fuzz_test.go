package kustomize

import (
	"bytes"
	"os"
	"testing"

	"github.com/ferryhq/ferry/sources/repotree"
)

// FuzzBuildOverlay builds an overlay whose kustomization and patch are
// fuzzed over the kustomize-patches base: it must never panic, and every
// location it reports must lie inside a file of the tree.
func FuzzBuildOverlay(f *testing.F) {
	fixture := "../../testdata/repos/kustomize-patches/apps/web/overlays/"
	for _, seed := range [][2]string{
		{"dev/kustomization.yaml", "dev/web-image.yaml"},
		{"staging/kustomization.yaml", "staging/proxy-json6902.yaml"},
		{"prod/kustomization.yaml", "prod/web-image.json"},
	} {
		k, err1 := os.ReadFile(fixture + seed[0])
		p, err2 := os.ReadFile(fixture + seed[1])
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		f.Add(k, p)
	}
	base := loadTreeDir(f, "../../testdata/repos/kustomize-patches")
	f.Fuzz(func(t *testing.T, kustomization, patch []byte) {
		files := map[string][]byte{}
		for p, data := range base.Files() {
			files[p] = data
		}
		dir := "apps/web/overlays/fuzz/"
		files[dir+"kustomization.yaml"] = kustomization
		for _, name := range []string{"web-image.yaml", "proxy-json6902.yaml", "web-image.json", "cache-values.yaml"} {
			files[dir+name] = patch
		}
		tree := repotree.NewTree("fuzz", files)
		images, _ := Build(tree, dir)
		for _, img := range images {
			loc := img.Location
			data, ok := tree.Read(loc.File)
			if !ok {
				t.Fatalf("%+v: location file is not in the tree", img)
			}
			if lines := bytes.Count(data, []byte("\n")) + 1; loc.Line < 0 || loc.Line > lines {
				t.Fatalf("%+v: line %d outside %s (%d lines)", img, loc.Line, loc.File, lines)
			}
		}
	})
}

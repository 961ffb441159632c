package kustomize

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Overlays built ahead on several goroutines give what building them one
// by one gives, and Build then answers from the results.
func TestPrebuildOverlaysMatchesSerialBuilds(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one CPU: Prebuild leaves the builds to Build")
	}
	tree, dirs := generatedKustomizeTree(8)
	patches := loadTreeDir(t, "../../testdata/repos/kustomize-patches")
	for name := range patches.Files() {
		tree.Files()["shop/"+name] = patches.Files()[name]
	}
	tree = repotree.NewTree("", tree.Files())
	for _, env := range []string{"dev", "staging", "prod", "remote", "broken"} {
		dirs = append(dirs, "shop/apps/web/overlays/"+env)
	}

	ForgetBuilds()
	want := map[string]buildResult{}
	for _, dir := range dirs {
		images, problems := Build(tree, dir)
		want[dir] = buildResult{Images: images, Problems: problems}
	}

	ForgetBuilds()
	Prebuild(tree, dirs)
	if len(buildResults) != len(dirs) {
		t.Fatalf("prebuilt %d overlays, want %d", len(buildResults), len(dirs))
	}
	for _, dir := range dirs {
		images, problems := Build(tree, dir)
		if got := (buildResult{Images: images, Problems: problems}); !reflect.DeepEqual(got, want[dir]) {
			t.Errorf("%s prebuilt:\n%+v\nbuilt alone:\n%+v", dir, got, want[dir])
		}
	}
}

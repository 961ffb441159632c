package kustomize

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// wantImage is what a test expects of one Image.
type wantImage struct {
	name, ref, workload string
	kind                model.FieldKind
	file                string
	line                int
	inherited           string
}

func checkImages(t *testing.T, dir string, got []Image, want []wantImage) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d images, want %d: %+v", dir, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		gotImage := wantImage{name: g.Name, ref: g.Ref.String(), workload: g.Workload, kind: g.Location.Kind,
			file: g.Location.File, line: g.Location.Line, inherited: g.Inherited}
		if gotImage != w {
			t.Errorf("%s image %d:\n got  %+v\n want %+v", dir, i, gotImage, w)
		}
	}
}

const (
	searchBase   = "apps/search/base/deployment.yaml"
	searchCron   = "apps/search/base/cronjob.yaml"
	stagingAPI   = "registry.example.org/shop/search-api@sha256:3f1c7e2a9b8d4c6e5f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
	addImages    = model.KindKustomizeAddImages
	imagesEntry  = model.KindKustomizeImages
	patchKind    = model.KindKustomizePatch
	overlaysRoot = "apps/search/overlays/"
)

func TestBuildOverlayImagesEntries(t *testing.T) {
	tree := loadTreeDir(t, "../../testdata/repos/kustomize-images")
	k := func(env string) string { return overlaysRoot + env + "/kustomization.yaml" }
	cases := map[string][]wantImage{
		overlaysRoot + "dev": {
			{"migrate", "registry.example.org/shop/search-migrate:1.0.0", "Deployment/dev-search-api", addImages, k("dev"), 0, searchBase},
			{"api", "registry.example.org/shop/search-api:1.2.0", "Deployment/dev-search-api", imagesEntry, k("dev"), 7, ""},
			{"reindex", "registry.example.org/shop/search-api:1.2.0", "CronJob/dev-search-reindex", imagesEntry, k("dev"), 7, ""},
		},
		overlaysRoot + "staging": {
			{"migrate", "registry.example.org/shop/search-migrate:1.1.0", "Deployment/search-api-staging", imagesEntry, k("staging"), 7, ""},
			{"api", stagingAPI, "Deployment/search-api-staging", imagesEntry, k("staging"), 9, ""},
			{"reindex", stagingAPI, "CronJob/search-reindex-staging", imagesEntry, k("staging"), 9, ""},
		},
		overlaysRoot + "prod": {
			{"migrate", "registry.example.org/shop/search-migrate:1.0.0", "Deployment/search-api", addImages, k("prod"), 0, searchBase},
			{"api", "mirror.example.org/shop/search-api:1.1.0", "Deployment/search-api", imagesEntry, k("prod"), 8, ""},
			{"reindex", "mirror.example.org/shop/search-api:1.1.0", "CronJob/search-reindex", imagesEntry, k("prod"), 8, ""},
		},
		overlaysRoot + "qa": {
			{"migrate", "registry.example.org/shop/search-migrate:1.0.0", "Deployment/search-api", addImages, k("qa"), 0, searchBase},
			{"api", "registry.example.org/shop/search-api:1.0.0", "Deployment/search-api", addImages, k("qa"), 0, searchBase},
			{"reindex", "registry.example.org/shop/search-api:1.0.0", "CronJob/search-reindex", addImages, k("qa"), 0, searchCron},
		},
		// The base's own images: entry is where the inherited value is set.
		"apps/cart/overlays/prod": {
			{"cart", "ghcr.io/shop/cart:3.0.0", "Deployment/cart", addImages, "apps/cart/overlays/prod/kustomization.yaml", 0, "apps/cart/base/kustomization.yaml"},
		},
	}
	for dir, want := range cases {
		got, problems := Build(tree, dir)
		if len(problems) > 0 {
			t.Errorf("%s: unexpected problems %v", dir, problems)
		}
		checkImages(t, dir, got, want)
	}
}

func TestBuildOverlayImagesEntryFields(t *testing.T) {
	tree := loadTreeDir(t, "../../testdata/repos/kustomize-images")
	got, _ := Build(tree, overlaysRoot+"prod")
	api := got[1].Location
	want := map[string]model.Position{"name": {Line: 8, Column: 11}, "newName": {Line: 9, Column: 14}, "newTag": {Line: 10, Column: 13}}
	if !reflect.DeepEqual(api.Fields, want) || api.Path != "images[0]" || api.Column != 5 {
		t.Errorf("prod api location = %+v, want images[0] at column 5 with fields %v", api, want)
	}
	if api.Setter != `{"$imagepolicy": "flux-system:search-api:tag"}` {
		t.Errorf("prod api setter = %q", api.Setter)
	}
	if got[1].AppLabel != "search" || got[2].AppLabel != "" {
		t.Errorf("app labels = %q, %q; want search and none", got[1].AppLabel, got[2].AppLabel)
	}
	staging, _ := Build(tree, overlaysRoot+"staging")
	if f := staging[1].Location.Fields; f["digest"] != (model.Position{Line: 10, Column: 13}) || len(f) != 2 {
		t.Errorf("staging api fields = %v, want name and digest (10:13)", f)
	}
}

func TestBuildOverlayPatches(t *testing.T) {
	tree := loadTreeDir(t, "../../testdata/repos/kustomize-patches")
	const (
		web     = "apps/web/overlays/"
		base    = "apps/web/base/deployment.yaml"
		release = "apps/web/base/helmrelease.yaml"
	)
	k := func(env string) string { return web + env + "/kustomization.yaml" }
	cases := map[string][]wantImage{
		web + "dev": {
			{"web", "ghcr.io/shop/web:1.1.0", "Deployment/dev-web", patchKind, web + "dev/web-image.yaml", 10, ""},
			{"proxy", "ghcr.io/shop/proxy:2.0.0", "Deployment/dev-web", addImages, k("dev"), 0, base},
			{"", "ghcr.io/shop/cache:5.1.0", "HelmRelease/dev-web-cache", patchKind, web + "dev/cache-values.yaml", 8, ""},
			{"exporter", "ghcr.io/shop/cache-exporter:0.3.0", "HelmRelease/dev-web-cache", patchKind, k("dev"), 0, release},
		},
		web + "staging": {
			// inline patch: lines of the kustomization itself
			{"web", "ghcr.io/shop/web:1.2.0-rc.1", "Deployment/web", patchKind, k("staging"), 19, ""},
			{"proxy", "ghcr.io/shop/proxy:2.2.0", "Deployment/web", patchKind, web + "staging/proxy-json6902.yaml", 3, ""},
			{"", "ghcr.io/shop/cache:5.0.0", "HelmRelease/web-cache", patchKind, k("staging"), 0, release},
			{"exporter", "ghcr.io/shop/cache-exporter:0.3.0", "HelmRelease/web-cache", patchKind, k("staging"), 0, release},
		},
		web + "prod": {
			// the shared patch (outside the overlay) reorders the containers
			{"proxy", "ghcr.io/shop/proxy:2.1.0", "Deployment/prod-web", addImages, k("prod"), 0, "apps/web/patches/proxy-image.yaml"},
			{"web", "ghcr.io/shop/web:1.0.3", "Deployment/prod-web", patchKind, web + "prod/web-image.json", 2, ""},
			{"exporter", "ghcr.io/shop/cache-exporter:0.3.0", "HelmRelease/prod-web-cache", patchKind, k("prod"), 0, release},
			{"", "ghcr.io/shop/cache:5.0.1", "HelmRelease/prod-web-cache", patchKind, k("prod"), 13, ""},
		},
	}
	for dir, want := range cases {
		got, problems := Build(tree, dir)
		if len(problems) > 0 {
			t.Errorf("%s: unexpected problems %v", dir, problems)
		}
		checkImages(t, dir, got, want)
	}
}

func TestBuildOverlayPatchPositionsAndSetters(t *testing.T) {
	tree := loadTreeDir(t, "../../testdata/repos/kustomize-patches")
	at := func(dir string, i int) model.Location {
		got, _ := Build(tree, "apps/web/overlays/"+dir)
		return got[i].Location
	}
	cases := []struct {
		name   string
		loc    model.Location
		field  string
		pos    model.Position
		setter string
	}{
		{"strategic-merge file", at("dev", 0), "image", model.Position{Line: 10, Column: 18}, ""},
		{"values patch with marker", at("dev", 2), "tag", model.Position{Line: 8, Column: 12}, `{"$imagepolicy": "flux-system:cache-dev:tag"}`},
		{"inline block patch", at("staging", 0), "image", model.Position{Line: 19, Column: 24}, ""},
		{"JSON 6902 YAML file", at("staging", 1), "image", model.Position{Line: 3, Column: 10}, ""},
		// the base's marker: automation writes the value this overlay inherits
		{"inherited values", at("staging", 2), "", model.Position{}, `{"$imagepolicy": "flux-system:cache:tag"}`},
		{"JSON 6902 JSON file", at("prod", 1), "image", model.Position{Line: 2, Column: 80}, ""},
		{"inline one-line JSON 6902", at("prod", 3), "tag", model.Position{Line: 13, Column: 75}, ""},
	}
	for _, c := range cases {
		if c.field != "" && c.loc.Fields[c.field] != c.pos {
			t.Errorf("%s: field %s at %v, want %v (location %+v)", c.name, c.field, c.loc.Fields[c.field], c.pos, c.loc)
		}
		if c.loc.Setter != c.setter {
			t.Errorf("%s: setter %q, want %q", c.name, c.loc.Setter, c.setter)
		}
	}
}

func TestBuildOverlayProblems(t *testing.T) {
	tree := loadTreeDir(t, "../../testdata/repos/kustomize-patches")
	cases := []struct {
		dir, file string
		line      int
		message   string
	}{
		{"apps/web/overlays/remote", "apps/web/overlays/remote/kustomization.yaml", 5,
			"remote bases are not read: github.com/example/platform//monitoring?ref=v1.4.0"},
		{"apps/web/overlays/broken", "apps/web/overlays/broken/kustomization.yaml", 5,
			"kustomize build failed: resource service.yaml not found (apps/web/overlays/broken/service.yaml does not exist)"},
		{"apps/web", "apps/web", 0, "no kustomization.yaml in this directory"},
	}
	for _, c := range cases {
		images, problems := Build(tree, c.dir)
		want := []model.Problem{{Source: "git", File: c.file, Line: c.line, Message: c.message}}
		if len(images) != 0 || !reflect.DeepEqual(problems, want) {
			t.Errorf("%s: got %v images, problems %+v; want %+v", c.dir, images, problems, want)
		}
	}
}

func TestBuildOverlayInvalidImageReference(t *testing.T) {
	tree := repotree.NewTree("", map[string][]byte{
		"envs/dev/api/kustomization.yaml": []byte("resources:\n  - deploy.yaml\n"),
		"envs/dev/api/deploy.yaml": []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.org/Shop/API:1.0
        - name: ok
          image: registry.example.org/shop/ok:1.0
`),
	})
	images, problems := Build(tree, "envs/dev/api")
	if len(images) != 1 || images[0].Name != "ok" || images[0].Location.Kind != model.KindManifest ||
		images[0].Location.File != "envs/dev/api/deploy.yaml" || images[0].Location.Line != 12 {
		t.Errorf("images = %+v, want only container ok, a manifest field at deploy.yaml:12", images)
	}
	if len(problems) != 1 || problems[0].File != "envs/dev/api/deploy.yaml" || problems[0].Line != 10 ||
		!strings.Contains(problems[0].Message, "invalid image reference") {
		t.Errorf("problems = %+v, want an invalid reference at deploy.yaml:10", problems)
	}
}

// A new tree with the same files answers from the results cache; a changed
// base file is seen by every overlay that includes it.
func TestBuildOverlayCacheFollowsInputs(t *testing.T) {
	dir := "../../testdata/repos/kustomize-images"
	first, _ := Build(loadTreeDir(t, dir), overlaysRoot+"qa")
	again, _ := Build(loadTreeDir(t, dir), overlaysRoot+"qa")
	if !reflect.DeepEqual(first, again) {
		t.Errorf("same files, different results:\n%+v\n%+v", first, again)
	}
	changed := loadTreeDir(t, dir)
	base := changed.Files()[searchBase]
	changed.Files()[searchBase] = []byte(strings.Replace(string(base), "search-api:1.0.0", "search-api:1.0.1", 1))
	after, _ := Build(changed, overlaysRoot+"qa")
	if got := after[1].Ref.Tag; got != "1.0.1" {
		t.Errorf("after changing the base, qa api tag = %q, want 1.0.1", got)
	}
	prod, _ := Build(changed, overlaysRoot+"prod") // its own entry still wins
	if got := prod[1].Ref.Tag; got != "1.1.0" {
		t.Errorf("prod api tag = %q, want 1.1.0", got)
	}
}

// A component's images: entry is shared by every overlay including it, so
// the overlay gets an entry of its own; a manifest the overlay lists itself
// is edited in place, marker and all.
func TestBuildOverlayComponentsAndOwnManifests(t *testing.T) {
	tree := repotree.NewTree("", map[string][]byte{
		"base/kustomization.yaml": []byte("resources:\n  - deploy.yaml\n"),
		"base/deploy.yaml": []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: api\n          image: ghcr.io/x/api:1.0\n        - name: side\n          image: ghcr.io/x/side:1.0\n"),
		"components/side/kustomization.yaml": []byte("apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" +
			"images:\n  - name: ghcr.io/x/side\n    newTag: \"2.0\"\n"),
		"envs/prod/kustomization.yaml": []byte("resources:\n  - ../../base\ncomponents:\n  - ../../components/side\n"),
		"envs/dev/kustomization.yaml":  []byte("resources:\n  - ../../base\n  - seed.yaml\n  - release.yaml\n"),
		"envs/dev/release.yaml": []byte("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cache\nspec:\n" +
			"  values:\n    image:\n      repository: ghcr.io/x/cache\n      tag: \"7.0\"\n"),
		"envs/dev/seed.yaml": []byte("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: seed\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: seed\n          image: ghcr.io/x/seed:0.1 # {\"$imagepolicy\": \"ns:seed\"}\n"),
	})
	prod, _ := Build(tree, "envs/prod")
	checkImages(t, "envs/prod", prod, []wantImage{
		{"api", "ghcr.io/x/api:1.0", "Deployment/api", addImages, "envs/prod/kustomization.yaml", 0, "base/deploy.yaml"},
		{"side", "ghcr.io/x/side:2.0", "Deployment/api", addImages, "envs/prod/kustomization.yaml", 0, "components/side/kustomization.yaml"},
	})
	dev, _ := Build(tree, "envs/dev")
	checkImages(t, "envs/dev", dev, []wantImage{
		{"api", "ghcr.io/x/api:1.0", "Deployment/api", addImages, "envs/dev/kustomization.yaml", 0, "base/deploy.yaml"},
		{"side", "ghcr.io/x/side:1.0", "Deployment/api", addImages, "envs/dev/kustomization.yaml", 0, "base/deploy.yaml"},
		{"seed", "ghcr.io/x/seed:0.1", "Job/seed", model.KindManifest, "envs/dev/seed.yaml", 10, ""},
		{"", "ghcr.io/x/cache:7.0", "HelmRelease/cache", model.KindFluxHelmRelease, "envs/dev/release.yaml", 8, ""},
	})
	if f := dev[3].Location.Fields; f["tag"] != (model.Position{Line: 9, Column: 12}) || f["repository"] != (model.Position{Line: 8, Column: 19}) {
		t.Errorf("release fields = %v, want repository 8:19 and tag 9:12", f)
	}
	if loc := dev[2].Location; loc.Setter != `{"$imagepolicy": "ns:seed"}` || loc.Fields["image"] != (model.Position{Line: 10, Column: 18}) {
		t.Errorf("seed location = %+v, want the image field at 10:18 with its marker", loc)
	}
}

// Results saved by one run answer the next without building: no in-memory
// filesystem is made for the new tree.
func TestBuildCacheRoundTrip(t *testing.T) {
	dir := "../../testdata/repos/kustomize-patches"
	ForgetBuilds()
	want, _ := Build(loadTreeDir(t, dir), "apps/web/overlays/dev")
	var saved bytes.Buffer
	if err := WriteCache(&saved); err != nil {
		t.Fatal(err)
	}
	ForgetBuilds()
	if err := ReadCache(&saved); err != nil {
		t.Fatal(err)
	}
	tree := loadTreeDir(t, dir)
	got, _ := Build(tree, "apps/web/overlays/dev")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("from the saved cache:\n%+v\nwant\n%+v", got, want)
	}
	if lastCache.tree != tree || lastCache.fs != nil {
		t.Errorf("the overlay was built again instead of read from the cache")
	}
	if err := ReadCache(strings.NewReader("not a cache")); err == nil {
		t.Errorf("reading garbage: no error")
	}
}

// Build errors name the kustomization line they come from and say why in
// plain words where krusty's wording is obscure.
func TestBuildOverlayBuildErrors(t *testing.T) {
	tree := repotree.NewTree("", map[string][]byte{
		"base/kustomization.yaml": []byte("resources:\n  - deploy.yaml\n"),
		"base/deploy.yaml": []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: api\n          image: ghcr.io/x/api:1.0\n"),
		"helm/kustomization.yaml":    []byte("helmCharts:\n  - name: redis\n    repo: https://charts.example.org\n"),
		"badyaml/kustomization.yaml": []byte("resources:\n  - ../base\npatches: [\n"),
		"badres/kustomization.yaml":  []byte("resources:\n  - ../base\n  - bad.yaml\n"),
		"badres/bad.yaml":            []byte("kind: Deployment\nmetadata: {name: x\n"),
		"nopatch/kustomization.yaml": []byte("resources:\n  - ../base\npatches:\n  - path: missing.yaml\n"),
		"cycle/kustomization.yaml":   []byte("resources:\n  - ../cycle2\n"),
		"cycle2/kustomization.yaml":  []byte("resources:\n  - ../cycle\n"),
		"remotepatch/kustomization.yaml": []byte("resources:\n  - ../base\npatches:\n  - path: https://example.org/patch.yaml\n" +
			"configMapGenerator:\n  - name: c\n    files:\n      - conf=https://example.org/c.conf\n"),
	})
	cases := []struct {
		dir     string
		line    int
		message string
	}{
		{"helm", 1, "helmCharts need helm to inflate, which ferry does not run"},
		{"badyaml", 3, "not valid YAML"},
		{"badres", 3, "bad.yaml"},
		{"nopatch", 4, "'nopatch/missing.yaml' doesn't exist"},
		{"cycle", 2, "cycle detected"},
		{"remotepatch", 4, "remote files are not read: https://example.org/patch.yaml"},
	}
	for _, c := range cases {
		images, problems := Build(tree, c.dir)
		if c.dir == "remotepatch" && len(problems) == 2 && problems[1].Line == 8 {
			problems = problems[:1] // the generator file is the second
		}
		if len(images) != 0 || len(problems) != 1 {
			t.Errorf("%s: got %d images and problems %v, want one problem", c.dir, len(images), problems)
			continue
		}
		p := problems[0]
		if p.File != c.dir+"/kustomization.yaml" || p.Line != c.line || !strings.Contains(p.Message, c.message) {
			t.Errorf("%s: problem %s, want line %d saying %q", c.dir, p.Error(), c.line, c.message)
		}
	}
}

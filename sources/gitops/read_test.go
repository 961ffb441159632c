package gitops

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

func TestFerryConfigNamesEnvironmentsAppsAndImages(t *testing.T) {
	res := Read(readFixture(t, "ferry-config"))
	checkCells(t, res.Declared, []cell{
		{"search", "dev", "api", "ghcr.io/shop/search-api:1.3.0", "deploy/search/dev/values.yaml", 3, helmValues},
		{"search", "staging", "api", "ghcr.io/shop/search-api:1.2.0", "deploy/search/staging/values.yaml", 3, helmValues},
		{"search", "prod-eu", "api", "ghcr.io/shop/search-api:1.1.0", "deploy/search/eu/values.yaml", 3, helmValues},
		{"search", "prod-us", "api", "ghcr.io/shop/search-api:1.1.0", "deploy/search/us/values.yaml", 3, helmValues},
		// "metrics" is left out: ferry.yaml follows only the api image.
	})
	envs := res.Environments
	if !equal(envs.Names(), "dev", "staging", "prod-eu", "prod-us") {
		t.Fatalf("environments = %v", envs.Names())
	}
	for _, name := range []string{"prod-eu", "prod-us"} {
		e, _ := envs.Get(name)
		if !equal(e.Upstream, "staging") || !e.Protected {
			t.Errorf("%s: upstream %v protected %v", name, e.Upstream, e.Protected)
		}
	}
	// environments/qa is not in ferry.yaml: one problem naming the file.
	if len(res.Problems) != 1 || res.Problems[0].File != "environments/qa/search/values.yaml" ||
		!strings.Contains(res.Problems[0].Message, `"qa"`) {
		t.Errorf("problems:\n%s", problemsText(res.Problems))
	}
}

func TestBadInputDegradesOnlyItsCells(t *testing.T) {
	res := Read(readFixture(t, "bad-input"))
	checkCells(t, res.Declared, []cell{
		{"cart", "prod", "cart", "ghcr.io/shop/cart:2.0.0", "environments/prod/cart/values.yaml", 3, helmValues},
		{"web", "prod", "proxy", "nginx:1.27", "envs/prod/web.yaml", 12, model.KindManifest},
	})
	want := []struct {
		app, env, file string
		line           int
		says           string
	}{
		{"search", "dev", "environments/dev/search/values.yaml", 2, "not valid YAML"},
		{"search", "prod", "environments/prod/search/values.yaml", 3, `"ghcr.io/shop/search:v1 beta"`},
		{"web", "prod", "envs/prod/web.yaml", 10, `container "web"`},
	}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems:\n%s", problemsText(res.Problems))
	}
	for i, w := range want {
		p := res.Problems[i]
		if p.App != w.app || p.Env != w.env || p.File != w.file || p.Line != w.line || !strings.Contains(p.Message, w.says) {
			t.Errorf("problem %d = [%s/%s] %s, want %s/%s %s:%d %q", i, p.App, p.Env, p.Problem.Error(), w.app, w.env, w.file, w.line, w.says)
		}
	}
	// The broken cells' app and environment still show.
	if !equal(res.Apps, "cart", "search", "web") || !equal(res.Environments.Names(), "dev", "prod") {
		t.Errorf("apps %v environments %v", res.Apps, res.Environments.Names())
	}
}

func TestBrokenFerryYAMLIsAProblemAndDiscoveryGoesOn(t *testing.T) {
	tree := readFixture(t, "helm-values-env")
	files := map[string][]byte{model.ConfigFile: []byte("environments:\n  - name: dev\n    colour: blue\n")}
	for _, p := range tree.Paths() {
		data, _ := tree.Read(p)
		files[p] = data
	}
	res := Read(repotree.NewTree("", files))
	if len(res.Problems) != 3 || res.Problems[0].File != model.ConfigFile || res.Problems[0].Line != 3 ||
		!strings.Contains(res.Problems[0].Message, `unknown key "colour"`) {
		t.Fatalf("problems:\n%s", problemsText(res.Problems))
	}
	// ferry.yaml names only dev: values-staging/prod are reported, dev is read.
	if len(res.Declared) != 2 || res.Declared[0].Env != "dev" || res.Declared[1].Env != "dev" {
		t.Errorf("declared %v", res.Declared)
	}
}

func TestEnvironmentFromPath(t *testing.T) {
	l := layout{}
	for _, tc := range []struct{ path, env, app string }{
		{"environments/dev/search/values.yaml", "dev", "search"},
		{"apps/search/overlays/prod-eu/kustomization.yaml", "prod-eu", "search"},
		{"overlays/staging/kustomization.yaml", "staging", ""},
		{"charts/search/values-qa.yaml", "qa", "search"},
		{"clusters/production/apps/billing/release.yaml", "production", "billing"},
		{"deploy/cart/uat/deployment.yaml", "uat", "cart"},
		{"apps/search/base/kustomization.yaml", "", ""},
		{"charts/search/values.yaml", "", ""},
		{"docs/index.yaml", "", ""},
		{"charts/search/values-common.yaml", "", ""},
	} {
		env, unknown := l.envFromPath(tc.path)
		if unknown != "" {
			t.Errorf("%s: %q reported unknown without ferry.yaml", tc.path, unknown)
		}
		app := ""
		if env != "" {
			app = l.appFromPath(tc.path, env)
		}
		if env != tc.env || app != tc.app {
			t.Errorf("%s: env %q app %q, want %q %q", tc.path, env, app, tc.env, tc.app)
		}
	}
}

func TestEnvironmentFromName(t *testing.T) {
	l := layout{}
	for name, want := range map[string]string{
		"search-prod": "prod", "prod-search": "prod", "search-prod-eu": "prod-eu",
		"prod-eu": "prod-eu", "staging": "staging", "search": "", "web-dev": "dev", "prod-us1": "prod-us1",
	} {
		if got := l.envFromName(name); got != want {
			t.Errorf("envFromName(%q) = %q, want %q", name, got, want)
		}
	}
	if got := (layout{}).appFromName("search-prod-eu", "prod-eu"); got != "search" {
		t.Errorf("appFromName = %q", got)
	}
}

func TestFindOverlays(t *testing.T) {
	files := map[string][]byte{}
	for _, p := range []string{
		"apps/search/base/kustomization.yaml",
		"apps/search/components/tracing/kustomization.yaml",
		"apps/search/overlays/dev/kustomization.yaml",
		"clusters/prod/kustomization.yaml",
		"clusters/prod/search/kustomization.yaml",
		"clusters/staging/search/kustomization.yaml",
		"tools/kustomization.yaml",
	} {
		files[p] = []byte("resources: []\n")
	}
	files["clusters/prod/kustomization.yaml"] = []byte("resources:\n  - search\n")
	tree := repotree.NewTree("", files)
	var got []string
	for _, o := range findOverlays(tree, kustomizeDirs(tree), layout{}, nil) {
		got = append(got, o.Env+":"+o.Dir)
	}
	// clusters/prod/search is included by clusters/prod: only the outer one is built.
	if !equal(got, "dev:apps/search/overlays/dev", "prod:clusters/prod", "staging:clusters/staging/search") {
		t.Errorf("overlays = %v", got)
	}
}

func TestMatchConfigPath(t *testing.T) {
	paths := []configPath{
		{"search", "prod", "overlays/prod"}, {"cart", "prod", "overlays/prod"},
		{"search", "dev", "deploy/search/dev"}, {"web", "dev", "deploy/search/dev/web.yaml"},
	}
	for _, tc := range []struct {
		path string
		want placement
		ok   bool
	}{
		// One overlay deploying several configured apps: the environment
		// is known, the apps come from the workloads.
		{"overlays/prod/", placement{Env: "prod", Configured: true}, true},
		{"deploy/search/dev/values.yaml", placement{App: "search", Env: "dev", Configured: true}, true},
		{"deploy/search/dev/web.yaml", placement{App: "web", Env: "dev", Configured: true}, true}, // longest wins
		{"deploy/search/devel/values.yaml", placement{}, false},
	} {
		got, ok := matchConfigPath(paths, tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %+v %v, want %+v %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCommonDir(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{[]string{"envs/prod/a.yaml", "envs/prod/b.yaml"}, "envs/prod"},
		{[]string{"envs/prod/a/x.yaml", "envs/prod/b.yaml"}, "envs/prod"},
		{[]string{"envs/prod/a.yaml", "charts/x/values.yaml"}, ""},
	} {
		if got := commonDir(tc.paths); got != tc.want {
			t.Errorf("commonDir(%v) = %q, want %q", tc.paths, got, tc.want)
		}
	}
}

func TestFerryConfigPathsNameOverlaysOutsideTheLayout(t *testing.T) {
	tree := readFixture(t, "kustomize-images")
	files := map[string][]byte{model.ConfigFile: []byte(`environments:
  - name: live
apps:
  - name: shop-search
    paths:
      live: apps/search/overlays/prod/kustomization.yaml
`)}
	for _, p := range tree.Paths() {
		data, _ := tree.Read(p)
		files[p] = data
	}
	res := Read(repotree.NewTree("", files))
	if len(res.Declared) == 0 {
		t.Fatalf("nothing declared; problems:\n%s", problemsText(res.Problems))
	}
	for _, d := range res.Declared {
		if d.App != "shop-search" || d.Env != "live" {
			t.Errorf("declared %s/%s %s, want only shop-search/live", d.App, d.Env, d.Name)
		}
	}
	if !equal(res.Environments.Names(), "live") {
		t.Errorf("environments %v", res.Environments.Names())
	}
}

package gitops

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

const manifest = model.KindManifest

// Inside an environment folder every child is an environment, whatever its
// name; an app folder is never one, even when its name starts with a stage
// word.
func TestEnvironmentsWhateverTheirNames(t *testing.T) {
	res := Read(readFixture(t, "env-any-name"))
	checkCells(t, res.Declared, []cell{
		{"web", "ab-test-a", "web", "ghcr.io/shop/web:2.0.0-a", "env/ab-test-a/web/deployment.yaml", 10, manifest},
		{"web", "ab-test-b", "web", "ghcr.io/shop/web:2.0.0-b", "env/ab-test-b/web/deployment.yaml", 10, manifest},
		{"web", "prod", "web", "ghcr.io/shop/web:1.9.0", "env/prod/web/deployment.yaml", 10, manifest},
		{"trainer", "load-gpu", "trainer", "ghcr.io/shop/trainer:0.4.0", "envs/load-gpu/trainer.yaml", 10, manifest},
		{"api", "produsw1", "api", "ghcr.io/shop/api:1.2.0", "app/overlays/produsw1/kustomization.yaml", 4, model.KindKustomizeImages},
		{"api", "dev", "api", "ghcr.io/shop/api:1.3.0", "app/overlays/dev/kustomization.yaml", 4, model.KindKustomizeImages},
		{"canary-app-automatic", "dev", "rollout", "ghcr.io/shop/rollout-bot:0.2.0",
			"apps/canary-app-automatic/overlays/dev/kustomization.yaml", 4, model.KindKustomizeImages},
	})
	// produsw1 ranks as a prod; names without a stage word come last, by name.
	if got := envSummary(res.Environments); got != "dev<[] prod<[dev] produsw1<[dev] ab-test-a<[] ab-test-b<[] load-gpu<[] " {
		t.Errorf("environments = %s", got)
	}
	if !equal(res.Apps, "api", "canary-app-automatic", "trainer", "web") {
		t.Errorf("apps = %v", res.Apps)
	}
	// The folder at the root names no environment: not placed, and said so.
	report := fileReport(res, "canary-app-automatic/deployment.yaml")
	if report.Placed() || len(report.Reasons) != 1 || !strings.Contains(report.Reasons[0], "no environment") {
		t.Errorf("root folder report = %+v", report)
	}
}

// One environment known under two names is one column: the folder's name
// wins over the one an Application's name gives, and the app name loses
// the alias too ("demo-prod" is demo in production).
func TestAliasesAreOneEnvironment(t *testing.T) {
	res := Read(readFixture(t, "env-aliases"))
	checkCells(t, res.Declared, []cell{
		{"web", "production", "web", "ghcr.io/shop/web:1.4.0", "envs/production/web.yaml", 10, manifest},
		{"web", "staging", "web", "ghcr.io/shop/web:1.5.0", "envs/staging/web.yaml", 10, manifest},
		{"demo", "production", "demo", "ghcr.io/shop/demo:3.1.0", "argocd/demo-prod.yaml", 17, model.KindArgoHelmParameter},
		{"demo", "staging", "demo", "ghcr.io/shop/demo:3.2.0", "argocd/demo-stg.yaml", 15, model.KindArgoHelmParameter},
	})
	if got := envSummary(res.Environments); got != "staging<[] production<[staging] " {
		t.Errorf("environments = %s", got)
	}
	prod, _ := res.Environments.Get("production")
	if !equal(prod.Aliases, "prod") {
		t.Errorf("production aliases = %v", prod.Aliases)
	}
}

// ferry.yaml's aliases name the environment a folder or resource stands for.
func TestFerryYAMLAliases(t *testing.T) {
	tree := readFixture(t, "env-aliases")
	files := map[string][]byte{model.ConfigFile: []byte(`environments:
  - name: stage
    aliases: [staging, stg]
  - name: live
    aliases: [production, prod]
`)}
	for _, p := range tree.Paths() {
		data, _ := tree.Read(p)
		files[p] = data
	}
	res := Read(repotree.NewTree("", files))
	got := map[string]bool{}
	for _, d := range res.Declared {
		got[d.App+"/"+d.Env] = true
	}
	for _, want := range []string{"web/stage", "web/live", "demo/stage", "demo/live"} {
		if !got[want] {
			t.Errorf("no %s in %v; problems:\n%s", want, got, problemsText(res.Problems))
		}
	}
	if len(got) != 4 || len(res.Problems) > 0 {
		t.Errorf("declared %v problems:\n%s", got, problemsText(res.Problems))
	}
}

func TestAliasClashIsAProblem(t *testing.T) {
	_, problems := model.ParseConfig([]byte("environments:\n  - name: prod\n  - name: live\n    aliases: [prod]\n"))
	if len(problems) != 1 || problems[0].Line != 3 || !strings.Contains(problems[0].Message, `alias "prod"`) {
		t.Errorf("problems = %v", problems)
	}
}

// Kargo Stages order environments their names alone cannot.
func TestKargoStagesOrderEnvironments(t *testing.T) {
	res := Read(readFixture(t, "kargo-stages"))
	checkCells(t, res.Declared, []cell{
		{"web", "green", "web", "ghcr.io/shop/web:1.4.0-green", "env/green/web.yaml", 10, manifest},
		{"web", "blue", "web", "ghcr.io/shop/web:1.4.0-blue", "env/blue/web.yaml", 10, manifest},
		{"web", "gold", "web", "ghcr.io/shop/web:1.4.0-gold", "env/gold/web.yaml", 10, manifest},
	})
	if got := envSummary(res.Environments); got != "green<[] blue<[green] gold<[blue] " {
		t.Errorf("environments = %s", got)
	}
	report := fileReport(res, "kargo/stages.yaml")
	if report.Kind != "kargo-stage" || !report.Placed() || len(report.Uses) != 3 {
		t.Errorf("stages report = %+v", report)
	}
}

func TestStripEnvKnowsAliases(t *testing.T) {
	for _, tc := range []struct{ name, env, want string }{
		{"demo-prod", "production", "demo"},
		{"prod-demo", "production", "demo"},
		{"search-prod-eu", "prod-eu", "search"},
		{"search_production_eu", "prod-eu", "search"},
		{"search", "prod", "search"},
		{"product", "prod", "product"},
	} {
		if got := (layout{}).stripEnv(tc.name, tc.env); got != tc.want {
			t.Errorf("stripEnv(%q, %q) = %q, want %q", tc.name, tc.env, got, tc.want)
		}
	}
}

func fileReport(res *Result, p string) FileReport {
	for _, f := range res.Files() {
		if f.Path == p {
			return f
		}
	}
	return FileReport{}
}

package gitops

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestReadArgoCDApplications(t *testing.T) {
	res := Read(readFixture(t, "argocd"))
	checkCells(t, res.Declared, []cell{
		// kustomize.images over the built overlay: wins over the overlay's own images: entry.
		{"cart", "prod", "cart", "ghcr.io/shop/cart:1.2.0", "argocd/cart-prod.yaml", 13, model.KindArgoKustomizeImages},
		// A write-back file with no Application in this repo.
		{"cart", "staging", "cart", "ghcr.io/shop/cart:1.5.0", "apps/cart/overlays/staging/.argocd-source-cart-staging.yaml", 3, model.KindArgoSourceFile},
		// helm.parameters image.tag over the chart's repository.
		{"search", "dev", "search", "ghcr.io/shop/search:1.3.0", "argocd/search-dev.yaml", 14, model.KindArgoHelmParameter},
		// valueFiles: the environment's own values file is where a promotion writes.
		{"search", "staging", "search", "ghcr.io/shop/search:1.2.5", "charts/search/values-staging.yaml", 2, model.KindHelmValues},
		// helm.values, a YAML string: the position is inside the block.
		{"search", "uat", "search", "ghcr.io/shop/search:1.2.9", "argocd/search-uat.yaml", 13, model.KindArgoHelmValues},
		// spec.sources[].helm.valuesObject; environment from the name's prefix.
		{"search", "prod", "search", "ghcr.io/shop/search:1.2.0", "argocd/search-prod.yaml", 12, model.KindArgoHelmValues},
		// ApplicationSet list elements: the tag is written in the element.
		{"web", "dev", "frontend", "ghcr.io/shop/web:2.0.0", "argocd/web-appset.yaml", 10, model.KindArgoHelmParameter},
		{"web", "prod", "frontend", "ghcr.io/shop/web:1.9.0", "argocd/web-appset.yaml", 12, model.KindArgoHelmParameter},
		// A matrix of two list generators: one Application per combination.
		{"mailer", "prod-eu", "mailer", "ghcr.io/shop/mailer:3.1.0", "argocd/web-appset.yaml", 69, model.KindArgoHelmParameter},
		{"mailer", "prod-us", "mailer", "ghcr.io/shop/mailer:3.1.0", "argocd/web-appset.yaml", 69, model.KindArgoHelmParameter},
		// goTemplate placeholders inside a kustomize.images string.
		{"worker", "staging", "worker", "ghcr.io/shop/worker:0.7", "argocd/web-appset.yaml", 50, model.KindArgoKustomizeImages},
	})
	if got := res.Environments.Names(); !equal(got, "dev", "uat", "staging", "prod", "prod-eu", "prod-us") {
		t.Errorf("environments = %v", got)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems: %s", problemsText(res.Problems))
	}
	for _, d := range res.Declared {
		if d.App == "web" && d.Env == "dev" {
			want := map[string]model.Position{"repository": {Line: 24, Column: 22}, "tag": {Line: 10, Column: 18}}
			if !equalFields(d.Location.Fields, want) {
				t.Errorf("web/dev fields %v", d.Location.Fields)
			}
		}
		if d.App == "search" && d.Env == "uat" && d.Location.Fields["tag"] != (model.Position{Line: 13, Column: 16}) {
			t.Errorf("search/uat tag at %v, want 13:16 in the values block", d.Location.Fields)
		}
		if d.App == "cart" && d.Workload != "Deployment/cart" {
			t.Errorf("cart/%s workload %q", d.Env, d.Workload)
		}
	}
}

func TestSplitParameter(t *testing.T) {
	for _, tc := range []struct{ name, path, part string }{
		{"image.tag", "image", "tag"},
		{"frontend.image.repository", "frontend.image", "repository"},
		{"image", "image", "whole"},
		{"api.image", "api.image", "whole"},
		{"image.pullPolicy", "", ""},
		{"replicaCount", "", ""},
	} {
		path, part, ok := splitParameter(tc.name)
		if path != tc.path || part != tc.part || ok != (tc.part != "") {
			t.Errorf("splitParameter(%q) = %q %q %v", tc.name, path, part, ok)
		}
	}
}

// ApplicationSets are expanded where the repo alone can expand them: git
// directories and files over this repo, merge; a clusters generator is
// said on the row it would make.
func TestApplicationSetGenerators(t *testing.T) {
	const param, gen = model.KindArgoHelmParameter, model.KindArgoGeneratorFile
	res := Read(readFixture(t, "appset-git"))
	checkCells(t, res.Declared, []cell{
		{"shop", "dev", "shop", "ghcr.io/acme/shop:1.3.0", "envs/dev/values.yaml", 2, helmValues},
		{"shop", "blue", "shop", "ghcr.io/acme/shop:1.2.0", "envs/blue/values.yaml", 2, helmValues},
		{"shop", "prod", "shop", "ghcr.io/acme/shop:1.1.0", "envs/prod/values.yaml", 2, helmValues},
		// Files generator: the value's place is the config file.
		{"search", "staging", "shop", "ghcr.io/acme/search:4.0.1", "config/apps/search/config.json", 1, gen},
		{"cart", "staging", "shop", "ghcr.io/acme/cart:2.2.0", "config/apps/cart/config.yaml", 4, gen},
		{"mailer", "dev", "shop", "ghcr.io/acme/mailer:0.9.0", "argocd/merge-set.yaml", 13, param},
		{"mailer", "prod", "shop", "ghcr.io/acme/mailer:0.8.1", "argocd/merge-set.yaml", 17, param},
	})
	// Rolling-sync steps order environments no stage word names.
	if got := envSummary(res.Environments); got != "dev<[] staging<[dev] blue<[dev] prod<[blue] " {
		t.Errorf("environments = %s", got)
	}
	var fleet []model.CellProblem
	for _, p := range res.Problems {
		if p.File == "argocd/fleet-set.yaml" {
			fleet = append(fleet, p)
		}
	}
	if len(fleet) != 1 || fleet[0].App != "agent" || fleet[0].Env != "" ||
		!strings.Contains(fleet[0].Message, "cannot be expanded from the repo alone") {
		t.Errorf("fleet problems %v; all:\n%s", fleet, problemsText(res.Problems))
	}
	for _, d := range res.Declared {
		if d.App == "search" && d.Location.FieldPaths["tag"] != "image.tag" {
			t.Errorf("search field paths %v", d.Location.FieldPaths)
		}
	}
}

// An Application that Argo CD Image Updater follows marks the images it
// names: a promotion's review warns that the updater may undo it.
func TestImageUpdaterAnnotationMarksItsImages(t *testing.T) {
	files := map[string][]byte{
		"apps/search/base/kustomization.yaml": []byte("resources:\n  - deployment.yaml\n"),
		"apps/search/base/deployment.yaml": []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: api\n          image: ghcr.io/shop/search:1.0.0\n        - name: proxy\n          image: ghcr.io/shop/proxy:2.0.0\n"),
		"apps/search/overlays/dev/kustomization.yaml": []byte("resources:\n  - ../../base\n"),
		"argocd/search-dev.yaml": []byte("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: search-dev\n  annotations:\n" +
			"    argocd-image-updater.argoproj.io/image-list: \"api=ghcr.io/shop/search:~1.0, other=ghcr.io/shop/unrelated\"\n" +
			"spec:\n  source:\n    path: apps/search/overlays/dev\n  destination:\n    namespace: search-dev\n"),
	}
	res := Read(NewTree("0000000", files))
	got := map[string]string{}
	for _, d := range res.Declared {
		if d.App == "search" && d.Env == "dev" {
			got[d.Name] = d.Location.Updater
		}
	}
	if got["api"] != "api=ghcr.io/shop/search:~1.0" || got["proxy"] != "" || len(got) != 2 {
		t.Errorf("updaters = %q (declared %+v, problems %s)", got, res.Declared, problemsText(res.Problems))
	}
}

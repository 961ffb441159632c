package gitops

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

const helmValues = model.KindHelmValues

func TestReadHelmValuesPerEnvironmentFolder(t *testing.T) {
	res := Read(readFixture(t, "helm-env-dirs"))
	checkCells(t, res.Declared, []cell{
		{"shop", "dev", "frontend", "registry.example.org/shop/frontend:1.4.0", "environments/dev/shop/values.yaml", 3, helmValues},
		{"shop", "dev", "api", "registry.example.org/shop/api:2.1.0", "environments/dev/shop/values.yaml", 6, helmValues},
		{"shop", "staging", "frontend", "registry.example.org/shop/frontend:1.3.0", "environments/staging/shop/values.yaml", 4, helmValues},
		// staging does not mention api: it inherits the chart's default.
		{"shop", "staging", "api", "registry.example.org/shop/api:2.0.0", "environments/staging/shop/values.yaml", 0, helmValues},
		{"shop", "prod", "frontend", "mirror.example.org/shop/frontend:1.2.0@sha256:1111111111111111111111111111111111111111111111111111111111111111", "environments/prod/shop/values.yaml", 5, helmValues},
		{"shop", "prod", "api", "registry.example.org/shop/api:2.0.1", "environments/prod/shop/values.yaml", 9, helmValues},
		{"billing", "prod", "billing", "ghcr.io/shop/billing:v3.2.0", "environments/prod/billing/values.yaml", 3, helmValues},
	})
	if got := res.Environments.Names(); !equal(got, "dev", "staging", "prod") {
		t.Errorf("environments = %v", got)
	}
	if !equal(res.Apps, "billing", "shop") {
		t.Errorf("apps = %v", res.Apps)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems (chart templates must not be parsed): %s", problemsText(res.Problems))
	}
	for _, d := range res.Declared {
		switch {
		case d.App == "shop" && d.Env == "staging" && d.Name == "api":
			if d.Inherited != "charts/shop/values.yaml" || len(d.Location.Fields) != 0 {
				t.Errorf("inherited api: Inherited=%q Fields=%v", d.Inherited, d.Location.Fields)
			}
		case d.App == "shop" && d.Env == "prod" && d.Name == "frontend":
			want := map[string]model.Position{"repository": {Line: 4, Column: 17}, "tag": {Line: 5, Column: 10}, "digest": {Line: 6, Column: 13}}
			if !equalFields(d.Location.Fields, want) || d.Location.Path != "frontend.image" || d.Inherited != "" {
				t.Errorf("prod frontend: Fields=%v Path=%q Inherited=%q", d.Location.Fields, d.Location.Path, d.Inherited)
			}
		case d.App == "shop" && d.Env == "dev" && d.Name == "frontend":
			// Only the tag is this file's; the repository comes from the chart.
			if !equalFields(d.Location.Fields, map[string]model.Position{"tag": {Line: 3, Column: 10}}) {
				t.Errorf("dev frontend: Fields=%v", d.Location.Fields)
			}
		}
	}
}

func TestReadValuesBesideChart(t *testing.T) {
	res := Read(readFixture(t, "helm-values-env"))
	checkCells(t, res.Declared, []cell{
		{"search", "dev", "search", "ghcr.io/shop/search:1.2.0", "charts/search/values-dev.yaml", 2, helmValues},
		{"search", "staging", "search", "ghcr.io/shop/search:1.1.0", "charts/search/values-staging.yaml", 1, helmValues},
		{"search", "prod", "search", "ghcr.io/shop/search:1.0.0", "charts/search/values-prod.yaml", 0, helmValues},
		{"cart", "dev", "cart", "ghcr.io/shop/cart:2.5.0", "charts/cart/values-dev.yaml", 2, helmValues},
		// tag "" in the chart: the chart's appVersion is what deploys.
		{"cart", "prod", "cart", "ghcr.io/shop/cart:2.4.0", "charts/cart/values-prod.yaml", 0, helmValues},
	})
	for _, d := range res.Declared {
		if d.App == "cart" && d.Env == "prod" && d.Inherited != "charts/cart/Chart.yaml" {
			t.Errorf("cart prod inherits from %q, want the chart's Chart.yaml", d.Inherited)
		}
		if d.App == "search" && d.Env == "prod" && d.Inherited != "charts/search/values.yaml" {
			t.Errorf("prod inherits from %q, want the chart's values.yaml", d.Inherited)
		}
		if d.Env == "staging" && d.Location.Fields["image"] != (model.Position{Line: 1, Column: 8}) {
			t.Errorf("staging whole reference at %v", d.Location.Fields)
		}
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems: %s", problemsText(res.Problems))
	}
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func equalFields(got, want map[string]model.Position) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

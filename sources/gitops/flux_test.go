package gitops

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestReadFluxHelmReleaseWithImagePolicyMarkers(t *testing.T) {
	const f = model.KindFluxHelmRelease
	res := Read(readFixture(t, "flux-helmrelease"))
	checkCells(t, res.Declared, []cell{
		{"search", "dev", "search", "ghcr.io/shop/search:1.3.0", "clusters/dev/search.yaml", 17, f},
		// Not set by the release: inherited from the chart in this repo.
		{"search", "dev", "worker", "ghcr.io/shop/search-worker:1.0.0", "clusters/dev/search.yaml", 0, f},
		{"search", "prod", "search", "ghcr.io/shop/search:1.2.0@sha256:3333333333333333333333333333333333333333333333333333333333333333", "clusters/prod/releases.yaml", 21, f},
		{"search", "prod", "worker", "ghcr.io/shop/search-worker:1.0.0@sha256:4444444444444444444444444444444444444444444444444444444444444444", "clusters/prod/releases.yaml", 24, f},
		{"payments", "prod", "payments", "ghcr.io/shop/payments:4.0.1", "clusters/prod/releases.yaml", 40, f},
	})
	setters := map[string]string{}
	for _, d := range res.Declared {
		setters[d.Env+"/"+d.Name] = d.Location.Setter
		if d.Env == "dev" && d.Name == "search" && d.Location.Path != "spec.values.image" {
			t.Errorf("path %q", d.Location.Path)
		}
		if d.Env == "dev" && d.Name == "worker" && d.Inherited != "charts/search/values.yaml" {
			t.Errorf("worker inherited from %q", d.Inherited)
		}
	}
	want := map[string]string{
		"dev/search":    `{"$imagepolicy": "flux-system:search:tag"}`,
		"prod/worker":   `{"$imagepolicy": "flux-system:worker:digest"}`,
		"dev/worker":    "",
		"prod/search":   "",
		"prod/payments": "",
	}
	for k, v := range want {
		if setters[k] != v {
			t.Errorf("setter of %s = %q, want %q", k, setters[k], v)
		}
	}
}

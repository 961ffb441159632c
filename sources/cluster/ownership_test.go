package cluster

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestControllerForPrefersEvidenceOverNames(t *testing.T) {
	app := func(name string, resources ...string) controller {
		c := controller{Namespace: "argocd", Facts: model.ControllerFacts{Kind: "Application", Name: name}, Resources: map[string]bool{}}
		for _, r := range resources {
			c.Resources[r] = true
		}
		return c
	}
	inv := &inventory{controllers: []controller{
		app("shop-prod"),
		app("platform", resourceKey("Deployment", "shop", "api")),
		app("tracked"),
		{Namespace: "flux-system", Facts: model.ControllerFacts{Kind: "HelmRelease", Name: "api"}},
	}}
	w := workload{Kind: "Deployment", Namespace: "shop", Name: "api"}
	target := Target{App: "shop", Env: "prod"}
	for _, tc := range []struct {
		name string
		w    workload
		want string
	}{
		{"tracking annotation", workload{Kind: w.Kind, Namespace: w.Namespace, Name: w.Name,
			Annotations: map[string]string{argoTrackingID: "tracked:apps/Deployment:shop/api"}}, "tracked"},
		{"listed among resources", w, "platform"},
		{"flux helm labels", workload{Kind: "Deployment", Namespace: "shop", Name: "other",
			Labels: map[string]string{fluxHelmKey: "api", fluxHelmNS: "flux-system"}}, "api"},
		{"name fallback", workload{Kind: "Deployment", Namespace: "shop", Name: "other"}, "shop-prod"},
	} {
		c := inv.controllerFor(target, []workload{tc.w})
		if c == nil || c.Facts.Name != tc.want {
			t.Errorf("%s: got %+v, want %s", tc.name, c, tc.want)
		}
	}
}

func TestAppliedAsksGitOnlyAboutCommits(t *testing.T) {
	asked := 0
	s := &Source{opts: Options{Applied: func(_, _, _ string) bool { asked++; return false }}}
	if s.applied("a", "e", model.ControllerFacts{Revision: "1.4.0", Synced: true}) != true {
		t.Error("a chart version should fall back to Synced")
	}
	if s.applied("a", "e", model.ControllerFacts{Revision: "0123456789abcdef0123456789abcdef01234567", Synced: true}) != false || asked != 1 {
		t.Error("a commit should be decided by Applied")
	}
}

package cluster_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

var (
	rolloutsGVR    = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
	applications   = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	kustomizations = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	helmReleases   = schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
)

func meta(apiVersion, kind, ns, name string, labels map[string]any) map[string]any {
	m := map[string]any{"name": name, "namespace": ns}
	if labels != nil {
		m["labels"] = labels
	}
	return map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": m, "spec": map[string]any{}}
}

// TestArgoApplicationPendingAndDrift installs an Argo CD Application that
// lists the Deployment among its resources. Pods run the old digest: the
// cell is pending while the controller has not applied Git's commit, and
// drift once it says it has and is synced.
func TestArgoApplicationPendingAndDrift(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	argoNS := a.namespace(a.ns + "-argocd")
	cs := []corev1.Container{container("web", "ghcr.io/shop/checkout:2.0.0")}
	a.deployment(a.ns, "checkout", nil, 1, 1, 1, cs...)
	a.pod(a.ns, "checkout-1", "checkout", cs, map[string]string{"web": "ghcr.io/shop/checkout@" + digestA})
	a.custom(applications, meta("argoproj.io/v1alpha1", "Application", argoNS, "checkout-prod", nil), map[string]any{
		"sync":   map[string]any{"status": "Synced", "revision": "1111111111111111111111111111111111111111"},
		"health": map[string]any{"status": "Healthy"},
		"resources": []any{map[string]any{
			"group": "apps", "version": "v1", "kind": "Deployment", "namespace": a.ns, "name": "checkout"}},
		"operationState": map[string]any{"phase": "Succeeded"},
	})

	d := declared("checkout", "prod", "web", "ghcr.io/shop/checkout", digestB)
	targets := []cluster.Target{{App: "checkout", Env: "prod", Declared: []model.Declared{d}}}
	gitCommit := "2222222222222222222222222222222222222222"
	for _, tc := range []struct {
		name    string
		applied func(app, env, rev string) bool
		want    model.State
	}{
		{"controller behind git", func(_, _, rev string) bool { return rev == gitCommit }, model.StatePending},
		{"controller applied git", nil, model.StateDrift},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := ferrySource(t, s, cluster.Options{Applied: tc.applied,
				Environments: model.Environments{env("prod", "prod", a.ns)}},
				kubetest.Context{Name: "prod", User: kubetest.Ferry})
			snap := src.List(t.Context(), targets)
			ctl, ok := snap.Controllers[model.CellKey{App: "checkout", Env: "prod"}]
			if !ok {
				t.Fatalf("no controller found: %s", describeSnap(snap))
			}
			if ctl.Kind != "Application" || ctl.Name != "checkout-prod" || !ctl.Synced || !ctl.Healthy ||
				ctl.Revision != "1111111111111111111111111111111111111111" {
				t.Errorf("controller = %+v", ctl)
			}
			live := snap.Live[model.ImageKey{App: "checkout", Env: "prod", Image: "web"}]
			st := model.ImageState(model.ImageFacts{Declared: &d, Live: &live, Controller: &ctl})
			if st != tc.want {
				t.Errorf("state = %s, want %s", st, tc.want)
			}
		})
	}
}

// TestFluxKustomizationAndHelmRelease finds Flux owners through the labels
// Flux puts on what it applies, and reads their revisions and readiness.
func TestFluxKustomizationAndHelmRelease(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	fluxNS := a.namespace(a.ns + "-flux")
	cart := []corev1.Container{container("cart", "ghcr.io/shop/cart:1")}
	web := []corev1.Container{container("web", "ghcr.io/shop/web:1")}
	a.deployment(a.ns, "cart", map[string]string{
		"kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": fluxNS}, 1, 1, 1, cart...)
	a.deployment(a.ns, "web", map[string]string{
		"helm.toolkit.fluxcd.io/name": "web", "helm.toolkit.fluxcd.io/namespace": fluxNS}, 1, 1, 1, web...)
	commit := strings.Repeat("3", 40)
	a.custom(kustomizations, meta("kustomize.toolkit.fluxcd.io/v1", "Kustomization", fluxNS, "apps", nil), map[string]any{
		"lastAppliedRevision": "main@sha1:" + commit, "lastAttemptedRevision": "main@sha1:" + commit,
		"conditions": []any{map[string]any{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded"}},
	})
	a.custom(helmReleases, meta("helm.toolkit.fluxcd.io/v2", "HelmRelease", fluxNS, "web", nil), map[string]any{
		"history":               []any{map[string]any{"chartVersion": "1.4.0", "status": "deployed"}},
		"lastAttemptedRevision": "1.5.0",
		"conditions":            []any{map[string]any{"type": "Ready", "status": "False", "reason": "UpgradeFailed"}},
	})

	targets := []cluster.Target{
		{App: "cart", Env: "staging", Declared: []model.Declared{declared("cart", "staging", "cart", "ghcr.io/shop/cart", "")}},
		{App: "web", Env: "staging", Declared: []model.Declared{declared("web", "staging", "web", "ghcr.io/shop/web", "")}},
	}
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("staging", "staging", a.ns)}},
		kubetest.Context{Name: "staging", User: kubetest.Ferry})
	snap := src.List(t.Context(), targets)

	k := snap.Controllers[model.CellKey{App: "cart", Env: "staging"}]
	if k.Kind != "Kustomization" || k.Name != "apps" || k.Revision != commit || !k.Synced || !k.Healthy || !k.Applied {
		t.Errorf("kustomization = %+v", k)
	}
	h := snap.Controllers[model.CellKey{App: "web", Env: "staging"}]
	if h.Kind != "HelmRelease" || h.Name != "web" || h.Revision != "1.4.0" || h.Synced || h.Healthy {
		t.Errorf("helmrelease = %+v", h)
	}
}

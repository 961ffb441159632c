package cluster

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/ferryhq/ferry/model"
)

// The custom resources ferry reads where their CRDs are installed.
var (
	rolloutsGVR       = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
	applicationsGVR   = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	kustomizationsGVR = schema.GroupVersionResource{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}
	helmReleasesGVR   = schema.GroupVersionResource{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}
)

// controllerGVRs are read into inventory.controllers.
var controllerGVRs = []schema.GroupVersionResource{applicationsGVR, kustomizationsGVR, helmReleasesGVR}

// controller is an Argo CD Application or a Flux Kustomization/HelmRelease
// reduced to its verdict and the resources it manages.
type controller struct {
	Namespace string
	Facts     model.ControllerFacts // Applied is decided per cell later
	Resources map[string]bool       // "Kind/namespace/name" it manages
}

func resourceKey(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// fromController reads any of the controller kinds; ok is false for others.
func fromController(gvr schema.GroupVersionResource, u *unstructured.Unstructured) (controller, bool) {
	switch gvr {
	case applicationsGVR:
		return fromApplication(u), true
	case kustomizationsGVR:
		return fromKustomization(u), true
	case helmReleasesGVR:
		return fromHelmRelease(u), true
	}
	return controller{}, false
}

func str(u *unstructured.Unstructured, path ...string) string {
	s, _, _ := unstructured.NestedString(u.Object, path...)
	return s
}

// fromApplication reads an Argo CD Application: sync status and revision,
// health, and whether a sync operation is still running.
func fromApplication(u *unstructured.Unstructured) controller {
	synced := str(u, "status", "sync", "status") == "Synced"
	phase := str(u, "status", "operationState", "phase")
	revision := ""
	switch {
	case synced:
		revision = str(u, "status", "sync", "revision")
		if revision == "" {
			if revs, _, _ := unstructured.NestedStringSlice(u.Object, "status", "sync", "revisions"); len(revs) > 0 {
				revision = revs[0]
			}
		}
	case phase == "Succeeded":
		revision = str(u, "status", "operationState", "syncResult", "revision")
	default:
		revision = lastHistoryRevision(u)
	}
	c := controller{
		Namespace: u.GetNamespace(),
		Facts: model.ControllerFacts{
			Kind: "Application", Name: u.GetName(), Revision: revision,
			Synced:  synced && phase != "Running",
			Healthy: str(u, "status", "health", "status") == "Healthy",
		},
		Resources: map[string]bool{},
	}
	resources, _, _ := unstructured.NestedSlice(u.Object, "status", "resources")
	for _, r := range resources {
		if m, ok := r.(map[string]any); ok {
			kind, _ := m["kind"].(string)
			ns, _ := m["namespace"].(string)
			name, _ := m["name"].(string)
			c.Resources[resourceKey(kind, ns, name)] = true
		}
	}
	return c
}

func lastHistoryRevision(u *unstructured.Unstructured) string {
	history, _, _ := unstructured.NestedSlice(u.Object, "status", "history")
	if len(history) == 0 {
		return ""
	}
	last, _ := history[len(history)-1].(map[string]any)
	rev, _ := last["revision"].(string)
	return rev
}

// fromKustomization reads a Flux Kustomization: last applied and attempted
// revision, Ready and Healthy conditions, and its inventory.
func fromKustomization(u *unstructured.Unstructured) controller {
	ready, hasReady := condition(u, "Ready")
	healthy, hasHealthy := condition(u, "Healthy")
	if !hasHealthy {
		healthy = ready
	}
	applied := str(u, "status", "lastAppliedRevision")
	attempted := str(u, "status", "lastAttemptedRevision")
	c := controller{
		Namespace: u.GetNamespace(),
		Facts: model.ControllerFacts{
			Kind: "Kustomization", Name: u.GetName(), Revision: GitRevision(applied),
			Synced:  hasReady && ready && applied != "" && (attempted == "" || attempted == applied),
			Healthy: healthy,
		},
		Resources: map[string]bool{},
	}
	entries, _, _ := unstructured.NestedSlice(u.Object, "status", "inventory", "entries")
	for _, e := range entries {
		m, _ := e.(map[string]any)
		id, _ := m["id"].(string)
		// Flux inventory ids read "<namespace>_<name>_<group>_<Kind>".
		if parts := strings.Split(id, "_"); len(parts) == 4 {
			c.Resources[resourceKey(parts[3], parts[0], parts[1])] = true
		}
	}
	return c
}

// fromHelmRelease reads a Flux HelmRelease (v2: history; v2beta: revisions).
func fromHelmRelease(u *unstructured.Unstructured) controller {
	ready, hasReady := condition(u, "Ready")
	applied := str(u, "status", "lastAppliedRevision")
	if history, _, _ := unstructured.NestedSlice(u.Object, "status", "history"); applied == "" && len(history) > 0 {
		latest, _ := history[0].(map[string]any)
		applied, _ = latest["chartVersion"].(string)
	}
	attempted := str(u, "status", "lastAttemptedRevision")
	return controller{
		Namespace: u.GetNamespace(),
		Facts: model.ControllerFacts{
			Kind: "HelmRelease", Name: u.GetName(), Revision: GitRevision(applied),
			Synced:  hasReady && ready && applied != "" && (attempted == "" || attempted == applied),
			Healthy: hasReady && ready,
		},
		Resources: map[string]bool{},
	}
}

// condition returns whether status.conditions[type] is True, and whether
// the condition is there at all.
func condition(u *unstructured.Unstructured, typ string) (bool, bool) {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == typ {
			return m["status"] == "True", true
		}
	}
	return false, false
}

// GitRevision turns Flux's revision forms ("main@sha1:abc…", "sha1:abc…",
// the older "main/abc…") into the commit hash; other strings are kept.
func GitRevision(rev string) string {
	if _, after, ok := strings.Cut(rev, "@sha1:"); ok {
		return after
	}
	if after, ok := strings.CutPrefix(rev, "sha1:"); ok {
		return after
	}
	if i := strings.LastIndex(rev, "/"); i >= 0 && len(rev)-i-1 == 40 {
		return rev[i+1:]
	}
	return rev
}

package cluster

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestStripKeepsWhatFerryReads: the transform drops managedFields, specs
// and annotations, and keeps every field the facts are computed from.
func TestStripKeepsWhatFerryReads(t *testing.T) {
	pod := benchPod(1)
	out, err := Strip(pod)
	if err != nil {
		t.Fatal(err)
	}
	p := out.(*corev1.Pod)
	if p.ManagedFields != nil || p.Annotations != nil || len(p.Spec.Containers) != 0 ||
		len(p.Status.Conditions) != 1 || p.Status.Conditions[0].Type != corev1.PodReady {
		t.Errorf("strip kept fields ferry does not read: %+v", p)
	}
	// Of the conditions only Ready stays: when a pod became ready ends a rollout.
	if p.Name != pod.Name || p.Namespace != "shop" || p.Labels["app"] != "api" || p.Status.Phase != corev1.PodRunning ||
		len(p.Status.ContainerStatuses) != 2 || p.Status.ContainerStatuses[0].ImageID != pod.Status.ContainerStatuses[0].ImageID {
		t.Errorf("strip lost fields ferry reads: %+v", p)
	}

	app := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
		"metadata": map[string]any{"name": "shop", "namespace": "argocd",
			"annotations":   map[string]any{"kubectl.kubernetes.io/last-applied-configuration": "{…}"},
			"managedFields": []any{map[string]any{"manager": "argocd"}}},
		"spec": map[string]any{"source": map[string]any{"repoURL": "https://example.org/gitops"}},
		"status": map[string]any{
			"sync":    map[string]any{"status": "Synced", "revision": "abc"},
			"summary": map[string]any{"images": []any{"a", "b"}},
			"history": []any{map[string]any{"revision": "1"}, map[string]any{"revision": "2"}, map[string]any{"revision": "3"}},
		},
	}}
	out, _ = Strip(app)
	u := out.(*unstructured.Unstructured)
	if u.GetManagedFields() != nil || u.GetAnnotations() != nil {
		t.Errorf("metadata kept: %v", u.Object["metadata"])
	}
	if _, ok, _ := unstructured.NestedMap(u.Object, "status", "summary"); ok {
		t.Errorf("status.summary kept")
	}
	if c := fromApplication(u); !c.Facts.Synced || c.Facts.Revision != "abc" {
		t.Errorf("application after strip = %+v", c.Facts)
	}
	if hist, _, _ := unstructured.NestedSlice(u.Object, "status", "history"); len(hist) != 2 {
		t.Errorf("history = %v, want first and last", hist)
	}
	if _, ok := out.(metav1.Object); !ok {
		t.Errorf("stripped object lost its metadata interface")
	}
}

package cluster

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

var runtimeConverter = runtime.DefaultUnstructuredConverter

// inventory is what one environment's cluster holds that ferry reads,
// whether it came from lists or from informer caches.
type inventory struct {
	workloads   []workload
	pods        []*corev1.Pod
	controllers []controller

	podsByNamespace map[string][]*corev1.Pod // built on first use
}

// workload is a Deployment, StatefulSet, DaemonSet or Argo Rollout reduced
// to what ferry compares.
type workload struct {
	Kind, Namespace, Name string
	Labels                map[string]string
	Annotations           map[string]string
	TemplateLabels        map[string]string
	Selector              labels.Selector // nil selects nothing
	Containers            []corev1.Container
	Desired, Updated      int
	Ready, Available      int
	// Complete is false while the controller has not observed the latest
	// generation or replicas still run the old template.
	Complete bool
}

func (w workload) id() string { return w.Kind + "/" + w.Name }

func baseWorkload(kind string, m metav1.ObjectMeta, sel *metav1.LabelSelector, tmpl corev1.PodTemplateSpec) workload {
	w := workload{
		Kind: kind, Namespace: m.Namespace, Name: m.Name, Labels: m.Labels,
		Annotations: m.Annotations, TemplateLabels: tmpl.Labels,
		Containers: append(append([]corev1.Container(nil), tmpl.Spec.InitContainers...), tmpl.Spec.Containers...),
	}
	if sel != nil {
		if s, err := metav1.LabelSelectorAsSelector(sel); err == nil && !s.Empty() {
			w.Selector = s
		}
	}
	return w
}

func replicas(p *int32) int {
	if p == nil {
		return 1
	}
	return int(*p)
}

func fromDeployment(d *appsv1.Deployment) workload {
	w := baseWorkload("Deployment", d.ObjectMeta, d.Spec.Selector, d.Spec.Template)
	st := d.Status
	w.Desired, w.Updated = replicas(d.Spec.Replicas), int(st.UpdatedReplicas)
	w.Ready, w.Available = int(st.ReadyReplicas), int(st.AvailableReplicas)
	w.Complete = st.ObservedGeneration >= d.Generation && w.Updated == w.Desired &&
		int(st.Replicas) == w.Updated && w.Available == w.Desired
	return w
}

func fromStatefulSet(s *appsv1.StatefulSet) workload {
	w := baseWorkload("StatefulSet", s.ObjectMeta, s.Spec.Selector, s.Spec.Template)
	st := s.Status
	w.Desired, w.Updated = replicas(s.Spec.Replicas), int(st.UpdatedReplicas)
	w.Ready, w.Available = int(st.ReadyReplicas), int(st.AvailableReplicas)
	w.Complete = st.ObservedGeneration >= s.Generation && w.Updated == w.Desired &&
		(st.UpdateRevision == "" || st.CurrentRevision == st.UpdateRevision) && w.Ready == w.Desired
	return w
}

func fromDaemonSet(d *appsv1.DaemonSet) workload {
	w := baseWorkload("DaemonSet", d.ObjectMeta, d.Spec.Selector, d.Spec.Template)
	st := d.Status
	w.Desired, w.Updated = int(st.DesiredNumberScheduled), int(st.UpdatedNumberScheduled)
	w.Ready, w.Available = int(st.NumberReady), int(st.NumberAvailable)
	w.Complete = st.ObservedGeneration >= d.Generation && w.Updated == w.Desired && w.Available == w.Desired
	return w
}

// fromRollout reads an Argo Rollout, which has a Deployment-like spec.
func fromRollout(u *unstructured.Unstructured) workload {
	var tmpl corev1.PodTemplateSpec
	if m, ok, _ := unstructured.NestedMap(u.Object, "spec", "template"); ok {
		_ = runtimeConverter.FromUnstructured(m, &tmpl)
	}
	var sel *metav1.LabelSelector
	if m, ok, _ := unstructured.NestedMap(u.Object, "spec", "selector"); ok {
		sel = &metav1.LabelSelector{}
		_ = runtimeConverter.FromUnstructured(m, sel)
	}
	meta := metav1.ObjectMeta{Namespace: u.GetNamespace(), Name: u.GetName(), Labels: u.GetLabels(), Annotations: u.GetAnnotations()}
	w := baseWorkload("Rollout", meta, sel, tmpl)
	desired := int64(1)
	if n, ok, _ := unstructured.NestedInt64(u.Object, "spec", "replicas"); ok {
		desired = n
	}
	num := func(field string) int {
		n, _, _ := unstructured.NestedInt64(u.Object, "status", field)
		return int(n)
	}
	observed, _, _ := unstructured.NestedString(u.Object, "status", "observedGeneration")
	w.Desired, w.Updated = int(desired), num("updatedReplicas")
	w.Ready, w.Available = num("readyReplicas"), num("availableReplicas")
	phase, _, _ := unstructured.NestedString(u.Object, "status", "phase")
	w.Complete = (phase == "" || phase == "Healthy") && observedAtLeast(observed, u.GetGeneration()) &&
		w.Updated == w.Desired && num("replicas") == w.Updated && w.Available == w.Desired
	return w
}

// observedAtLeast compares a Rollout's string observedGeneration (older
// versions store a hash there; it then says nothing).
func observedAtLeast(observed string, generation int64) bool {
	var n int64
	for _, c := range observed {
		if c < '0' || c > '9' {
			return true
		}
		n = n*10 + int64(c-'0')
	}
	return observed == "" || n >= generation
}

// podsOf returns the pods a workload selects in its namespace.
func (inv *inventory) podsOf(w workload) []*corev1.Pod {
	if w.Selector == nil {
		return nil
	}
	if inv.podsByNamespace == nil {
		inv.podsByNamespace = map[string][]*corev1.Pod{}
		for _, p := range inv.pods {
			inv.podsByNamespace[p.Namespace] = append(inv.podsByNamespace[p.Namespace], p)
		}
	}
	var out []*corev1.Pod
	for _, p := range inv.podsByNamespace[w.Namespace] {
		if w.Selector.Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		}
	}
	return out
}

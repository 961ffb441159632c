package cluster

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Strip is the informer transform: it keeps only the fields ferry reads, so
// a cache of a big cluster stays small. managedFields alone are often 5–20
// KB per object. It builds fresh objects, so the originals can be freed.
func Strip(obj any) (any, error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		return stripPod(o), nil
	case *appsv1.Deployment:
		return &appsv1.Deployment{
			ObjectMeta: keepMeta(o.ObjectMeta),
			Spec: appsv1.DeploymentSpec{Replicas: o.Spec.Replicas, Selector: o.Spec.Selector,
				Template: keepTemplate(o.Spec.Template)},
			Status: appsv1.DeploymentStatus{ObservedGeneration: o.Status.ObservedGeneration, Replicas: o.Status.Replicas,
				UpdatedReplicas: o.Status.UpdatedReplicas, ReadyReplicas: o.Status.ReadyReplicas,
				AvailableReplicas: o.Status.AvailableReplicas},
		}, nil
	case *appsv1.StatefulSet:
		return &appsv1.StatefulSet{
			ObjectMeta: keepMeta(o.ObjectMeta),
			Spec: appsv1.StatefulSetSpec{Replicas: o.Spec.Replicas, Selector: o.Spec.Selector,
				Template: keepTemplate(o.Spec.Template)},
			Status: appsv1.StatefulSetStatus{ObservedGeneration: o.Status.ObservedGeneration, Replicas: o.Status.Replicas,
				UpdatedReplicas: o.Status.UpdatedReplicas, ReadyReplicas: o.Status.ReadyReplicas,
				AvailableReplicas: o.Status.AvailableReplicas, CurrentRevision: o.Status.CurrentRevision,
				UpdateRevision: o.Status.UpdateRevision},
		}, nil
	case *appsv1.DaemonSet:
		return &appsv1.DaemonSet{
			ObjectMeta: keepMeta(o.ObjectMeta),
			Spec:       appsv1.DaemonSetSpec{Selector: o.Spec.Selector, Template: keepTemplate(o.Spec.Template)},
			Status: appsv1.DaemonSetStatus{ObservedGeneration: o.Status.ObservedGeneration,
				DesiredNumberScheduled: o.Status.DesiredNumberScheduled, UpdatedNumberScheduled: o.Status.UpdatedNumberScheduled,
				NumberReady: o.Status.NumberReady, NumberAvailable: o.Status.NumberAvailable},
		}, nil
	case *unstructured.Unstructured:
		return stripUnstructured(o), nil
	}
	return obj, nil
}

func stripPod(p *corev1.Pod) *corev1.Pod {
	out := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: p.UID,
			ResourceVersion: p.ResourceVersion, Labels: p.Labels},
		Status: corev1.PodStatus{Phase: p.Status.Phase},
	}
	keep := func(in []corev1.ContainerStatus) []corev1.ContainerStatus {
		var cs []corev1.ContainerStatus
		for _, c := range in {
			cs = append(cs, corev1.ContainerStatus{Name: c.Name, ImageID: c.ImageID, Ready: c.Ready})
		}
		return cs
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady { // when the pod became ready: a rollout's end
			out.Status.Conditions = []corev1.PodCondition{{Type: c.Type, Status: c.Status, LastTransitionTime: c.LastTransitionTime}}
		}
	}
	out.Status.ContainerStatuses = keep(p.Status.ContainerStatuses)
	out.Status.InitContainerStatuses = keep(p.Status.InitContainerStatuses)
	return out
}

// keepMeta keeps identity, generation, labels and the one annotation ferry
// reads (Argo CD's tracking id); it drops managedFields and the rest.
func keepMeta(m metav1.ObjectMeta) metav1.ObjectMeta {
	out := metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID,
		ResourceVersion: m.ResourceVersion, Generation: m.Generation, Labels: m.Labels}
	if id, ok := m.Annotations[argoTrackingID]; ok {
		out.Annotations = map[string]string{argoTrackingID: id}
	}
	return out
}

func keepTemplate(t corev1.PodTemplateSpec) corev1.PodTemplateSpec {
	names := func(in []corev1.Container) []corev1.Container {
		var cs []corev1.Container
		for _, c := range in {
			cs = append(cs, corev1.Container{Name: c.Name, Image: c.Image})
		}
		return cs
	}
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: t.Labels},
		Spec:       corev1.PodSpec{Containers: names(t.Spec.Containers), InitContainers: names(t.Spec.InitContainers)},
	}
}

// unstructuredKeep lists, per top-level field, the paths ferry reads from
// Rollouts, Applications, Kustomizations and HelmReleases.
var unstructuredKeep = map[string][][]string{
	"spec": {{"replicas"}, {"selector"}, {"template"}},
	"status": {{"sync"}, {"health", "status"}, {"operationState", "phase"},
		{"operationState", "syncResult", "revision"}, {"history"}, {"resources"},
		{"conditions"}, {"lastAppliedRevision"}, {"lastAttemptedRevision"},
		{"inventory"}, {"phase"}, {"observedGeneration"}, {"replicas"},
		{"updatedReplicas"}, {"readyReplicas"}, {"availableReplicas"}},
}

// stripUnstructured copies the fields listed in unstructuredKeep into a new
// object with trimmed metadata.
func stripUnstructured(u *unstructured.Unstructured) *unstructured.Unstructured {
	out := &unstructured.Unstructured{Object: map[string]any{}}
	out.SetAPIVersion(u.GetAPIVersion())
	out.SetKind(u.GetKind())
	out.SetName(u.GetName())
	out.SetNamespace(u.GetNamespace())
	out.SetUID(u.GetUID())
	out.SetResourceVersion(u.GetResourceVersion())
	out.SetGeneration(u.GetGeneration())
	out.SetLabels(u.GetLabels())
	if id, ok := u.GetAnnotations()[argoTrackingID]; ok {
		out.SetAnnotations(map[string]string{argoTrackingID: id})
	}
	for top, paths := range unstructuredKeep {
		for _, p := range paths {
			path := append([]string{top}, p...)
			if v, ok, _ := unstructured.NestedFieldNoCopy(u.Object, path...); ok {
				_ = unstructured.SetNestedField(out.Object, v, path...)
			}
		}
	}
	if hist, ok, _ := unstructured.NestedSlice(out.Object, "status", "history"); ok && len(hist) > 1 {
		// Argo CD appends (keep the last), Flux prepends (keep the first).
		_ = unstructured.SetNestedSlice(out.Object, []any{hist[0], hist[len(hist)-1]}, "status", "history")
	}
	return out
}

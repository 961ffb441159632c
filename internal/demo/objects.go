package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// The Kubernetes objects of the demo clusters, built the way the real
// controllers would leave them.

const (
	labelName      = "app.kubernetes.io/name"
	labelInstance  = "app.kubernetes.io/instance"
	labelVersion   = "app.kubernetes.io/version"
	labelHash      = "pod-template-hash"
	argoTrackingID = "argocd.argoproj.io/tracking-id"
)

// applicationsGVR is Argo CD's Application resource.
var applicationsGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}

// running is what a set of pods runs: the image in the spec and the
// imageID the runtime reports.
type running struct {
	Image   string // spec image, e.g. "127.0.0.1:5000/shop/cart:1.4.0@sha256:…"
	ImageID string
	Version string
}

// runningBuild describes pods running build b of an app in the given form.
func runningBuild(repo string, b build, tagOnly bool, form idForm) running {
	image := repo + ":" + b.Version
	if !tagOnly {
		image += "@" + b.Digest
	}
	return running{Image: image, Version: b.Version,
		ImageID: imageID(repo, artifact{Digest: b.Digest, Index: b.Index, Platform: b.Platform}, form)}
}

// imageID spells a running digest the way a runtime reports it.
func imageID(repo string, a artifact, form idForm) string {
	switch form {
	case formPlatform:
		return repo + "@" + a.Platform
	case formPullable:
		return "docker-pullable://" + repo + "@" + a.Digest
	}
	return repo + "@" + a.Digest
}

// templateHash stands in for the ReplicaSet hash of a pod template. The
// registry host is left out: its port changes from run to run, the names
// should not.
func templateHash(image string) string {
	h := fnv.New32a()
	_, path, _ := strings.Cut(image, "/")
	h.Write([]byte(path))
	return safeString(rand.New(rand.NewSource(int64(h.Sum32()))), 10)
}

// safeString draws from the alphabet Kubernetes uses for generated names.
func safeString(rng *rand.Rand, n int) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

func appLabels(app, env string) map[string]string {
	return map[string]string{labelName: app, labelInstance: app + "-" + env}
}

// newDeployment is an app's Deployment whose rollout of r is complete.
func newDeployment(app, env string, replicas int, r running, generation int64) *appsv1.Deployment {
	n := int32(replicas)
	labels := appLabels(app, env)
	labels[labelVersion] = r.Version
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: app, Namespace: namespace, Labels: labels, Generation: generation,
			Annotations: map[string]string{argoTrackingID: fmt.Sprintf("%s-%s:apps/Deployment:%s/%s", app, env, namespace, app)},
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: &n,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{labelName: app}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{labelName: app, labelVersion: r.Version}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: app, Image: r.Image}}},
			},
		},
		Status: appsv1.DeploymentStatus{
			ObservedGeneration: generation, Replicas: n, UpdatedReplicas: n,
			ReadyReplicas: n, AvailableReplicas: n,
		},
	}
}

// newPod is one ready pod of an app running r.
func newPod(app string, r running, suffix string, started time.Time) *corev1.Pod {
	hash := templateHash(r.Image)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: app + "-" + hash + "-" + suffix, Namespace: namespace,
			Labels:            map[string]string{labelName: app, labelVersion: r.Version, labelHash: hash},
			CreationTimestamp: metav1.NewTime(started),
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet",
				Name: app + "-" + hash, UID: types.UID("demo-" + hash)}},
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: app, Image: r.Image}}},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue,
				LastTransitionTime: metav1.NewTime(started)}},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: app, Image: r.Image, ImageID: r.ImageID, Ready: true, Started: ptr(true),
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(started)}},
			}},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// appStatus is what an Argo CD Application reports.
type appStatus struct {
	Sync     string // "Synced", "OutOfSync"
	Revision string // the revision the sync status compares against
	Applied  string // the revision the last sync operation applied
	Health   string // "Healthy", "Progressing", "Suspended", …
	Phase    string // operation phase: "Succeeded", "Running"
	At       time.Time
}

// newApplication is the Argo CD Application that deploys app to env.
func newApplication(app appPlan, env, repoURL string, automated bool) *unstructured.Unstructured {
	source := map[string]any{"repoURL": repoURL, "targetRevision": "main"}
	if app.Helm {
		source["path"] = "charts/" + app.Name
		source["helm"] = map[string]any{"valueFiles": []any{"values-" + env + ".yaml"}}
	} else {
		source["path"] = "apps/" + app.Name + "/overlays/" + env
	}
	spec := map[string]any{
		"project":     "shop",
		"source":      source,
		"destination": map[string]any{"server": "https://kubernetes.default.svc", "namespace": namespace},
	}
	if automated {
		spec["syncPolicy"] = map[string]any{"automated": map[string]any{"prune": true}}
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
		"metadata": map[string]any{"name": app.Name + "-" + env, "namespace": argoNamespace},
		"spec":     spec,
	}}
	return u
}

// automated reports whether an Application syncs by itself.
func automated(u *unstructured.Unstructured) bool {
	_, ok, _ := unstructured.NestedMap(u.Object, "spec", "syncPolicy", "automated")
	return ok
}

// setStatus writes an Application's status, keeping its sync history.
func setStatus(u *unstructured.Unstructured, app string, s appStatus) {
	at := s.At.UTC().Format(time.RFC3339)
	history, _, _ := unstructured.NestedSlice(u.Object, "status", "history")
	if s.Phase == "Succeeded" && (len(history) == 0 || lastRevision(history) != s.Applied) {
		history = append(history, map[string]any{
			"id": int64(len(history)), "revision": s.Applied, "deployedAt": at,
		})
	}
	u.Object["status"] = map[string]any{
		"sync":   map[string]any{"status": s.Sync, "revision": s.Revision},
		"health": map[string]any{"status": s.Health},
		"operationState": map[string]any{
			"phase": s.Phase, "finishedAt": at,
			"syncResult": map[string]any{"revision": s.Applied},
		},
		"history": history,
		"resources": []any{map[string]any{
			"group": "apps", "version": "v1", "kind": "Deployment",
			"namespace": namespace, "name": app, "status": s.Sync,
			"health": map[string]any{"status": s.Health},
		}},
	}
}

func lastRevision(history []any) string {
	last, _ := history[len(history)-1].(map[string]any)
	rev, _ := last["revision"].(string)
	return rev
}

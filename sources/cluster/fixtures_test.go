package cluster_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/ferryhq/ferry/internal/kubetest"
)

// Digests used by the fixtures.
var (
	digestA = "sha256:" + strings.Repeat("a", 64)
	digestB = "sha256:" + strings.Repeat("b", 64)
	configC = "sha256:" + strings.Repeat("c", 64)
)

// admin is the setup side of a test: it writes what a cluster would hold.
type admin struct {
	t    *testing.T
	ctx  context.Context
	kube kubernetes.Interface
	dyn  dynamic.Interface
	ns   string
	// readyAt is when the pods it makes say they became ready.
	readyAt metav1.Time
}

var (
	nonName    = regexp.MustCompile(`[^a-z0-9-]+`)
	namespaces atomic.Int64 // keeps namespaces unique when tests repeat (-count)
)

// newAdmin creates a namespace for the test, named after it.
func newAdmin(t *testing.T, s *kubetest.Server) *admin {
	t.Helper()
	cfg := s.RESTConfig(kubetest.Admin)
	a := &admin{t: t, ctx: context.Background(),
		kube: kubernetes.NewForConfigOrDie(cfg), dyn: dynamic.NewForConfigOrDie(cfg)}
	base := strings.Trim(nonName.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(base) > 40 {
		base = base[:40]
	}
	a.ns = a.namespace(fmt.Sprintf("%s-%d", base, namespaces.Add(1)))
	return a
}

func (a *admin) namespace(name string) string {
	a.t.Helper()
	if len(name) > 60 {
		name = name[:60]
	}
	_, err := a.kube.CoreV1().Namespaces().Create(a.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	a.must(err)
	return name
}

func (a *admin) must(err error) {
	a.t.Helper()
	if err != nil {
		a.t.Fatal(err)
	}
}

// deployment creates a Deployment and writes its status as a controller
// manager would: desired replicas, updated, ready.
func (a *admin) deployment(ns, name string, labels map[string]string, replicas, updated, ready int32, containers ...corev1.Container) *appsv1.Deployment {
	a.t.Helper()
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec:       corev1.PodSpec{Containers: containers},
			},
		},
	}
	d, err := a.kube.AppsV1().Deployments(ns).Create(a.ctx, d, metav1.CreateOptions{})
	a.must(err)
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: replicas,
		UpdatedReplicas: updated, ReadyReplicas: ready, AvailableReplicas: ready}
	d, err = a.kube.AppsV1().Deployments(ns).UpdateStatus(a.ctx, d, metav1.UpdateOptions{})
	a.must(err)
	return d
}

// pod creates a running pod selected by workload "app" whose containers
// report the given imageIDs (container name → imageID).
func (a *admin) pod(ns, name, app string, containers []corev1.Container, imageIDs map[string]string) *corev1.Pod {
	a.t.Helper()
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{"app": app}},
		Spec:       corev1.PodSpec{Containers: containers},
	}
	p, err := a.kube.CoreV1().Pods(ns).Create(a.ctx, p, metav1.CreateOptions{})
	a.must(err)
	return a.setImageIDs(p, imageIDs)
}

// setImageIDs writes the pod's status through the status subresource, as a
// kubelet would.
func (a *admin) setImageIDs(p *corev1.Pod, imageIDs map[string]string) *corev1.Pod {
	a.t.Helper()
	p.Status.Phase = corev1.PodRunning
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: a.readyAt}}
	p.Status.ContainerStatuses = nil
	for _, c := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: imageIDs[c.Name], Ready: true,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}},
		})
	}
	p, err := a.kube.CoreV1().Pods(p.Namespace).UpdateStatus(a.ctx, p, metav1.UpdateOptions{})
	a.must(err)
	return p
}

func container(name, image string) corev1.Container {
	return corev1.Container{Name: name, Image: image}
}

// custom creates a custom resource; with status set, it writes the status
// through the status subresource when the CRD has one.
func (a *admin) custom(gvr schema.GroupVersionResource, obj map[string]any, status map[string]any) {
	a.t.Helper()
	u := &unstructured.Unstructured{Object: obj}
	res := a.dyn.Resource(gvr).Namespace(u.GetNamespace())
	created, err := res.Create(a.ctx, u, metav1.CreateOptions{})
	a.must(err)
	if status == nil {
		return
	}
	created.Object["status"] = status
	_, err = res.UpdateStatus(a.ctx, created, metav1.UpdateOptions{})
	a.must(err)
}

// crd describes a custom resource definition the tests install: Argo CD's
// Application and Rollout, Flux's Kustomization and HelmRelease.
type crd struct {
	group, version, kind, plural string
}

var testCRDs = []crd{
	{"argoproj.io", "v1alpha1", "Application", "applications"},
	{"argoproj.io", "v1alpha1", "Rollout", "rollouts"},
	{"kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations"},
	{"helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"},
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// installCRDs installs the controller CRDs (open schemas, status
// subresource) and waits until the server serves them.
func installCRDs(ctx context.Context, s *kubetest.Server) error {
	dyn := dynamic.NewForConfigOrDie(s.RESTConfig(kubetest.Admin))
	kube := kubernetes.NewForConfigOrDie(s.RESTConfig(kubetest.Admin))
	for _, c := range testCRDs {
		obj := map[string]any{
			"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
			"metadata": map[string]any{"name": c.plural + "." + c.group},
			"spec": map[string]any{
				"group": c.group, "scope": "Namespaced",
				"names": map[string]any{"kind": c.kind, "plural": c.plural, "singular": strings.ToLower(c.kind), "listKind": c.kind + "List"},
				"versions": []any{map[string]any{
					"name": c.version, "served": true, "storage": true,
					"subresources": map[string]any{"status": map[string]any{}},
					"schema": map[string]any{"openAPIV3Schema": map[string]any{
						"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
				}},
			},
		}
		if _, err := dyn.Resource(crdGVR).Create(ctx, &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("installing CRD %s: %w", c.plural, err)
		}
	}
	// Poll discovery (a readiness check) until every CRD is served.
	for _, c := range testCRDs {
		err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, kubetest.Scale(time.Minute), true, func(context.Context) (bool, error) {
			list, err := kube.Discovery().ServerResourcesForGroupVersion(c.group + "/" + c.version)
			return err == nil && hasResource(list, c.plural), nil
		})
		if err != nil {
			return fmt.Errorf("CRD %s not served: %v", c.plural, err)
		}
	}
	return nil
}

func hasResource(list *metav1.APIResourceList, plural string) bool {
	for _, r := range list.APIResources {
		if r.Name == plural {
			return true
		}
	}
	return false
}

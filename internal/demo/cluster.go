package demo

import (
	"fmt"
	"math/rand"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	kubefake "k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/ferryhq/ferry/sources/cluster"
)

// fakeCluster is one environment's cluster: client-go fake clientsets that
// the cluster source reads through the same interfaces as a real one.
type fakeCluster struct {
	env  envPlan
	kube *kubefake.Clientset
	dyn  *dynamicfake.FakeDynamicClient

	mu  sync.Mutex
	rng *rand.Rand // pod name suffixes, deterministic per seed

	outage outage // a fault tests switch on and off
}

// listKinds registers every custom resource the cluster source may list;
// the dynamic fake panics on a list of a resource it does not know.
var listKinds = map[schema.GroupVersionResource]string{
	applicationsGVR: "ApplicationList",
	{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}:                 "RolloutList",
	{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Resource: "kustomizations"}: "KustomizationList",
	{Group: "helm.toolkit.fluxcd.io", Version: "v2", Resource: "helmreleases"}:        "HelmReleaseList",
}

// newFakeCluster makes an empty cluster that serves Argo CD Applications.
func newFakeCluster(env envPlan, seed int64) *fakeCluster {
	c := &fakeCluster{
		env:  env,
		kube: kubefake.NewClientset(),
		dyn:  dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), listKinds),
		rng:  rand.New(seedFor(seed, "pods", env.Name)),
	}
	c.kube.Resources = []*metav1.APIResourceList{
		{GroupVersion: "v1", APIResources: []metav1.APIResource{{Name: "pods", Namespaced: true, Kind: "Pod"}}},
		{GroupVersion: "apps/v1", APIResources: []metav1.APIResource{{Name: "deployments", Namespaced: true, Kind: "Deployment"}}},
		{GroupVersion: "argoproj.io/v1alpha1", APIResources: []metav1.APIResource{{Name: "applications", Namespaced: true, Kind: "Application"}}},
	}
	c.installOutage()
	if env.Forbidden {
		c.forbidPods()
	}
	return c
}

// forbidPods makes reading pods fail the way RBAC refuses a user, while the
// demo's own controller may still create and delete them.
func (c *fakeCluster) forbidPods() {
	forbidden := func(verb string) error {
		return apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", fmt.Errorf(
			"User \"demo-viewer\" cannot %s resource \"pods\" in API group \"\" in the namespace %q", verb, namespace))
	}
	for _, verb := range []string{"get", "list"} {
		c.kube.PrependReactor(verb, "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, forbidden(verb)
		})
	}
	c.kube.PrependWatchReactor("pods", func(k8stesting.Action) (bool, watch.Interface, error) {
		return true, nil, forbidden("watch")
	})
}

// Clients are what sources/cluster.NewFromClients takes for this
// environment.
func (c *fakeCluster) Clients() cluster.Clients {
	return cluster.Clients{Kube: c.kube, Dynamic: c.dyn, Context: c.env.Context, Namespace: namespace}
}

// podSuffix draws the random part of a new pod's name.
func (c *fakeCluster) podSuffix() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return safeString(c.rng, 5)
}

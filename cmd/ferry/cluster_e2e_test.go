package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
)

const (
	liveDigest  = "sha256:" + "1111111111111111111111111111111111111111111111111111111111111111"
	otherDigest = "sha256:" + "2222222222222222222222222222222222222222222222222222222222222222"
)

// TestStatusReadsARealCluster runs `ferry status` end to end against a real
// kube-apiserver: dev runs what Git pins, prod was changed by hand, and a
// third environment's context points at a server that is not there, and
// staging's context is chosen by its name.
func TestStatusReadsARealCluster(t *testing.T) {
	if os.Getenv("FERRY_SKIP_KUBE") == "1" {
		t.Skip("FERRY_SKIP_KUBE=1: no kube-apiserver")
	}
	kube := kubetest.Start(t)
	kubeconfig, err := kube.WriteKubeconfig("ferry-e2e.kubeconfig",
		kubetest.Context{Name: "e2e-dev", User: kubetest.Ferry},
		kubetest.Context{Name: "e2e-prod", User: kubetest.Ferry},
		kubetest.Context{Name: "staging", User: kubetest.Ferry})
	if err != nil {
		t.Fatal(err)
	}
	admin := kubernetes.NewForConfigOrDie(kube.RESTConfig(kubetest.Admin))
	runDeployment(t, admin, "e2e-dev", liveDigest)
	runDeployment(t, admin, "e2e-prod", otherDigest)

	r := testrepo.FromDir(t, t.TempDir())
	r.Write("ferry.yaml", `environments:
  - name: dev
    kube: {context: e2e-dev, namespace: e2e-dev}
  - name: staging
    kube: {namespace: e2e-dev}
  - name: prod
    kube: {context: e2e-prod, namespace: e2e-prod}
  - name: prod-eu
    after: [dev]
    kube: {context: e2e-gone}
apps:
  - name: search
    paths: {dev: envs/dev, staging: envs/staging, prod: envs/prod, prod-eu: envs/prod-eu}
`)
	for _, env := range []string{"dev", "staging", "prod", "prod-eu"} {
		r.Write("envs/"+env+"/deploy.yaml", deploymentYAML("ghcr.io/shop/search@"+liveDigest))
	}
	r.Commit("search everywhere")

	out, errOut, code := ferry(t, "status", "--repo", r.Dir, "--kubeconfig", kubeconfig,
		"--sources", "git,cluster", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	g := parseGrid(t, out)
	dev := g.Cell("search", "dev")
	if dev.State != model.StateInSync || dev.Images[0].Live == nil || dev.Images[0].Live.Digests[liveDigest] != 2 {
		t.Errorf("dev = %s, live %+v; want in-sync with 2 pods", dev.State, dev.Images[0].Live)
	}
	if staging := g.Cell("search", "staging"); staging.State != model.StateInSync {
		t.Errorf("staging = %s, want in-sync through the context chosen by name", staging.State)
	}
	if !strings.Contains(errOut, `environment staging reads kubeconfig context "staging"`) {
		t.Errorf("the user is not told which context staging reads: %q", errOut)
	}
	if prod := g.Cell("search", "prod"); prod.State != model.StateDrift {
		t.Errorf("prod = %s, want drift (pods run another digest, no controller)", prod.State)
	}
	gone := g.Cell("search", "prod-eu")
	if gone.State != model.StateError || len(gone.Problems) == 0 || !strings.Contains(gone.Problems[0].Message, "e2e-gone") {
		t.Errorf("prod-eu = %s with %v; want an error naming the context", gone.State, gone.Problems)
	}

	// The timeline says how far the change came in each cluster.
	rollouts := logRollouts(t, "--repo", r.Dir, "--kubeconfig", kubeconfig, "--sources", "git,cluster", "--since", "100000h")
	if dev := rollouts["dev"]; dev == nil || dev.State != model.RolloutDone || dev.Pods != 2 || dev.ReadyAt == nil || !dev.ReadyAt.Equal(podsReady) {
		t.Errorf("dev's rollout = %+v, want done, 2 pods ready at %s", dev, podsReady)
	}
	if prod := rollouts["prod"]; prod == nil || prod.State != model.RolloutNotStarted {
		t.Errorf("prod's rollout = %+v, want not started (its pods run another digest)", prod)
	}
	if gone, ok := rollouts["prod-eu"]; !ok || gone != nil {
		t.Errorf("prod-eu's rollout = %+v (listed %v), want none: its cluster was not read", gone, ok)
	}
	if plain := logRollouts(t, "--repo", r.Dir, "--sources", "git", "--since", "100000h"); plain["dev"] != nil {
		t.Errorf("without clusters asked for, log read them: %+v", plain["dev"])
	}
}

// podsReady is when runDeployment's pods became ready.
var podsReady = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// logRollouts is the rollout `ferry log` reports per environment.
func logRollouts(t *testing.T, args ...string) map[string]*model.Rollout {
	t.Helper()
	out, errOut, code := ferry(t, append([]string{"log", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("ferry log: exit %d: %s", code, errOut)
	}
	var entries []model.HistoryEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("ferry log -o json: %v\n%s", err, out)
	}
	rollouts := map[string]*model.Rollout{}
	for _, e := range entries {
		rollouts[e.Env] = e.Rollout
	}
	return rollouts
}

func deploymentYAML(image string) string {
	return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  template:
    spec:
      containers:
        - name: api
          image: ` + image + "\n"
}

// runDeployment creates namespace ns with a Deployment "search" whose two
// pods report digest, writing status as a kubelet and controller would.
func runDeployment(t *testing.T, c kubernetes.Interface, ns, digest string) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	must(err)
	labels := map[string]string{"app": "search"}
	spec := corev1.PodSpec{Containers: []corev1.Container{{Name: "api", Image: "ghcr.io/shop/search@" + digest}}}
	d, err := c.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "search", Labels: labels},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](2), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec}},
	}, metav1.CreateOptions{})
	must(err)
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2}
	_, err = c.AppsV1().Deployments(ns).UpdateStatus(ctx, d, metav1.UpdateOptions{})
	must(err)
	for _, name := range []string{"search-a", "search-b"} {
		p, err := c.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}, Spec: spec}, metav1.CreateOptions{})
		must(err)
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(podsReady)}}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "api", Image: spec.Containers[0].Image,
			ImageID: "docker-pullable://ghcr.io/shop/search@" + digest, Ready: true}}
		_, err = c.CoreV1().Pods(ns).UpdateStatus(ctx, p, metav1.UpdateOptions{})
		must(err)
	}
}

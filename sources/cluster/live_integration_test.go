package cluster_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

const searchRepo = "registry.example.org/shop/search-api"

// TestListReadsWorkloadsAndEveryImageIDForm discovers a Deployment by the
// workload Git declares, matches one image by container name and one by
// repository ("nginx" = docker.io/library/nginx), and counts pods per
// digest across runtime imageID forms; bare config IDs count as unknown.
func TestListReadsWorkloadsAndEveryImageIDForm(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("api", searchRepo+":1.2.0"), container("sidecar", "docker.io/library/nginx:1.27")}
	a.deployment(a.ns, "search-api", map[string]string{"app.kubernetes.io/version": "1.2.0"}, 3, 3, 3, cs...)
	a.pod(a.ns, "p1", "search-api", cs, map[string]string{
		"api": "docker-pullable://" + searchRepo + "@" + digestA, "sidecar": "docker.io/library/nginx@" + digestB})
	a.pod(a.ns, "p2", "search-api", cs, map[string]string{
		"api": searchRepo + "@" + digestA, "sidecar": "docker-pullable://nginx@" + digestB})
	a.pod(a.ns, "p3", "search-api", cs, map[string]string{"api": configC, "sidecar": "docker://" + configC})

	api := declared("search", "test", "api", searchRepo, digestA)
	api.Workload = "Deployment/search-api"
	proxy := declared("search", "test", "proxy", "nginx", "")
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("test", "kind-test", a.ns)}},
		kubetest.Context{Name: "kind-test", User: kubetest.Ferry})
	snap := src.List(t.Context(), []cluster.Target{{App: "search", Env: "test", Declared: []model.Declared{api, proxy}}})

	if len(snap.Problems) > 0 {
		t.Fatalf("problems: %v", snap.Problems)
	}
	if snap.Contexts["test"] != "kind-test" {
		t.Errorf("contexts = %v", snap.Contexts)
	}
	got := snap.Live[model.ImageKey{App: "search", Env: "test", Image: "api"}]
	if !sameCounts(got.Digests, map[string]int{digestA: 2, model.UnknownDigest: 1}) {
		t.Errorf("api digests = %v", got.Digests)
	}
	if got.Desired != 3 || got.Ready != 3 || got.Updated != 3 || !got.RolloutComplete {
		t.Errorf("api rollout = %+v", got)
	}
	if got.SpecImage != searchRepo+":1.2.0" || got.Version != "1.2.0" {
		t.Errorf("api spec image %q version %q", got.SpecImage, got.Version)
	}
	side := snap.Live[model.ImageKey{App: "search", Env: "test", Image: "proxy"}]
	if !sameCounts(side.Digests, map[string]int{digestB: 2, model.UnknownDigest: 1}) {
		t.Errorf("proxy (by repository) digests = %v", side.Digests)
	}
}

// TestListFindsOtherWorkloadKinds covers StatefulSets (by label),
// DaemonSets and Argo Rollouts (by ferry.yaml's workload), and reports an
// app with no workload as "not found" on its cell.
func TestListFindsOtherWorkloadKinds(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("db", "postgres:17")}
	tmpl := func(app string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": app}},
			Spec: corev1.PodSpec{Containers: cs}}
	}
	sel := func(app string) *metav1.LabelSelector {
		return &metav1.LabelSelector{MatchLabels: map[string]string{"app": app}}
	}
	sts := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "pg", Namespace: a.ns,
		Labels: map[string]string{"app.kubernetes.io/name": "orders-db"}},
		Spec: appsv1.StatefulSetSpec{Replicas: ptr.To[int32](1), Selector: sel("pg"), Template: tmpl("pg")}}
	_, err := a.kube.AppsV1().StatefulSets(a.ns).Create(a.ctx, sts, metav1.CreateOptions{})
	a.must(err)
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "node-agent", Namespace: a.ns},
		Spec: appsv1.DaemonSetSpec{Selector: sel("agent"), Template: tmpl("agent")}}
	_, err = a.kube.AppsV1().DaemonSets(a.ns).Create(a.ctx, ds, metav1.CreateOptions{})
	a.must(err)
	rollout := meta("argoproj.io/v1alpha1", "Rollout", a.ns, "canary-api", nil)
	rollout["spec"] = map[string]any{
		"replicas": int64(2), "selector": map[string]any{"matchLabels": map[string]any{"app": "canary"}},
		"template": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": "canary"}},
			"spec": map[string]any{"containers": []any{map[string]any{"name": "db", "image": "postgres:18"}}}},
	}
	a.custom(rolloutsGVR, rollout, map[string]any{"phase": "Progressing", "replicas": int64(2),
		"updatedReplicas": int64(1), "readyReplicas": int64(2), "availableReplicas": int64(2), "observedGeneration": "1"})
	a.pod(a.ns, "canary-1", "canary", cs, map[string]string{"db": "postgres@" + digestA})
	a.pod(a.ns, "canary-2", "canary", cs, map[string]string{"db": "postgres@" + digestB})
	a.pod(a.ns, "pg-0", "pg", cs, map[string]string{"db": "docker.io/library/postgres@" + digestA})
	a.pod(a.ns, "agent-x", "agent", cs, map[string]string{"db": "postgres@" + digestB})

	db := declared("orders-db", "test", "db", "postgres", "")
	db.AppLabel = "orders-db"
	targets := []cluster.Target{
		{App: "orders-db", Env: "test", Declared: []model.Declared{db}},
		{App: "agent", Env: "test", Workload: "DaemonSet/node-agent", Declared: []model.Declared{declared("agent", "test", "db", "postgres", "")}},
		{App: "canary", Env: "test", Workload: "Rollout/canary-api", Declared: []model.Declared{declared("canary", "test", "db", "postgres", "")}},
		{App: "ghost", Env: "test", Declared: []model.Declared{declared("ghost", "test", "ghost", "ghost", "")}},
	}
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("test", "c", a.ns)}},
		kubetest.Context{Name: "c", User: kubetest.Ferry})
	snap := src.List(t.Context(), targets)

	if got := snap.Live[model.ImageKey{App: "orders-db", Env: "test", Image: "db"}].Digests; !sameCounts(got, map[string]int{digestA: 1}) {
		t.Errorf("statefulset digests = %v", got)
	}
	if got := snap.Live[model.ImageKey{App: "agent", Env: "test", Image: "db"}].Digests; !sameCounts(got, map[string]int{digestB: 1}) {
		t.Errorf("daemonset digests = %v", got)
	}
	ro := snap.Live[model.ImageKey{App: "canary", Env: "test", Image: "db"}]
	if !sameCounts(ro.Digests, map[string]int{digestA: 1, digestB: 1}) || ro.Desired != 2 || ro.Updated != 1 ||
		ro.RolloutComplete || ro.SpecImage != "postgres:18" {
		t.Errorf("rollout live = %+v", ro)
	}
	if len(snap.Problems) != 1 || snap.Problems[0].App != "ghost" || snap.Problems[0].Source != "cluster" {
		t.Fatalf("want one not-found problem on ghost, got %v", snap.Problems)
	}
}

// TestListRollingMixedDigests: pods running two digests while the rollout
// is incomplete make the image "rolling".
func TestListRollingMixedDigests(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("api", searchRepo+":1.3.0")}
	a.deployment(a.ns, "search-api", nil, 3, 1, 3, cs...)
	oldReady, newReady := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	a.readyAt = metav1.NewTime(oldReady)
	a.pod(a.ns, "old-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	a.pod(a.ns, "old-2", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	a.readyAt = metav1.NewTime(newReady)
	a.pod(a.ns, "new-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestB})

	d := declared("search-api", "test", "api", searchRepo, digestB)
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("test", "c", a.ns)}},
		kubetest.Context{Name: "c", User: kubetest.Ferry})
	snap := src.List(t.Context(), []cluster.Target{{App: "search-api", Env: "test", Declared: []model.Declared{d}}})

	live, ok := snap.Live[model.ImageKey{App: "search-api", Env: "test", Image: "api"}]
	if !ok || !sameCounts(live.Digests, map[string]int{digestA: 2, digestB: 1}) || live.RolloutComplete {
		t.Fatalf("live = %+v (problems %v)", live, snap.Problems)
	}
	if st := model.ImageState(model.ImageFacts{Declared: &d, Live: &live}); st != model.StateRolling {
		t.Errorf("state = %s, want rolling", st)
	}
	// When each artifact's pods became ready: what the timeline shows.
	if !live.ReadyAt[digestA].Equal(oldReady) || !live.ReadyAt[digestB].Equal(newReady) {
		t.Errorf("readyAt = %v, want %s at %s and %s at %s", live.ReadyAt, digestA, oldReady, digestB, newReady)
	}
}

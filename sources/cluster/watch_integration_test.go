package cluster_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// TestWatchFollowsChangesAcrossAServerRestart runs its own server (so the
// shared one stays up, and so no controller CRD is installed): Watch sees a
// pod change, reports the context unreachable when the API server dies
// mid-watch, clears that once it is back, and keeps following changes.
func TestWatchFollowsChangesAcrossAServerRestart(t *testing.T) {
	needKube(t)
	s := kubetest.Start(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("api", searchRepo+":1")}
	a.deployment(a.ns, "search-api", nil, 2, 2, 2, cs...)
	p1 := a.pod(a.ns, "api-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	p2 := a.pod(a.ns, "api-2", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})

	key := model.ImageKey{App: "search-api", Env: "prod", Image: "api"}
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("prod", "kind-prod", a.ns)}},
		kubetest.Context{Name: "kind-prod", User: kubetest.Ferry})
	snaps := watch(t, src, []cluster.Target{{App: "search-api", Env: "prod",
		Declared: []model.Declared{declared("search-api", "prod", "api", searchRepo, digestB)}}})
	digests := func(want map[string]int) func(cluster.Snapshot) bool {
		return func(s cluster.Snapshot) bool {
			return len(s.Problems) == 0 && sameCounts(s.Live[key].Digests, want)
		}
	}

	waitFor(t, snaps, "two pods on A", digests(map[string]int{digestA: 2}))
	a.setImageIDs(p1, map[string]string{"api": searchRepo + "@" + digestB})
	waitFor(t, snaps, "one pod moved to B", digests(map[string]int{digestA: 1, digestB: 1}))

	s.StopAPIServer()
	down := waitFor(t, snaps, "the context reported unreachable", func(s cluster.Snapshot) bool {
		return slices.ContainsFunc(problemsOn(s, "prod"), func(m string) bool {
			return strings.Contains(m, `context "kind-prod"`) && strings.Contains(m, "unreachable")
		})
	})
	if _, ok := down.Live[key]; !ok {
		t.Errorf("last known facts dropped while the server is down")
	}
	if err := s.StartAPIServer(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, snaps, "the problem cleared", func(s cluster.Snapshot) bool { return len(s.Problems) == 0 })
	a.setImageIDs(fresh(t, a, p2), map[string]string{"api": searchRepo + "@" + digestB})
	waitFor(t, snaps, "both pods on B after the restart", digests(map[string]int{digestB: 2}))
}

// fresh re-reads a pod after the restart, polling until the API answers.
func fresh(t *testing.T, a *admin, p *corev1.Pod) *corev1.Pod {
	t.Helper()
	var out *corev1.Pod
	err := wait.PollUntilContextTimeout(a.ctx, 100*time.Millisecond, kubetest.Scale(time.Minute), true, func(ctx context.Context) (bool, error) {
		got, err := a.kube.CoreV1().Pods(p.Namespace).Get(ctx, p.Name, metav1.GetOptions{})
		out = got
		return err == nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFerryOnlyReads proves from the API server's audit log that every
// request ferry made — List and Watch, in this and every earlier test of
// the shared server — was a get, list or watch.
func TestFerryOnlyReads(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("api", searchRepo+":1")}
	a.deployment(a.ns, "search-api", nil, 1, 1, 1, cs...)
	a.pod(a.ns, "api-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	targets := []cluster.Target{{App: "search-api", Env: "prod",
		Declared: []model.Declared{declared("search-api", "prod", "api", searchRepo, digestA)}}}
	src := ferrySource(t, s, cluster.Options{Environments: model.Environments{env("prod", "prod", a.ns)}},
		kubetest.Context{Name: "prod", User: kubetest.Ferry})
	src.List(t.Context(), targets)
	waitFor(t, watch(t, src, targets), "the pod", func(s cluster.Snapshot) bool {
		return s.Live[model.ImageKey{App: "search-api", Env: "prod", Image: "api"}].Digests[digestA] == 1
	})

	events, err := s.AuditEvents(kubetest.Ferry)
	if err != nil {
		t.Fatal(err)
	}
	verbs := map[string]int{}
	for _, ev := range events {
		verbs[ev.Verb]++
		if ev.Verb != "get" && ev.Verb != "list" && ev.Verb != "watch" {
			t.Errorf("ferry sent %s %s", ev.Verb, ev.RequestURI)
		}
	}
	if verbs["list"] == 0 || verbs["watch"] == 0 {
		t.Errorf("audit log lacks ferry's lists and watches: %v", verbs)
	}
	t.Logf("ferry's requests by verb: %v", verbs)
}

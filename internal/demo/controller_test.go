package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
)

// pushEdit pushes one edit as a user of the demo would.
func pushEdit(t *testing.T, w *World, file string, edit func(string) string) string {
	t.Helper()
	hash, err := w.Push(file, "Edit "+file, edit)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

// waitFor reads events until one matches. The deadline only turns a hung
// controller into a failure; it never paces the test.
func waitFor(t *testing.T, w *World, match func(Event) bool) Event {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case e := <-w.Events:
			if e.Kind == ReconcileFailed {
				t.Fatalf("controller: %s", e)
			}
			if match(e) {
				return e
			}
		case <-deadline:
			t.Fatal("the controller never reported the expected step")
		}
	}
}

func is(kind EventKind, app, env string) func(Event) bool {
	return func(e Event) bool { return e.Kind == kind && e.App == app && e.Env == env }
}

// TestCommitIsReconciled promotes catalog 4.3.0 from staging to prod-us,
// where it was behind, and follows the cell through pending, rolling and
// in sync, reading it each time through ferry's own sources.
func TestCommitIsReconciled(t *testing.T) {
	ctx := context.Background()
	step := make(chan struct{})
	w := startWorld(t, Options{ReconcileDelay: time.Millisecond, PollInterval: time.Millisecond, step: step})
	state := func() model.State { return readGrid(t, ctx, w).Cell("catalog", "prod-us").State }
	if s := state(); s != model.StateBehind {
		t.Fatalf("before the promotion catalog@prod-us is %s, want behind", s)
	}

	commit := pushEdit(t, w, "apps/catalog/overlays/prod-us/kustomization.yaml",
		setBuild(w.builds["catalog"][2], w.builds["catalog"][3]))
	waitFor(t, w, func(e Event) bool { return e.Kind == CommitSeen && e.Commit == commit })
	updated := waitFor(t, w, is(DeploymentUpdated, "catalog", "prod-us"))
	if want := w.builds["catalog"][3].Digest; updated.Digest != want {
		t.Fatalf("rolling out %s, want staging's %s", updated.Digest, want)
	}
	if s := state(); s != model.StatePending {
		t.Errorf("deployment updated, no pod replaced: %s, want pending", s)
	}
	step <- struct{}{}
	waitFor(t, w, is(PodReplaced, "catalog", "prod-us"))
	if s := state(); s != model.StateRolling {
		t.Errorf("one pod replaced of two: %s, want rolling", s)
	}
	step <- struct{}{}
	synced := waitFor(t, w, is(AppSynced, "catalog", "prod-us"))
	if synced.Commit != commit {
		t.Errorf("synced %s, want the pushed commit %s", synced.Commit, commit)
	}
	if s := state(); s != model.StateInSync {
		t.Errorf("after the rollout: %s, want in-sync", s)
	}
	assertRunsOnly(t, w, "prod-us", "catalog", updated.Digest)
	assertApplication(t, w, "prod-us", "catalog-prod-us", commit)
}

// assertRunsOnly checks every pod of app reports digest.
func assertRunsOnly(t *testing.T, w *World, env, app, digest string) {
	t.Helper()
	pods, err := w.Clusters[env].Kube.CoreV1().Pods(namespace).List(context.Background(),
		metav1.ListOptions{LabelSelector: labelName + "=" + app})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := w.Clusters[env].Kube.AppsV1().Deployments(namespace).Get(context.Background(), app, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pods.Items) != int(*dep.Spec.Replicas) {
		t.Errorf("%s@%s has %d pods, want %d", app, env, len(pods.Items), *dep.Spec.Replicas)
	}
	for _, p := range pods.Items {
		if id := p.Status.ContainerStatuses[0].ImageID; !strings.HasSuffix(id, "@"+digest) {
			t.Errorf("pod %s reports %s, want %s", p.Name, id, digest)
		}
	}
	if img := dep.Spec.Template.Spec.Containers[0].Image; !strings.HasSuffix(img, "@"+digest) {
		t.Errorf("deployment wants %s, want %s", img, digest)
	}
}

// assertApplication checks the Application reports the commit synced.
func assertApplication(t *testing.T, w *World, env, name, commit string) {
	t.Helper()
	u, err := w.Clusters[env].Dynamic.Resource(applicationsGVR).Namespace(argoNamespace).
		Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rev, _, _ := unstructured.NestedString(u.Object, "status", "sync", "revision")
	sync, _, _ := unstructured.NestedString(u.Object, "status", "sync", "status")
	health, _, _ := unstructured.NestedString(u.Object, "status", "health", "status")
	if rev != commit || sync != "Synced" || health != "Healthy" {
		t.Errorf("%s: %s %s at %s, want Synced Healthy at %s", name, sync, health, rev, commit)
	}
}

// TestManualSyncStaysPending pushes to the one Application that syncs by
// hand: the controller says so and leaves the cluster alone.
func TestManualSyncStaysPending(t *testing.T) {
	w := startWorld(t, Options{ReconcileDelay: time.Millisecond, PollInterval: time.Millisecond})
	builds := w.builds["checkout"]
	commit := pushEdit(t, w, "apps/checkout/overlays/prod-us/kustomization.yaml", setBuild(builds[4], builds[2]))
	e := waitFor(t, w, is(SyncSkipped, "checkout", "prod-us"))
	if e.Commit != commit {
		t.Errorf("skipped %s, want %s", e.Commit, commit)
	}
	assertRunsOnly(t, w, "prod-us", "checkout", builds[3].Digest)
}

// TestNewCellIsDeployed declares recommendations in prod-us, where it was
// missing: the controller creates its Application, Deployment and pods.
func TestNewCellIsDeployed(t *testing.T) {
	ctx := context.Background()
	w := startWorld(t, Options{ReconcileDelay: time.Millisecond, RolloutStep: time.Millisecond, PollInterval: time.Millisecond})
	if s := readGrid(t, ctx, w).Cell("recommendations", "prod-us").State; s != model.StateMissing {
		t.Fatalf("recommendations@prod-us is %s, want missing", s)
	}
	overlay, err := os.ReadFile(filepath.Join(w.RepoDir, "apps/recommendations/overlays/prod-eu/kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	commit := pushEdit(t, w, "apps/recommendations/overlays/prod-us/kustomization.yaml",
		func(string) string { return string(overlay) })
	synced := waitFor(t, w, is(AppSynced, "recommendations", "prod-us"))
	if synced.Commit != commit {
		t.Errorf("synced %s, want %s", synced.Commit, commit)
	}
	assertRunsOnly(t, w, "prod-us", "recommendations", w.builds["recommendations"][2].Digest)
	assertApplication(t, w, "prod-us", "recommendations-prod-us", commit)
	if s := readGrid(t, ctx, w).Cell("recommendations", "prod-us").State; s != model.StateInSync {
		t.Errorf("after the rollout: %s, want in-sync", s)
	}
}

// TestWatchFollowsTheRollout reads the clusters the way the console will,
// through sources/cluster's informers, and sees a pushed promotion arrive
// on every pod.
func TestWatchFollowsTheRollout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := startWorld(t, Options{ReconcileDelay: time.Millisecond, RolloutStep: time.Millisecond, PollInterval: time.Millisecond})
	repo, err := gitops.Open(w.RepoDir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	res := gitops.Read(tree)
	snaps := make(chan cluster.Snapshot)
	go cluster.NewFromClients(cluster.Options{Environments: res.Environments}, w.Clusters).Watch(ctx, targets(res), snaps)

	key := model.ImageKey{App: "catalog", Env: "prod-us", Image: "catalog"}
	builds := w.builds["catalog"]
	waitSnapshot(t, snaps, func(s cluster.Snapshot) bool { return s.Live[key].Digests[builds[2].Digest] == 2 })
	pushEdit(t, w, "apps/catalog/overlays/prod-us/kustomization.yaml", setBuild(builds[2], builds[3]))
	waitSnapshot(t, snaps, func(s cluster.Snapshot) bool {
		lf := s.Live[key]
		return lf.Digests[builds[3].Digest] == 2 && len(lf.Digests) == 1 && lf.RolloutComplete
	})
}

// waitSnapshot reads snapshots until one satisfies ok; the deadline only
// turns a hang into a failure.
func waitSnapshot(t *testing.T, snaps <-chan cluster.Snapshot, ok func(cluster.Snapshot) bool) {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case s := <-snaps:
			if ok(s) {
				return
			}
		case <-deadline:
			t.Fatal("the cluster watch never showed the expected pods")
		}
	}
}

// TestBrokenCommitIsReported pushes an overlay that is not YAML: the
// controller says what it cannot apply and leaves the cell running.
func TestBrokenCommitIsReported(t *testing.T) {
	w := startWorld(t, Options{ReconcileDelay: time.Millisecond, RolloutStep: time.Millisecond, PollInterval: time.Millisecond})
	commit := pushEdit(t, w, "apps/catalog/overlays/prod-us/kustomization.yaml",
		func(s string) string { return s + "images: [unclosed\n" })
	deadline := time.After(time.Minute)
	for {
		select {
		case e := <-w.Events:
			if e.Kind != ReconcileFailed {
				continue
			}
			if e.App != "catalog" || e.Env != "prod-us" || e.Commit != commit ||
				!strings.Contains(e.Err.Error(), "apps/catalog/overlays/prod-us/kustomization.yaml") {
				t.Fatalf("failure reported as %s", e)
			}
			assertRunsOnly(t, w, "prod-us", "catalog", w.builds["catalog"][2].Digest)
			return
		case <-deadline:
			t.Fatal("the controller never reported the broken overlay")
		}
	}
}

package demo

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// TestRegistryHoldsTheBuilds asks the registry over its loopback port, as
// any client would, for every tag, and checks the one that moved.
func TestRegistryHoldsTheBuilds(t *testing.T) {
	w := startWorld(t, Options{})
	if host, _, _ := net.SplitHostPort(w.RegistryHost); host != "127.0.0.1" {
		t.Fatalf("registry listens on %s, want loopback only", w.RegistryHost)
	}
	indexes := 0
	for _, app := range appPlans {
		for n, b := range w.builds[app.Name] {
			ref, err := name.NewTag(w.RegistryHost+"/shop/"+app.Name+":"+b.Version, name.Insecure)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := remote.Head(ref)
			if err != nil {
				t.Fatalf("%s: %v", ref, err)
			}
			rebuilt := app.Rebuilt && n == len(app.Versions)-1
			if got := desc.Digest.String(); (got == b.Digest) == rebuilt {
				t.Errorf("%s resolves to %s; build digest %s, rebuilt %v", ref, got, b.Digest, rebuilt)
			}
			if desc.MediaType.IsIndex() != app.MultiArch {
				t.Errorf("%s: index %v, want %v", ref, desc.MediaType.IsIndex(), app.MultiArch)
			}
			if b.Index {
				indexes++
			}
		}
	}
	if indexes == 0 {
		t.Error("no multi-arch build")
	}
}

// TestPodsMatchTheRegistry checks every pod's imageID names a digest the
// registry holds for its app, in each runtime form, and that the drifted
// cell runs something else than Git declares.
func TestPodsMatchTheRegistry(t *testing.T) {
	w := startWorld(t, Options{})
	forms := map[string]bool{}
	for _, env := range envPlans {
		c := w.clusters[env.Name]
		pods, err := c.kube.Tracker().List(podsGVR, podsGVK, namespace)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range podItems(pods) {
			app := p.Labels[labelName]
			id := p.Status.ContainerStatuses[0].ImageID
			digest := id[strings.LastIndex(id, "@")+1:]
			form := checkForm(t, w.builds[app], id, digest)
			forms[form] = true
			if !strings.HasPrefix(strings.TrimPrefix(id, "docker-pullable://"), w.RegistryHost+"/shop/"+app+"@") {
				t.Errorf("pod %s/%s reports %s: not this app's repository", env.Name, p.Name, id)
			}
		}
	}
	for _, f := range []string{"index", "platform", "manifest", "docker-pullable"} {
		if !forms[f] {
			t.Errorf("no pod reports its image in the %s form", f)
		}
	}
	dep, err := w.Clusters["prod-eu"].Kube.AppsV1().Deployments(namespace).Get(context.Background(), "payments", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	declared, err := os.ReadFile(filepath.Join(w.RepoDir, "apps/payments/overlays/prod-eu/kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	running := dep.Spec.Template.Spec.Containers[0].Image
	if digest := running[strings.LastIndex(running, "@")+1:]; strings.Contains(string(declared), digest) {
		t.Errorf("payments@prod-eu runs %s, which Git declares: no drift", running)
	}
}

// checkForm says which form an imageID has, failing when its digest is no
// build of the app.
func checkForm(t *testing.T, builds []build, id, digest string) string {
	t.Helper()
	for _, b := range builds {
		switch {
		case strings.HasPrefix(id, "docker-pullable://") && digest == b.Digest:
			return "docker-pullable"
		case digest == b.Digest && b.Index:
			return "index"
		case digest == b.Digest:
			return "manifest"
		case digest == b.Platform:
			return "platform"
		}
	}
	t.Errorf("imageID %s names no build of its app", id)
	return ""
}

// TestSameSeedSameWorld starts two worlds with one seed and a third with
// another: the same seed gives the same digests, objects and files (the
// registry port aside).
func TestSameSeedSameWorld(t *testing.T) {
	a, b := startWorld(t, Options{Seed: 7}), startWorld(t, Options{Seed: 7})
	c := startWorld(t, Options{Seed: 8})
	for _, app := range appPlans {
		for n := range a.builds[app.Name] {
			if a.builds[app.Name][n] != b.builds[app.Name][n] {
				t.Errorf("%s build %d differs between two runs with seed 7", app.Name, n)
			}
			if a.builds[app.Name][n].Digest == c.builds[app.Name][n].Digest {
				t.Errorf("%s build %d is the same with seeds 7 and 8", app.Name, n)
			}
		}
	}
	for _, file := range []string{"ferry.yaml", "charts/cart/values-staging.yaml", "apps/checkout/overlays/prod-us/kustomization.yaml"} {
		fa := readWithoutHost(t, a, file)
		if fb := readWithoutHost(t, b, file); fa != fb {
			t.Errorf("%s differs between two runs with seed 7:\n%s\n---\n%s", file, fa, fb)
		}
	}
	podsA := podNames(t, a.Clusters["staging"])
	if podsB := podNames(t, b.Clusters["staging"]); strings.Join(podsA, ",") != strings.Join(podsB, ",") {
		t.Errorf("pods differ between two runs with seed 7: %v, %v", podsA, podsB)
	}
}

func readWithoutHost(t *testing.T, w *World, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(w.RepoDir, file))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), w.RegistryHost, "REGISTRY")
}

func podNames(t *testing.T, c cluster.Clients) []string {
	t.Helper()
	pods, err := c.Kube.CoreV1().Pods(namespace).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pods.Items {
		out = append(out, p.Name)
	}
	return out
}

// TestCloseLeavesNothing closes a world and finds its folder gone and its
// port refusing connections; closing again is harmless.
func TestCloseLeavesNothing(t *testing.T) {
	w, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(w.RepoDir)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, root, w.RegistryHost)
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestCancelLeavesNothing cancels the context the world started with.
func TestCancelLeavesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(w.RepoDir)
	cancel()
	// Close waits for the shutdown the cancellation started.
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, root, w.RegistryHost)
}

func assertGone(t *testing.T, root, host string) {
	t.Helper()
	if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there after Close (%v)", root, err)
	}
	conn, err := net.DialTimeout("tcp", host, time.Second)
	if err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after Close", host)
	}
}

// TestKeepAndDir keeps the repos where asked, refuses a folder with files,
// and the kept repo reads as the same world.
func TestKeepAndDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	w := startWorld(t, Options{Dir: dir})
	if !w.Kept || !strings.HasPrefix(w.RepoDir, dir) {
		t.Fatalf("repo at %s (kept %v), want under %s, kept", w.RepoDir, w.Kept, dir)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(w.RepoDir, model.ConfigFile)); err != nil {
		t.Errorf("kept repo lost its ferry.yaml: %v", err)
	}
	assertClean(t, w.RepoDir)
	if _, err := Start(context.Background(), Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("starting in a folder with files: %v, want a refusal", err)
	}
	kept := startWorld(t, Options{Keep: true})
	if err := kept.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(kept.RepoDir); err != nil {
		t.Errorf("Keep: repo gone after Close: %v", err)
	}
	os.RemoveAll(filepath.Dir(kept.RepoDir))
}

// assertClean checks the clone's work tree and index match its HEAD, as
// after a git clone.
func assertClean(t *testing.T, dir string) {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	st, err := wt.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsClean() {
		t.Errorf("fresh clone %s is not clean:\n%s", dir, st)
	}
}

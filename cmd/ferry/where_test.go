package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/config"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/internal/reach"
	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
)

// pushLabelled pushes an image whose config carries the OCI source and
// (when given) revision labels; it returns its digest.
func pushLabelled(t *testing.T, host, repoTag, revision string) string {
	t.Helper()
	labels := map[string]string{"org.opencontainers.image.source": "https://github.com/acme/web"}
	if revision != "" {
		labels["org.opencontainers.image.revision"] = revision
	}
	return pushWithLabels(t, host, repoTag, labels)
}

// pushWithLabels pushes a small random image with these config labels.
func pushWithLabels(t *testing.T, host, repoTag string, labels map[string]string) string {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	if img, err = mutate.Config(img, v1.Config{Labels: labels}); err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(host+"/"+repoTag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	return d.String()
}

// whereWorld is an app repo with a merged feature branch, images built
// from its commits in a registry on loopback, and a GitOps repo whose
// environments declare them: dev the merge, prod the first commit,
// sandbox an image without a revision label.
type whereWorld struct {
	gitops, app      string
	first, feature   string
	merge, unrelated string
}

func newWhereWorld(t *testing.T) whereWorld {
	t.Helper()
	app := testrepo.FromDir(t, t.TempDir())
	app.Write("main.go", "package main // 1\n")
	first := app.Commit("first")
	if _, err := app.Git.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"git@github.com:acme/web.git"}}); err != nil {
		t.Fatal(err)
	}
	feature := app.CommitOnBranch("feature", map[string]string{"main.go": "package main // feature\n"})
	app.Write("README", "web\n")
	app.Commit("docs on main")
	merge := app.Merge("feature")

	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	host := u.Host
	digests := map[string]string{
		"2": pushLabelled(t, host, "acme/web:2", merge),
		"1": pushLabelled(t, host, "acme/web:1", first),
		"x": pushLabelled(t, host, "acme/web:x", ""),
	}
	ops := testrepo.FromDir(t, t.TempDir())
	ops.Write("ferry.yaml", "environments:\n  - name: dev\n  - name: sandbox\n  - name: prod\nregistries:\n  "+host+":\n    insecure: true\n")
	for env, tag := range map[string]string{"dev": "2", "sandbox": "x", "prod": "1"} {
		ops.Write("envs/"+env+"/web/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n"+
			"        - name: web\n          image: "+host+"/acme/web:"+tag+"@"+digests[tag]+"\n")
	}
	ops.Commit("web in three environments")
	return whereWorld{gitops: ops.Dir, app: app.Dir, first: first, feature: feature, merge: merge}
}

func whereJSON(t *testing.T, w whereWorld, wantCode int, args ...string) reach.Output {
	t.Helper()
	out, errOut, code := ferry(t, append([]string{"where", "--repo", w.gitops, "--app-repo", w.app, "--sources", "git,registry", "-o", "json"}, args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d: %s", code, wantCode, errOut)
	}
	var o reach.Output
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	return o
}

func reaches(o reach.Output) map[string]reach.Answer {
	out := map[string]reach.Answer{}
	for _, a := range o.Answers {
		out[a.Env] = a
	}
	return out
}

func TestWhereSaysHowFarACommitHasCome(t *testing.T) {
	w := newWhereWorld(t)

	// The feature commit: merged into what dev runs, not in prod's first commit.
	o := whereJSON(t, w, exitFindings, w.feature)
	got := reaches(o)
	if a := got["dev"]; a.Reach != model.ReachContained || a.Revision != w.merge || a.Truth != "declared" {
		t.Errorf("dev: %+v, want contained in the merge", a)
	}
	if a := got["prod"]; a.Reach != model.ReachNotYet || a.Behind != 1 || a.Revision != w.first {
		t.Errorf("prod: %+v, want not yet, 1 commit behind (the feature)", a)
	}
	if a := got["sandbox"]; a.Reach != model.ReachUnknown || !strings.Contains(a.Note, "no org.opencontainers.image.revision") {
		t.Errorf("sandbox: %+v, want unknown", a)
	}
	if o.Furthest != "dev" {
		t.Errorf("furthest = %q, want dev", o.Furthest)
	}

	// The merge itself runs exactly in dev, and dev alone answers yes.
	o = whereJSON(t, w, 0, w.merge[:10], "--env", "dev")
	if a := reaches(o)["dev"]; len(o.Answers) != 1 || a.Reach != model.ReachExactly {
		t.Errorf("answers %+v, want dev exactly", o.Answers)
	}

	// The first commit is in every environment that names a revision.
	if a := reaches(whereJSON(t, w, exitFindings, w.first))["prod"]; a.Reach != model.ReachExactly {
		t.Errorf("prod for the first commit: %+v", a)
	}

	_, errOut, code := ferry(t, "where", "--repo", w.gitops, "--app-repo", w.app, "--sources", "git", "0123456789abcdef0123456789abcdef01234567")
	if code != exitFailure || !strings.Contains(errOut, "is not in the app repo") {
		t.Errorf("a commit the app repo lacks: exit %d, %q", code, errOut)
	}
}

// TestWhereClonesTheSourceTheImagesName: run outside the app's repo (the
// tests run inside ferry's own), where asks the repo the images' source
// label names, cloned into the cache.
func TestWhereClonesTheSourceTheImagesName(t *testing.T) {
	app := testrepo.FromDir(t, t.TempDir())
	app.Write("main.go", "package main // 1\n")
	first := app.Commit("first")
	app.Write("main.go", "package main // 2\n")
	second := app.Commit("second")

	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	source := "file://" + app.Dir
	digest := pushWithLabels(t, u.Host, "acme/web:2", map[string]string{
		"org.opencontainers.image.source": source, "org.opencontainers.image.revision": second})
	ops := testrepo.FromDir(t, t.TempDir())
	ops.Write("ferry.yaml", "environments:\n  - name: dev\nregistries:\n  "+u.Host+":\n    insecure: true\n")
	ops.Write("envs/dev/web/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n"+
		"        - name: web\n          image: "+u.Host+"/acme/web:2@"+digest+"\n")
	ops.Commit("web in dev")

	out, errOut, code := ferry(t, "where", first[:10], "--repo", ops.Dir, "--app", "web", "--sources", "git,registry", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "asking "+source+", the source repo its images name") {
		t.Errorf("the user is not told which repo was asked: %q", errOut)
	}
	var o reach.Output
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	if dev := reaches(o)["dev"]; dev.Reach != model.ReachContained {
		t.Errorf("dev = %+v, want contained (it runs the second commit)", dev)
	}
}

// TestSameRepo: repos on disk have no web form; two different ones must not
// match (a CI clone of a local path passed for every local source repo).
func TestSameRepo(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"https://github.com/acme/web", "git@github.com:acme/web.git", true},
		{"https://github.com/acme/web", "https://github.com/acme/api", false},
		{"file:///tmp/app", "/work/main", false},
		{"file:///tmp/app", "/tmp/app/", true},
		{"/tmp/app/.git", "/tmp/app", true},
		{"file:///tmp/app", "https://github.com/acme/web", false},
		{"", "", false},
	} {
		if got := sameRepo(c.a, c.b); got != c.want {
			t.Errorf("sameRepo(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

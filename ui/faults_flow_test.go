package ui_test

import (
	"os"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/internal/uirelease"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/ui"
)

// TestRegistryFaultsShowOnTheirCellsAndClearWithoutARestart breaks the
// demo's registry in each way a registry fails over HTTP, in a running
// console: the words are on the cells' detail and the progress line, the
// rest of the console works (the clusters' column, moving, the detail),
// and once the registry answers again a re-read (R) brings every cell
// back — no restart.
func TestRegistryFaultsShowOnTheirCellsAndClearWithoutARestart(t *testing.T) {
	nettest.Deadlines(t, netwait.Deadlines{Connect: 5 * time.Second, Answer: 500 * time.Millisecond})

	f := startFlow(t, false)
	f.see("registry ✓ 11", "↑ 4.2.0", "staging ✓")
	f.keys("enter")
	f.see("storefront in dev", "digest    sha256:")
	for _, fault := range []struct {
		kind  demo.RegistryFault
		words string
	}{
		{401, "not authorized to read shop/storefront — run docker login"},
		{403, "access to shop/storefront is denied (403 Forbidden)"},
		{404, "tag 1.11.0 not found in shop/storefront"},
		{429, "rate limited (429 Too Many Requests)"},
		{503, "server error (503 Service Unavailable)"},
		{demo.Hang, "accepted the connection but did not answer within 500ms"},
	} {
		f.w.BreakRegistry(fault.kind)
		f.keys("R")
		f.see("storefront in dev  ✖ error", fault.words, "registry ✖ 11 of 11 failing", "staging ✓")
		f.keys("esc", "j") // the grid still moves
		f.see("APP", "row 2/8")
		f.keys("k", "enter")
		f.see("storefront in dev", fault.words)

		f.w.HealRegistry()
		f.keys("R")
		f.see("registry ✓ 11", "digest    sha256:")
	}
	f.keys("esc")
	f.see("↑ 4.2.0") // catalog in prod-us is behind again, as before any fault
}

// TestClusterFaultsShowOnTheirColumnAndClearWithoutARestart: a demo
// cluster goes down, then refuses pods by RBAC, then drops its watches, in
// a running console. The fault is on its column in plain words while the
// other columns go on; when it heals the column comes back on its own (no
// key, no restart); after a dropped watch the cells still follow a push.
func TestClusterFaultsShowOnTheirColumnAndClearWithoutARestart(t *testing.T) {
	f := startFlow(t, false)
	f.see("registry ✓ 11", "prod-us ✓", "staging ✓")
	f.keys("/", "catal", "enter", "l", "l", "l", "enter") // catalog in prod-us
	f.see("catalog in prod-us  ↑ behind", "✓ 2 pod(s)")
	for _, fault := range []struct {
		kind           demo.ClusterFault
		column, detail string
	}{
		{demo.ClusterDown, "prod-us ✖ unreachable", `context "demo-prod-us": API server unreachable`},
		{demo.ClusterForbidden, "prod-us ✖ forbidden", "forbidden by RBAC"},
	} {
		if err := f.w.BreakCluster("prod-us", fault.kind); err != nil {
			t.Fatal(err)
		}
		f.see(fault.column, fault.detail, "staging ✓", "prod-eu ✓")
		f.keys("esc", "j") // the grid still moves
		f.see("APP", "row 1/1")
		f.keys("enter")
		if err := f.w.HealCluster("prod-us"); err != nil {
			t.Fatal(err)
		}
		f.see("prod-us ✓", "catalog in prod-us  ↑ behind", "✓ 2 pod(s)")
	}

	if err := f.w.BreakCluster("prod-us", demo.WatchDropped); err != nil {
		t.Fatal(err)
	}
	edit, err := f.w.SetBuild("catalog", "4.2.0", "4.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.w.Push("apps/catalog/overlays/prod-us/kustomization.yaml", "Promote catalog 4.3.0 to prod-us", edit); err != nil {
		t.Fatal(err)
	}
	f.see("catalog in prod-us  ✓ in-sync")
}

// TestAPushToAnOfflineRemoteKeepsThePlan: the console works on the demo's
// clone, whose origin goes away while a promotion is committed. The push
// fails in words naming it, the staged change stays (nothing lost), the
// branch is put back; with the remote back, the same commit lands.
func TestAPushToAnOfflineRemoteKeepsThePlan(t *testing.T) {
	f, repo := startReleaseFlowOnTheClone(t)
	f.see("registry ✓ 11", "↑ 4.2.0")
	before, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	f.keys("/", "catal", "enter", "l", "l", "l", "p")
	f.see("staged: promote catalog 4.3.0 to prod-us", "✎ 4.2.0→4.3")

	away := f.w.RemoteDir + ".away"
	if err := os.Rename(f.w.RemoteDir, away); err != nil {
		t.Fatal(err)
	}
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0")
	f.commitProtected("prod-us")
	f.see("not committed, the staged changes are kept: push to ")
	f.keys("esc")
	f.see("✎ 4.2.0→4.3") // still staged
	if head, _ := repo.Head(); head != before {
		t.Errorf("the failed push left the branch at %s, want it back at %s", head, before)
	}

	if err := os.Rename(away, f.w.RemoteDir); err != nil {
		t.Fatal(err)
	}
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0")
	f.commitProtected("prod-us")
	f.see("committed ")
	remote, err := gitops.Open(f.w.RemoteDir)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := remote.Head(); h == f.w.Head {
		t.Error("the remote's branch did not move once it was back")
	}
}

// startReleaseFlowOnTheClone is a flow over the demo's clone, which pushes
// to the demo's remote, whose console commits through the real releaser as
// "captain"; it returns the clone too.
func startReleaseFlowOnTheClone(t *testing.T) (*flow, *gitops.Repo) {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	var repo *gitops.Repo
	f := startFlowOn(t, func(w *demo.World) string { return w.RepoDir }, false, func(o *ui.Options, r *gitops.Repo) {
		repo = r
		o.Releaser = uirelease.Releaser{Rel: &release.Releaser{Repo: r, Read: gitops.Read}, Write: gitwrite.Options{Push: true}}
	})
	return f, repo
}

// commitProtected commits the review's plan, typing the protected
// environment's name when asked.
func (f *flow) commitProtected(env string) {
	f.t.Helper()
	f.keys("c")
	f.see("commit: ")
	f.keys("enter")
	f.see("protected: type " + env + " to commit")
	f.keys(env, "enter")
}

// TestAGitHostThatRefusesThePushKeepsThePlan: the demo's clone pushes to
// its remote served over HTTP by git's own http-backend. The host first
// wants a token, then its pre-receive hook declines (a protected branch);
// each time the status line says why, the change stays staged and nothing
// moves on the host; with the token given and the hook gone, the same
// commit lands — no restart.
func TestAGitHostThatRefusesThePushKeepsThePlan(t *testing.T) {
	t.Setenv("FERRY_GIT_TOKEN", "")
	f, repo := startReleaseFlowOnTheClone(t)
	host := nettest.GitHTTP(t, f.w.RemoteDir)
	host.RequireToken("s3cret")
	setOrigin(t, repo, host.URL)
	f.see("registry ✓ 11", "↑ 4.2.0")
	f.keys("/", "catal", "enter", "l", "l", "l", "p")
	f.see("staged: promote catalog 4.3.0 to prod-us", "✎ 4.2.0→4.3")

	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0")
	f.commitProtected("prod-us")
	// The notice wraps at the screen's width: each piece is within a line.
	f.see("not committed, the staged changes are kept: ", "wants credentials", "set FERRY_GIT_TOKEN to a token allowed to push")
	f.keys("esc")
	f.see("✎ 4.2.0→4.3")

	t.Setenv("FERRY_GIT_TOKEN", "s3cret")
	host.Decline(t, "main is protected: changes go through pull requests")
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0")
	f.commitProtected("prod-us")
	f.see("not committed, the staged changes are kept: ", "declined the push", "pre-receive hook declined", "if the branch is protected")
	f.keys("esc")
	f.see("✎ 4.2.0→4.3")
	if h, _ := remoteMain(t, f.w.RemoteDir); h != f.w.Head {
		t.Fatalf("a refused push moved the host's main to %s", h)
	}

	host.Decline(t, "")
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0")
	f.commitProtected("prod-us")
	f.see("committed ", "and pushed to main")
	if h, _ := remoteMain(t, f.w.RemoteDir); h == f.w.Head {
		t.Error("the host's main did not move once it took the push")
	}
}

// setOrigin points the repo's origin at url.
func setOrigin(t *testing.T, repo *gitops.Repo, url string) {
	t.Helper()
	cfg, err := repo.Git().Config()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Remotes["origin"].URLs = []string{url}
	if err := repo.Git().SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
}

// remoteMain is where the bare repository's main is.
func remoteMain(t *testing.T, dir string) (string, error) {
	t.Helper()
	remote, err := gitops.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return remote.Head()
}

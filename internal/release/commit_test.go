package release

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
)

func TestCommitPushesTheReviewedEditsWithTrailers(t *testing.T) {
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	repo, wt := overlayWorkTree(t)
	bare := wt.BareRemote()
	r := &Releaser{Repo: repo, Read: gitops.Read}
	res, err := r.Commit(context.Background(), promoteProd(), Message{Reason: "INC-42"}, gitwrite.Options{Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Pushed {
		t.Fatalf("result = %+v, want pushed", res)
	}
	remote, _ := git.PlainOpen(bare)
	c, err := remote.CommitObject(plumbing.NewHash(res.Commit))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"promote search 1.1.0 to prod", "Ferry-Kind: promote", "Ferry-Env: prod", "Ferry-To: " + digestB, "Ferry-Reason: INC-42"} {
		if !strings.Contains(c.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, c.Message)
		}
	}
	got, _ := os.ReadFile(filepath.Join(wt.Dir, "apps/search/overlays/prod/kustomization.yaml"))
	if want := "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.1.0 # prod\n    digest: " + digestB + "\n"; string(got) != want {
		t.Errorf("work tree file =\n%s\nwant\n%s", got, want)
	}
}

func TestCommitRefusesWhatTheChecksBlock(t *testing.T) {
	repo, wt := overlayWorkTree(t)
	head, _ := repo.Head()
	plan := promoteProd()
	plan.Changes[0].Image = "sidecar" // prod declares no such image
	_, err := (&Releaser{Repo: repo, Read: gitops.Read}).Commit(context.Background(), plan, Message{}, gitwrite.Options{})
	if !IsBlocked(err) {
		t.Fatalf("err = %v, want the release refused", err)
	}
	if now, _ := repo.Head(); now != head {
		t.Errorf("HEAD moved to %s on a refused release", now)
	}
	got, _ := os.ReadFile(filepath.Join(wt.Dir, "apps/search/overlays/prod/kustomization.yaml"))
	if !strings.Contains(string(got), "newTag: 1.0.0 # prod") {
		t.Errorf("the work tree changed on a refused release:\n%s", got)
	}
}

func TestMessageTakesThePlansOwnWordsWhenNoneAreGiven(t *testing.T) {
	plan := promoteProd()
	text := Message{}.text(plan)
	lines := strings.Split(text, "\n")
	if lines[0] != plan.Subject() || lines[1] != "" || !strings.Contains(text, strings.TrimSpace(plan.Body())) {
		t.Errorf("message =\n%s", text)
	}
	if strings.Contains(text, "Ferry-Reason") {
		t.Error("no reason was given, so none is recorded")
	}
	if got := (Message{Subject: "hotfix prod"}).text(plan); !strings.HasPrefix(got, "hotfix prod\n\n") {
		t.Errorf("typed subject not first: %q", got)
	}
}

// A hold is committed, read back as held, and a resume lifts it: each one
// reviewed commit with its trailers.
func TestHoldThenResumeAreCommitsFluxRespects(t *testing.T) {
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	wt := testrepo.FromDir(t, t.TempDir())
	manifest := func(tag, marker string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search-api\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: api\n          image: ghcr.io/shop/search-api:" + tag + " # {" + marker + ": \"flux-system:search\"}\n"
	}
	wt.Write("envs/prod/search/deployment.yaml", manifest("1.1.0", model.SetterMarker))
	wt.Commit("prod runs 1.1.0, automated")
	repo, err := gitops.Open(wt.Dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Releaser{Repo: repo, Read: gitops.Read}
	d := declared(t, repo, "prod")
	id := func(tag string) model.Identity { return model.Identity{Repository: d.Ref.Repository, Tag: tag} }
	hold := model.Plan{Changes: []model.Change{{Kind: model.Hold, App: d.App, Env: "prod", Image: d.Name, From: id("1.1.0"), To: id("1.0.0"), Location: d.Location}}}
	res, err := r.Commit(context.Background(), hold, Message{Reason: "INC-9"}, gitwrite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(wt.Dir, "envs/prod/search/deployment.yaml"))
	if string(got) != manifest("1.0.0", model.HeldMarker) {
		t.Errorf("held file:\n%s", got)
	}
	c, _ := repo.Git().CommitObject(plumbing.NewHash(res.Commit))
	if !strings.Contains(c.Message, "Ferry-Kind: hold") || !strings.Contains(c.Message, "Ferry-Hold: flux-system:search") {
		t.Errorf("message:\n%s", c.Message)
	}
	held := declared(t, repo, "prod")
	if !held.Location.Held() {
		t.Fatalf("read back not held: %+v", held.Location)
	}
	resume := model.Plan{Changes: []model.Change{{Kind: model.Resume, App: d.App, Env: "prod", Image: d.Name, From: id("1.0.0"), To: id("1.0.0"), Location: held.Location}}}
	if _, err := r.Commit(context.Background(), resume, Message{}, gitwrite.Options{}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(filepath.Join(wt.Dir, "envs/prod/search/deployment.yaml"))
	if string(got) != manifest("1.0.0", model.SetterMarker) {
		t.Errorf("resumed file:\n%s", got)
	}
}

func declared(t *testing.T, repo *gitops.Repo, env string) model.Declared {
	t.Helper()
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range gitops.Read(tree).Declared {
		if d.Env == env {
			return d
		}
	}
	t.Fatalf("nothing declared in %s", env)
	return model.Declared{}
}

package release

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

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

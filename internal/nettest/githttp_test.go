package nettest_test

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/testrepo"
)

// The Git server takes a fetch from anyone, a push only with its token,
// and none while its hook declines — each as a Git host answers.
func TestGitServerAsksForItsTokenAndCanDecline(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("a.txt", "1\n")
	r.Commit("first")
	srv := nettest.GitHTTP(t, r.BareRemote())
	srv.RequireToken("s3cret")

	clone, err := git.PlainClone(t.TempDir(), false, &git.CloneOptions{URL: srv.URL})
	if err != nil {
		t.Fatalf("an anonymous clone: %v", err)
	}
	head, _ := clone.Head()
	push := func(token string) error {
		opts := &git.PushOptions{RefSpecs: []config.RefSpec{config.RefSpec(head.Name() + ":refs/heads/pushed")}}
		if token != "" {
			opts.Auth = &githttp.BasicAuth{Username: "x", Password: token}
		}
		return clone.Push(opts)
	}
	if err := push(""); err == nil || !strings.Contains(err.Error(), "authentication required") {
		t.Errorf("a push without the token: %v, want authentication required", err)
	}
	srv.Decline(t, "main is protected")
	if err := push("s3cret"); err == nil || !strings.Contains(err.Error(), "pre-receive hook declined") {
		t.Errorf("a declined push: %v", err)
	}
	srv.Decline(t, "")
	if err := push("s3cret"); err != nil {
		t.Errorf("a push with the token: %v", err)
	}
}

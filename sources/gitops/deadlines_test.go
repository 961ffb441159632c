package gitops

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/netwait"
)

// A server that accepts the connection and never answers: the clone ends
// with an error that says so, within the answer deadline (issue 12's
// hangs). The deadline is shortened for the test; the wait is the
// transport's, not the test's.
func TestACloneFromASilentServerGivesUp(t *testing.T) {
	silent := nettest.Silent(t)
	saved := netwait.Current()
	netwait.Set(netwait.Deadlines{Answer: 200 * time.Millisecond})
	InstallHTTP()
	defer func() { netwait.Set(saved); InstallHTTP() }()

	_, err := Clone(context.Background(), "http://"+silent+"/shop.git", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "cannot clone") || !strings.Contains(err.Error(), "accepted the connection but did not answer within 200ms") {
		t.Errorf("err = %v, want the clone to give up waiting for an answer", err)
	}
}

// Transport errors name the host and what is missing (issue 12's wrong
// words: git@host without an ssh-agent talked about SSH_AUTH_SOCK only).
func TestTransportErrorsNameTheHost(t *testing.T) {
	noAgent := errors.New("error creating SSH agent: \"SSH agent requested but SSH_AUTH_SOCK not-specified\"")
	if got := ExplainTransport("git@git.example.org:shop/gitops.git", noAgent); !strings.HasPrefix(got, "git.example.org is reached over SSH and no ssh-agent is running") {
		t.Errorf("no agent: %q", got)
	}
	for url, want := range map[string]string{
		"https://user:tok@github.com/acme/shop.git": "github.com",
		"ssh://git@gitlab.com:2222/acme/shop":       "gitlab.com:2222",
		"git@bitbucket.org:acme/shop.git":           "bitbucket.org",
		"/srv/git/shop.git":                         "the remote",
	} {
		if got := HostOf(url); got != want {
			t.Errorf("HostOf(%q) = %q, want %q", url, got, want)
		}
	}
}

package gitwrite

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/ferryhq/ferry/sources/gitops"
)

// tokenVars are read, in order, for a token to push over HTTPS when the
// URL carries no credentials of its own. go-git reads neither git's
// credential helpers nor ~/.netrc.
var tokenVars = []string{"FERRY_GIT_TOKEN", "GITHUB_TOKEN", "GITLAB_TOKEN"}

// auth returns HTTPS credentials from the environment, or nil: SSH URLs
// use the ssh-agent (go-git's default), URLs with a user:token use it.
func auth(remoteURL string) transport.AuthMethod {
	u, err := url.Parse(remoteURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return nil
	}
	for _, v := range tokenVars {
		if tok := os.Getenv(v); tok != "" {
			user := "x-access-token" // GitHub's name for a token's user
			if strings.Contains(u.Host, "gitlab") {
				user = "oauth2"
			}
			return &githttp.BasicAuth{Username: user, Password: tok}
		}
	}
	return nil
}

// pushAdvice says why a push failed and what would make it work; what
// is not particular to pushing is said as a clone or fetch would say it.
func pushAdvice(remoteURL string, err error) string {
	host := gitops.HostOf(remoteURL)
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		if gitops.IsRemote(remoteURL) && !strings.HasPrefix(remoteURL, "http") {
			return fmt.Sprintf("%s did not accept ferry's SSH key (%s): ferry offers the keys of the ssh-agent at SSH_AUTH_SOCK; add the key with ssh-add", host, gitops.OneLine(err))
		}
		return fmt.Sprintf("%s wants credentials (%s): set FERRY_GIT_TOKEN to a token allowed to push", host, gitops.OneLine(err))
	case strings.Contains(err.Error(), "non-fast-forward"):
		return fmt.Sprintf("the branch on %s keeps moving (%s): refresh and commit again", host, gitops.OneLine(err))
	case strings.Contains(err.Error(), "hook declined"), strings.Contains(err.Error(), "remote rejected"), strings.Contains(err.Error(), "protected branch"):
		return fmt.Sprintf("%s declined the push (%s): if the branch is protected, commit on a pull-request branch instead (p in the review, --pr)", host, gitops.OneLine(err))
	}
	return gitops.ExplainTransport(remoteURL, err)
}

// now is when commits are made; tests fix it.
var now = time.Now

// signature is who the commit is by: GIT_AUTHOR_NAME and _EMAIL, else
// the repo's and the user's git config, else a guess (said in a note).
func signature(r *git.Repository) (object.Signature, []string, error) {
	name, email := os.Getenv("GIT_AUTHOR_NAME"), os.Getenv("GIT_AUTHOR_EMAIL")
	if cfg, err := r.ConfigScoped(config.GlobalScope); err == nil {
		if name == "" {
			name = cfg.User.Name
		}
		if email == "" {
			email = cfg.User.Email
		}
	}
	var notes []string
	if name == "" || email == "" {
		guessed := guessUser()
		if name == "" {
			name = guessed
		}
		if email == "" {
			host, _ := os.Hostname()
			email = guessed + "@" + host
		}
		notes = append(notes, fmt.Sprintf("no git user is configured: committed as %s <%s> (set user.name and user.email)", name, email))
	}
	return object.Signature{Name: name, Email: email, When: now()}, notes, nil
}

func guessUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "ferry"
}

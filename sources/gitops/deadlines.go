package gitops

import (
	"net/http"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/ferryhq/ferry/internal/netwait"
)

// Git over HTTP(S) never waits for ever: a server that accepts the
// connection and never answers (or never finishes TLS) ends in one plain
// error within netwait's deadlines. go-git's default client has none.

func init() { InstallHTTP() }

// InstallHTTP makes go-git's HTTP(S) transport use the deadlines in force;
// call it again after netwait.Set.
func InstallHTTP() {
	tr := netwait.Current().Apply(http.DefaultTransport.(*http.Transport).Clone())
	c := githttp.NewClient(&http.Client{Transport: tr})
	client.InstallProtocol("http", c)
	client.InstallProtocol("https", c)
}

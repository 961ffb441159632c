package gitops

import (
	"net"
	"net/http"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// Git over HTTP(S) never waits for ever: a server that accepts the
// connection and never answers (or never finishes TLS) ends in one plain
// error within these. go-git's default client has no deadline at all.
var (
	// ConnectTimeout bounds dialing and the TLS handshake.
	ConnectTimeout = 15 * time.Second
	// AnswerTimeout bounds the wait for a response's headers.
	AnswerTimeout = 60 * time.Second
)

func init() { installHTTP() }

// installHTTP makes go-git's HTTP(S) transport use the deadlines above.
func installHTTP() {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = ConnectTimeout
	tr.ResponseHeaderTimeout = AnswerTimeout
	c := githttp.NewClient(&http.Client{Transport: tr})
	client.InstallProtocol("http", c)
	client.InstallProtocol("https", c)
}

package registry

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/model"
)

// TestARegistryThatNeverAnswersSaysSoInOneSentence: a TLS tarpit and a
// server that finishes TLS and then never answers each end within the
// deadlines (shortened here; the waits are the transport's) in words that
// name the wait — not "plain HTTP is allowed only for registries marked
// insecure", the fallback ferry refused after HTTPS failed.
func TestARegistryThatNeverAnswersSaysSoInOneSentence(t *testing.T) {
	nettest.Deadlines(t, netwait.Deadlines{Connect: 300 * time.Millisecond, Answer: 300 * time.Millisecond})

	tarpit := nettest.Silent(t)
	silent := nettest.SilentTLS(t)
	silentHost := strings.TrimPrefix(silent.URL, "https://")

	cases := map[string]string{
		tarpit:     "registry " + tarpit + " accepted the connection but did not finish the TLS handshake within 300ms",
		silentHost: "registry " + silentHost + " accepted the connection but did not answer within 300ms",
	}
	var refs []model.ImageRef
	for host := range cases {
		refs = append(refs, ref(host+"/shop/api", "1", ""))
	}
	o := Options{CacheDir: "-", Insecure: func(string) bool { return false }, Keychain: &countingKeychain{}}
	// The silent server's certificate is the test's own: trust it.
	o.Transport = netwait.Current().Apply(silent.Client().Transport.(*http.Transport).Clone())
	res := New(o).Resolve(context.Background(), refs)
	for host, want := range cases {
		faults := res.Faults[ref(host+"/shop/api", "1", "").String()]
		if len(faults) != 1 || faults[0].Kind != FaultTimeout || faults[0].Message != want {
			t.Errorf("%s: faults %+v, want one timeout saying %q", host, faults, want)
		}
	}
}

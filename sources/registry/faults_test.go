package registry

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"

	"github.com/ferryhq/ferry/model"
)

const secretPassword = "s3cret-pass"

// faultCase sets up one failure and says what the faulty reference must get.
type faultCase struct {
	name      string
	setup     func(t *testing.T, tr *testRegistry) model.ImageRef // returns the faulty reference
	kind      FaultKind
	message   string          // substring of the problem's message; HOST stands for the registry
	sleeps    []time.Duration // backoff the resolver must ask for
	sameHost  bool            // a healthy reference on the same registry keeps working
	noProblem bool            // the fault is retried away
	manifests int             // manifest requests (HEAD or GET) the faulty repository must see (0: not checked)
}

func faultCases() []faultCase {
	onRepo := func(repo string, f *fault) func(*testing.T, *testRegistry) model.ImageRef {
		return func(t *testing.T, tr *testRegistry) model.ImageRef {
			tr.push(t, repo+":1", plainImage(t))
			tr.setFault(repo, f)
			return ref(tr.host+"/"+repo, "1", "")
		}
	}
	return []faultCase{
		{name: "401 token refused", kind: FaultUnauthorized, sameHost: true,
			message: "registry HOST: not authorized to read shop/private — run docker login HOST",
			setup: func(t *testing.T, tr *testRegistry) model.ImageRef {
				tr.private["shop/private"] = true
				return ref(tr.host+"/shop/private", "1", "")
			}},
		{name: "403 forbidden", kind: FaultForbidden, sameHost: true,
			message: "registry HOST: access to shop/forbidden is denied (403 Forbidden)",
			setup:   onRepo("shop/forbidden", &fault{status: 403})},
		{name: "404 tag", kind: FaultNotFound, sameHost: true,
			message: "registry HOST: tag nope not found in shop/labels",
			setup: func(t *testing.T, tr *testRegistry) model.ImageRef {
				return ref(tr.host+"/shop/labels", "nope", "")
			}},
		{name: "404 repository", kind: FaultNotFound, sameHost: true,
			message: "registry HOST: repository shop/gone not found",
			setup: func(t *testing.T, tr *testRegistry) model.ImageRef {
				return ref(tr.host+"/shop/gone", "", "sha256:"+strings.Repeat("ab", 32))
			}},
		{name: "429 with Retry-After, then served", noProblem: true, sameHost: true,
			sleeps: []time.Duration{7 * time.Second, 7 * time.Second}, manifests: 3,
			setup: onRepo("shop/limited", &fault{status: 429, retryAfter: "7", times: 2})},
		{name: "429 for ever", kind: FaultRateLimited,
			message: "registry HOST: rate limited (429 Too Many Requests) after 4 tries; try again later",
			sleeps:  []time.Duration{time.Second, time.Second, time.Second}, manifests: 4,
			setup: onRepo("shop/throttled", &fault{status: 429, retryAfter: "1"})},
		{name: "429 asking for an hour", kind: FaultRateLimited,
			message: "it asks to wait 1h0m0s, more than ferry waits", manifests: 1,
			setup: onRepo("shop/throttled", &fault{status: 429, retryAfter: "3600"})},
		{name: "503 for ever", kind: FaultServer, sameHost: true,
			message: "registry HOST: server error (503 Service Unavailable) after 4 tries",
			sleeps:  []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, manifests: 4,
			setup: onRepo("shop/broken", &fault{status: 503})},
		{name: "timeout", kind: FaultTimeout, message: "registry HOST: no answer in time (timed out)",
			setup: onRepo("shop/slow", &fault{hang: true})},
	}
}

func TestResolveFaults(t *testing.T) {
	for _, tc := range faultCases() {
		t.Run(tc.name, func(t *testing.T) {
			tr, other := newTestRegistry(t), newTestRegistry(t)
			tr.user, tr.password = "ci", secretPassword
			pushWorld(t, tr)
			otherDigest := other.push(t, "team/ok:1", plainImage(t))
			faulty := tc.setup(t, tr)
			tr.arm()
			other.arm()
			healthy := ref(other.host+"/team/ok", "1", "")
			sameHost := ref(tr.host+"/shop/labels", "1.4.0", "")

			var sleeps []time.Duration
			var logs strings.Builder
			var mu sync.Mutex
			o := Options{
				CacheDir:    "-",
				Concurrency: 1, // the faulty reference goes first: registry-wide faults block the rest
				Insecure:    func(h string) bool { return h == tr.host || h == other.host },
				Keychain:    &countingKeychain{auth: &authn.Basic{Username: "ci", Password: secretPassword}},
				Timeout:     200 * time.Millisecond,
				Sleep: func(_ context.Context, d time.Duration) error {
					mu.Lock()
					defer mu.Unlock()
					sleeps = append(sleeps, d)
					return nil
				},
				Logf: func(format string, args ...any) {
					mu.Lock()
					defer mu.Unlock()
					fmt.Fprintf(&logs, format+"\n", args...)
				},
			}
			res := New(o).Resolve(context.Background(), []model.ImageRef{faulty, sameHost, healthy})

			faults := res.Faults[faulty.String()]
			for _, f := range faults {
				t.Logf("problem: %s", f.Message)
			}
			switch {
			case tc.noProblem && len(faults) != 0:
				t.Errorf("faults %v, want none", res.Problems[faulty.String()])
			case tc.noProblem && res.Facts[faulty.String()].Digest == "":
				t.Errorf("no digest after the retries")
			case !tc.noProblem && (len(faults) != 1 || faults[0].Kind != tc.kind):
				t.Errorf("faults %+v, want one of kind %s", faults, tc.kind)
			case !tc.noProblem:
				want := strings.ReplaceAll(tc.message, "HOST", tr.host)
				if p := res.Problems[faulty.String()][0]; p.Source != "registry" || !strings.Contains(p.Message, want) {
					t.Errorf("problem %+v, want source registry and message containing %q", p, want)
				}
			}
			repo := strings.TrimPrefix(faulty.Repository, tr.host+"/")
			if n := tr.manifests(repo); tc.manifests > 0 && n != tc.manifests {
				t.Errorf("%d manifest requests for %s, want %d", n, repo, tc.manifests)
			}
			if !reflect.DeepEqual(sleeps, tc.sleeps) {
				t.Errorf("backoff sleeps %v, want %v", sleeps, tc.sleeps)
			}
			if got := res.Facts[healthy.String()].Digest; got != otherDigest || len(res.Problems[healthy.String()]) != 0 {
				t.Errorf("the other registry's reference: digest %q problems %v; want it untouched", got, res.Problems[healthy.String()])
			}
			if tc.sameHost && len(res.Problems[sameHost.String()]) != 0 {
				t.Errorf("a healthy reference on the same registry failed: %v", res.Problems[sameHost.String()])
			}
			if !tc.sameHost && len(res.Problems) != 2 {
				t.Errorf("a registry-wide fault should concern both references on it: %v", res.Problems)
			}
			assertNoSecrets(t, res, logs.String())
		})
	}
}

// TestUnauthorizedAsksOnce: a repository the credentials cannot read is
// asked for a token once, and all its references carry the fault.
func TestUnauthorizedAsksOnce(t *testing.T) {
	tr := newTestRegistry(t)
	tr.private["shop/private"] = true
	tr.arm()
	refs := []model.ImageRef{
		ref(tr.host+"/shop/private", "1", ""), ref(tr.host+"/shop/private", "2", ""),
		ref(tr.host+"/shop/private", "", "sha256:"+strings.Repeat("cd", 32)),
	}
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	res := New(o).Resolve(context.Background(), refs)
	for _, r := range refs {
		if f := res.Faults[r.String()]; len(f) != 1 || f[0].Kind != FaultUnauthorized {
			t.Errorf("%s: faults %+v, want one unauthorized", r, f)
		}
	}
	if n := tr.tokenCount("shop/private"); n != 1 {
		t.Errorf("%d token exchanges for shop/private, want 1", n)
	}
}

func assertNoSecrets(t *testing.T, res Results, logs string) {
	t.Helper()
	all := logs
	for _, ps := range res.Problems {
		for _, p := range ps {
			all += p.Message + "\n"
		}
	}
	for _, secret := range []string{secretPassword, testToken} {
		if strings.Contains(all, secret) {
			t.Errorf("a secret (%q) leaked into problems or logs:\n%s", secret, all)
		}
	}
}

// TestResolveNetworkFaults covers faults below HTTP: each concerns only the
// references on its registry.
func TestResolveNetworkFaults(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(ggcrregistry.New())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plain := newTestRegistry(t)
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedHost := refused.Addr().String()
	refused.Close() // nothing listens there any more

	ok := newTestRegistry(t)
	okDigest := ok.push(t, "team/ok:1", plainImage(t))
	ok.arm()

	cases := map[FaultKind]model.ImageRef{
		FaultTLS:         ref(strings.TrimPrefix(tlsSrv.URL, "https://")+"/shop/api", "1", ""),
		FaultPlainHTTP:   ref(plain.host+"/shop/api", "1", ""), // not marked insecure
		FaultDNS:         ref("registry.does-not-exist.invalid/shop/api", "1", ""),
		FaultUnreachable: ref(refusedHost+"/shop/api", "1", ""),
	}
	refs := []model.ImageRef{ref(ok.host+"/team/ok", "1", "")}
	for _, r := range cases {
		refs = append(refs, r)
	}
	o := Options{CacheDir: "-", Insecure: func(h string) bool { return h == ok.host || h == refusedHost }, Keychain: &countingKeychain{}}
	res := New(o).Resolve(context.Background(), refs)

	for kind, r := range cases {
		faults := res.Faults[r.String()]
		if len(faults) != 1 || faults[0].Kind != kind {
			t.Errorf("%s: faults %+v, want one of kind %s", r, faults, kind)
			continue
		}
		t.Logf("%s: %s", kind, faults[0].Message)
		host := strings.SplitN(r.Repository, "/", 2)[0]
		if msg := faults[0].Message; !strings.HasPrefix(msg, "registry "+host+": ") {
			t.Errorf("%s: message %q does not name the registry first", r, msg)
		}
	}
	if got := res.Facts[refs[0].String()].Digest; got != okDigest {
		t.Errorf("healthy reference: digest %q, want %q", got, okDigest)
	}
}

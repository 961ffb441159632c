package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// testRegistry is a real registry (go-containerregistry's pkg/registry)
// behind a wrapping handler that, once armed, counts requests, demands
// bearer tokens like ghcr.io or Docker Hub do, injects latency and faults,
// and adds the paging Link header the bare registry leaves out.
type testRegistry struct {
	srv   *httptest.Server
	host  string
	inner http.Handler

	armed             atomic.Bool // off while the test pushes its images
	latency           time.Duration
	headWithoutDigest bool // answer HEADs without Docker-Content-Digest, as some registries do

	inFlight atomic.Int64 // requests being served now
	maxIn    atomic.Int64 // the most served at once

	mu       sync.Mutex
	counts   map[string]int    // "ping", "token", "HEAD manifest", "GET manifest", "GET blob", "GET tags"
	byTag    int               // manifest requests (HEAD or GET) naming a tag, not a digest
	byRepo   map[string]int    // "shop/x GET blob"
	tokens   map[string]int    // token exchanges per repository
	faults   map[string]*fault // by repository
	private  map[string]bool   // repositories whose token is refused to everyone
	user     string            // Basic credentials the token endpoint demands, if set
	password string
}

// fault is what the wrapper answers for one repository's requests.
type fault struct {
	status     int
	retryAfter string
	times      int  // answer the fault this many times, then pass; 0 = always
	hang       bool // never answer, until the client gives up
	served     int
}

const testToken = "tok-very-secret-"

func newTestRegistry(t testing.TB) *testRegistry {
	t.Helper()
	tr := &testRegistry{
		inner:   ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))),
		counts:  map[string]int{},
		byRepo:  map[string]int{},
		tokens:  map[string]int{},
		faults:  map[string]*fault{},
		private: map[string]bool{},
	}
	tr.srv = httptest.NewServer(http.HandlerFunc(tr.serve))
	t.Cleanup(tr.srv.Close)
	tr.host = strings.TrimPrefix(tr.srv.URL, "http://")
	return tr
}

func (tr *testRegistry) arm() { tr.armed.Store(true) }

func (tr *testRegistry) reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.counts, tr.tokens, tr.byRepo = map[string]int{}, map[string]int{}, map[string]int{}
	tr.byTag = 0
}

// tagAsks counts manifest requests by tag since the last reset.
func (tr *testRegistry) tagAsks() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.byTag
}

// manifests counts a repository's manifest requests, HEAD and GET.
func (tr *testRegistry) manifests(repo string) int {
	return tr.repoCount(repo, "HEAD manifest") + tr.repoCount(repo, "GET manifest")
}

func (tr *testRegistry) repoCount(repo, kind string) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.byRepo[repo+" "+kind]
}

func (tr *testRegistry) tokenCount(repo string) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.tokens[repo]
}

func (tr *testRegistry) snapshot() map[string]int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return maps.Clone(tr.counts)
}

func (tr *testRegistry) count(kind string) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.counts[kind]
}

func (tr *testRegistry) total() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for _, c := range tr.counts {
		n += c
	}
	return n
}

func (tr *testRegistry) setFault(repo string, f *fault) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.faults[repo] = f
}

func (tr *testRegistry) serve(w http.ResponseWriter, r *http.Request) {
	if !tr.armed.Load() {
		tr.inner.ServeHTTP(w, r)
		return
	}
	n := tr.inFlight.Add(1)
	defer tr.inFlight.Add(-1)
	for m := tr.maxIn.Load(); n > m && !tr.maxIn.CompareAndSwap(m, n); m = tr.maxIn.Load() {
	}
	if tr.latency > 0 {
		time.Sleep(tr.latency) // simulated network latency, not synchronisation
	}
	repo, kind := classifyPath(r)
	tr.mu.Lock()
	tr.counts[kind]++
	tr.byRepo[repo+" "+kind]++
	if strings.HasSuffix(kind, " manifest") && !strings.Contains(r.URL.Path[strings.LastIndex(r.URL.Path, "/"):], ":") {
		tr.byTag++
	}
	f := tr.faults[repo]
	inject := kind != "token" && f != nil && (f.times == 0 || f.served < f.times)
	if inject {
		f.served++
	}
	tr.mu.Unlock()
	switch {
	case kind == "token":
		tr.serveToken(w, r)
	case inject && f.hang:
		<-r.Context().Done()
	case inject:
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		http.Error(w, http.StatusText(f.status), f.status)
	case !tr.authorized(r, repo):
		scope := ""
		if repo != "" {
			scope = fmt.Sprintf(`,scope="repository:%s:pull"`, repo)
		}
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s/token",service="test"%s`, tr.srv.URL, scope))
		http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
	case kind == "GET tags":
		tr.serveTagPage(w, r, repo)
	case kind == "HEAD manifest" && tr.headWithoutDigest:
		rec := httptest.NewRecorder()
		tr.inner.ServeHTTP(rec, r)
		maps.Copy(w.Header(), rec.Header())
		w.Header().Del("Docker-Content-Digest")
		w.WriteHeader(rec.Code)
	default:
		tr.inner.ServeHTTP(w, r)
	}
}

// classifyPath names the repository and the kind of a request.
func classifyPath(r *http.Request) (repo, kind string) {
	p := r.URL.Path
	switch {
	case p == "/token":
		scope := r.URL.Query().Get("scope")
		return strings.TrimSuffix(strings.TrimPrefix(scope, "repository:"), ":pull"), "token"
	case p == "/v2/" || p == "/v2":
		return "", "ping"
	}
	for _, k := range []struct{ sep, kind string }{{"/manifests/", "manifest"}, {"/blobs/", "blob"}, {"/tags/list", "tags"}} {
		if i := strings.LastIndex(p, k.sep); i > 0 {
			return strings.TrimPrefix(p[:i], "/v2/"), r.Method + " " + k.kind
		}
	}
	return "", r.Method + " other"
}

// serveToken grants, as the Docker token spec does, every scope asked that
// the caller may read (a private repository is left out of the grant); the
// token names the repositories it grants.
func (tr *testRegistry) serveToken(w http.ResponseWriter, r *http.Request) {
	user, pass, _ := r.BasicAuth()
	tr.mu.Lock()
	wantUser, wantPass := tr.user, tr.password
	var granted []string
	for _, scope := range r.URL.Query()["scope"] {
		repo := strings.TrimSuffix(strings.TrimPrefix(scope, "repository:"), ":pull")
		tr.tokens[repo]++
		if !tr.private[repo] {
			granted = append(granted, repo)
		}
	}
	tr.mu.Unlock()
	if len(granted) == 0 || (wantUser != "" && (user != wantUser || pass != wantPass)) {
		http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"access denied"}]}`, http.StatusUnauthorized)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"token": testToken + "," + strings.Join(granted, ",") + ","})
}

// authorized accepts a token that grants the repository requested; the
// ping needs no repository, any token will do.
func (tr *testRegistry) authorized(r *http.Request, repo string) bool {
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if repo == "" {
		return strings.HasPrefix(got, testToken)
	}
	return strings.HasPrefix(got, testToken+",") && strings.Contains(got, ","+repo+",")
}

// serveTagPage adds the Link header for the next page, which the bare
// registry leaves out, so the client's paging is exercised.
func (tr *testRegistry) serveTagPage(w http.ResponseWriter, r *http.Request, repo string) {
	rec := httptest.NewRecorder()
	tr.inner.ServeHTTP(rec, r)
	var page struct{ Tags []string }
	_ = json.Unmarshal(rec.Body.Bytes(), &page)
	if n, err := strconv.Atoi(r.URL.Query().Get("n")); err == nil && len(page.Tags) == n && n > 0 {
		next := fmt.Sprintf("/v2/%s/tags/list?n=%d&last=%s", repo, n, page.Tags[n-1])
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rec.Code)
	_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

// countingKeychain answers like a docker config would and counts how often
// each registry is asked about.
type countingKeychain struct {
	mu    sync.Mutex
	calls map[string]int
	auth  authn.Authenticator
}

func (k *countingKeychain) Resolve(res authn.Resource) (authn.Authenticator, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.calls == nil {
		k.calls = map[string]int{}
	}
	k.calls[res.RegistryStr()]++
	if k.auth == nil {
		return authn.Anonymous, nil
	}
	return k.auth, nil
}

package registry

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
)

// clock is a settable clock for TTL tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func testOptions(t testing.TB, cacheDir string, clk *clock, keys *countingKeychain) Options {
	return Options{
		CacheDir: cacheDir,
		Insecure: func(string) bool { return true },
		Keychain: keys,
		Now:      clk.Now,
		Sleep:    func(context.Context, time.Duration) error { t.Error("unexpected backoff sleep"); return nil },
		Logf:     t.Logf,
	}
}

func ref(repo, tag, digest string) model.ImageRef {
	return model.ImageRef{Repository: repo, Tag: tag, Digest: digest}
}

func TestResolveFactsAndCache(t *testing.T) {
	tr := newTestRegistry(t)
	w := pushWorld(t, tr)
	tr.arm()
	h := tr.host + "/"
	refs := []model.ImageRef{
		ref(h+"shop/labels", "1.4.0", ""),
		ref(h+"shop/both", "5.0.0", ""),
		ref(h+"shop/plain", "", ""),
		ref(h+"shop/multi", "2.0.0", ""),
		ref(h+"shop/multi", "2.0.0", w.amd64),
		ref(h+"shop/multi", "", w.index),
		ref(h+"shop/mixed", "3.1.0", ""),
		ref(h+"shop/moving", "v1", w.movedFrom),
		ref(h+"shop/labels", "1.4.0", ""), // a duplicate costs nothing
	}
	c1, c2 := created1, created2
	want := map[string]model.RegistryFacts{
		refs[0].String(): {Digest: w.labeled, Version: "1.4.0", Revision: "abc1234def5678", Source: "https://github.com/shop/labels", Created: &c1},
		refs[1].String(): {Digest: w.both, Version: "5.0.0", Revision: "5555555aaaa", Source: "https://github.com/shop/both", Created: &c2},
		refs[2].String(): {Digest: w.plain},
		refs[3].String(): {Digest: w.index, Index: true, Platforms: map[string]string{"linux/amd64": w.amd64, "linux/arm64/v8": w.arm64},
			Version: "2.0.0", Revision: "2222222bbbb", Source: "https://github.com/shop/multi", Created: &c2},
		refs[4].String(): {Digest: w.amd64, TagDigest: w.index, PlatformOf: w.index},
		refs[6].String(): {Digest: w.mixed, Index: true, Platforms: map[string]string{"linux/arm64": "", "linux/amd64": ""},
			Version: "3.1.0", Revision: "3333333cccc", Source: "https://github.com/shop/mixed", Created: &c1},
		refs[7].String(): {Digest: w.movedFrom, TagMoved: true, TagDigest: w.movedTo},
	}
	want[refs[5].String()] = withDigest(want[refs[3].String()], w.index)

	clk := &clock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	keys := &countingKeychain{}
	cacheDir := t.TempDir()
	res := New(testOptions(t, cacheDir, clk, keys)).Resolve(context.Background(), refs)

	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	for key, wantFacts := range want {
		got := res.Facts[key]
		if key == refs[6].String() { // children digests are random: check the platforms only
			for p := range got.Platforms {
				wantFacts.Platforms[p] = got.Platforms[p]
			}
		}
		if !reflect.DeepEqual(got, wantFacts) {
			t.Errorf("facts of %s:\n got %+v\nwant %+v", key, got, wantFacts)
		}
	}
	if len(res.Facts) != len(want) {
		t.Errorf("got facts for %d references, want %d (duplicates deduped)", len(res.Facts), len(want))
	}
	if keys.calls[tr.host] != 1 || len(keys.calls) != 1 {
		t.Errorf("keychain asked %v, want once for %s", keys.calls, tr.host)
	}
	for _, repo := range []string{"shop/labels", "shop/both", "shop/plain", "shop/multi", "shop/mixed", "shop/moving"} {
		if n := tr.tokenCount(repo); n != 1 {
			t.Errorf("%d token exchanges for %s, want 1", n, repo)
		}
	}
	if n := tr.count("ping"); n != 1 {
		t.Errorf("%d pings, want 1 for the registry", n)
	}
	// Annotations complete: shop/both's config blob (its labels) is never read.
	if n := tr.repoCount("shop/both", "GET blob"); n != 0 {
		t.Errorf("shop/both: %d blob GETs, want 0 (annotations come first)", n)
	}
	// A cold tag costs one GET by tag, which carries the manifest too: a
	// HEAD first would only add a request.
	if n := tr.tagAsks(); n != 6 {
		t.Errorf("%d manifest requests by tag, want 6: one per distinct tag", n)
	}
	if n := tr.count("HEAD manifest"); n != 0 {
		t.Errorf("%d HEADs on a cold run, want 0: no known artifact for a HEAD to confirm", n)
	}
	// By digest only what no tag named: shop/multi's amd64 child, shop/mixed's
	// first platform (for its labels) and the digest shop/moving:v1 moved from.
	if n := tr.count("GET manifest") - tr.tagAsks(); n != 3 {
		t.Errorf("%d manifest GETs by digest, want 3 (%v)", n, tr.snapshot())
	}

	t.Run("warm run makes no request", func(t *testing.T) {
		tr.reset()
		warm := New(testOptions(t, cacheDir, clk, &countingKeychain{})).Resolve(context.Background(), refs)
		if n := tr.total(); n != 0 {
			t.Errorf("warm run made %d requests (%v), want 0", n, tr.snapshot())
		}
		if !reflect.DeepEqual(warm.Facts, res.Facts) {
			t.Errorf("warm facts differ from cold ones")
		}
	})
	t.Run("digest pins need no request even after the tag TTL", func(t *testing.T) {
		tr.reset()
		clk.advance(time.Hour)
		pinned := []model.ImageRef{ref(h+"shop/multi", "", w.index), ref(h+"shop/labels", "", w.labeled), ref(h+"shop/multi", "", w.amd64)}
		got := New(testOptions(t, cacheDir, clk, &countingKeychain{})).Resolve(context.Background(), pinned)
		if n := tr.total(); n != 0 {
			t.Errorf("digest-pinned warm run made %d requests (%v), want 0", n, tr.snapshot())
		}
		if len(got.Facts) != 3 || len(got.Problems) != 0 {
			t.Errorf("facts %v problems %v", got.Facts, got.Problems)
		}
	})
	t.Run("expired tags are asked again with HEAD only", func(t *testing.T) {
		tr.reset()
		New(testOptions(t, cacheDir, clk, &countingKeychain{})).Resolve(context.Background(), refs)
		if heads, gets, blobs := tr.count("HEAD manifest"), tr.count("GET manifest"), tr.count("GET blob"); heads != 6 || gets != 0 || blobs != 0 {
			t.Errorf("after TTL: %d HEADs, %d manifest GETs, %d blob GETs; want 6, 0, 0", heads, gets, blobs)
		}
	})
	t.Run("refresh ignores fresh tag entries", func(t *testing.T) {
		tr.reset()
		o := testOptions(t, cacheDir, clk, &countingKeychain{})
		o.Refresh = true
		New(o).Resolve(context.Background(), refs)
		if heads := tr.count("HEAD manifest"); heads != 6 {
			t.Errorf("refresh: %d HEADs, want 6", heads)
		}
	})
}

func withDigest(f model.RegistryFacts, d string) model.RegistryFacts {
	f.Digest = d
	return f
}

// TestConcurrencyIsBounded: never more requests in flight than Concurrency,
// through an injected transport.
func TestConcurrencyIsBounded(t *testing.T) {
	tr := newTestRegistry(t)
	var refs []model.ImageRef
	for i := range 12 {
		repo := fmt.Sprintf("team/svc%d", i)
		for v := range 4 {
			tr.push(t, fmt.Sprintf("%s:1.%d.0", repo, v), plainImage(t))
			refs = append(refs, ref(tr.host+"/"+repo, fmt.Sprintf("1.%d.0", v), ""))
		}
	}
	tr.latency = 2 * time.Millisecond // simulated network, so requests overlap
	tr.arm()
	var sent atomic.Int64
	o := Options{
		CacheDir: "-", Concurrency: 3, Insecure: func(string) bool { return true }, Keychain: &countingKeychain{},
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return http.DefaultTransport.RoundTrip(r)
		}),
	}
	res := New(o).Resolve(context.Background(), refs)
	if len(res.Facts) != len(refs) || len(res.Problems) != 0 {
		t.Fatalf("%d facts, problems %v", len(res.Facts), res.Problems)
	}
	if m := tr.maxIn.Load(); m > 3 || m < 1 {
		t.Errorf("%d requests in flight at once, want 1..3", m)
	}
	if sent.Load() < int64(tr.total()) {
		t.Errorf("the injected transport saw %d requests, the server %d", sent.Load(), tr.total())
	}
}

// TestHeadWithoutDigestFallsBackToGet: a registry whose HEAD answers lack
// Docker-Content-Digest still resolves tags, with one GET. HEAD is how an
// expired tag whose artifact is known is asked (a cold tag is a GET anyway).
func TestHeadWithoutDigestFallsBackToGet(t *testing.T) {
	tr := newTestRegistry(t)
	digest := tr.push(t, "shop/odd:1", plainImage(t))
	tr.headWithoutDigest = true
	tr.arm()
	clk := &clock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}, Now: clk.Now}
	r := ref(tr.host+"/shop/odd", "1", "")
	resolver := New(o)
	resolver.Resolve(context.Background(), []model.ImageRef{r})
	clk.advance(time.Hour) // the tag's answer expires; what its digest names stays known
	tr.reset()
	res := resolver.Resolve(context.Background(), []model.ImageRef{r})
	if got := res.Facts[r.String()].Digest; got != digest || len(res.Problems) != 0 {
		t.Errorf("digest %q problems %v, want %s", got, res.Problems, digest)
	}
	if heads, gets := tr.count("HEAD manifest"), tr.count("GET manifest"); heads != 1 || gets != 1 {
		t.Errorf("%d HEADs and %d GETs, want 1 and 1", heads, gets)
	}
}

// TestCancelledResolveSaysSo: a cancelled run ends with a plain problem per
// reference, not a hang or a crash.
func TestCancelledResolveSaysSo(t *testing.T) {
	tr := newTestRegistry(t)
	tr.push(t, "shop/a:1", plainImage(t))
	tr.arm()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	refs := []model.ImageRef{ref(tr.host+"/shop/a", "1", ""), ref(tr.host+"/shop/b", "2", "")}
	res := New(o).Resolve(ctx, refs)
	for _, r := range refs {
		if ps := res.Problems[r.String()]; len(ps) != 1 || ps[0].Message != "registry "+tr.host+": lookup cancelled" {
			t.Errorf("%s: problems %v, want one saying the lookup was cancelled", r, ps)
		}
	}
	if n := tr.total(); n != 0 {
		t.Errorf("a cancelled run made %d requests", n)
	}
}

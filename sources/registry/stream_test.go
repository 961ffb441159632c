package registry

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
)

// collect streams the references and checks the contract every Stream
// keeps: emit never runs concurrently, Done grows, Total stays, each
// reference is answered once, and the last batch has Done == Total.
func collect(t *testing.T, r *Resolver, ctx context.Context, refs []model.ImageRef) []Batch {
	t.Helper()
	var batches []Batch
	var inEmit atomic.Bool
	seen := map[string]bool{}
	r.Stream(ctx, refs, func(b Batch) {
		if !inEmit.CompareAndSwap(false, true) {
			t.Error("emit called concurrently")
		}
		defer inEmit.Store(false)
		if n := len(batches); n > 0 && (b.Done <= batches[n-1].Done || b.Total != batches[n-1].Total) {
			t.Errorf("batch %d: %d/%d after %d/%d", n, b.Done, b.Total, batches[n-1].Done, batches[n-1].Total)
		}
		for key := range answeredIn(b) {
			if seen[key] {
				t.Errorf("%s answered twice", key)
			}
			seen[key] = true
		}
		if len(seen) != b.Done {
			t.Errorf("Done = %d, but %d references answered", b.Done, len(seen))
		}
		batches = append(batches, b)
	})
	if n := len(batches); n == 0 || batches[n-1].Done != batches[n-1].Total {
		t.Fatalf("the last batch must have Done == Total: %d batches", n)
	}
	return batches
}

func answeredIn(b Batch) map[string]bool {
	keys := map[string]bool{}
	for key := range b.Facts {
		keys[key] = true
	}
	for key := range b.Problems {
		keys[key] = true
	}
	return keys
}

func merged(batches []Batch) Results {
	res := Results{Facts: map[string]model.RegistryFacts{}, Problems: map[string][]model.Problem{}, Faults: map[string][]*Fault{}}
	for _, b := range batches {
		maps.Copy(res.Facts, b.Facts)
		maps.Copy(res.Problems, b.Problems)
		maps.Copy(res.Faults, b.Faults)
	}
	return res
}

func TestStreamDeliversInBatches(t *testing.T) {
	tr := newTestRegistry(t)
	var refs []model.ImageRef
	digests := map[string]string{}
	for i := range 40 {
		repo := fmt.Sprintf("team/svc%d", i)
		r := ref(tr.host+"/"+repo, "1", "")
		digests[r.String()] = tr.push(t, repo+":1", plainImage(t))
		refs = append(refs, r, r) // duplicates count once
	}
	tr.arm()
	o := Options{CacheDir: "-", Concurrency: 4, Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	batches := collect(t, New(o), context.Background(), refs)
	if len(batches) < 2 || batches[0].Done >= batches[0].Total {
		t.Errorf("%d batches, first %d/%d: answers must come before the whole run is done", len(batches), batches[0].Done, batches[0].Total)
	}
	for i, b := range batches {
		if b.Total != 40 || len(answeredIn(b)) > batchSize {
			t.Errorf("batch %d: %d answers, total %d; want at most %d, total 40", i, len(answeredIn(b)), b.Total, batchSize)
		}
	}
	res := merged(batches)
	for key, d := range digests {
		if res.Facts[key].Digest != d {
			t.Errorf("%s: digest %q, want %s", key, res.Facts[key].Digest, d)
		}
	}
}

func TestStreamWithNothingToAskSaysSo(t *testing.T) {
	for _, refs := range [][]model.ImageRef{nil, {{}}} {
		var batches []Batch
		New(Options{CacheDir: "-"}).Stream(context.Background(), refs, func(b Batch) { batches = append(batches, b) })
		if len(batches) != 1 || batches[0].Done != 0 || batches[0].Total != 0 {
			t.Errorf("refs %v: batches %+v, want one with 0/0", refs, batches)
		}
	}
}

// TestStreamRemembers: a long-lived Resolver asks nothing twice. The disk
// cache is off: this is the Resolver's own memory.
func TestStreamRemembers(t *testing.T) {
	tr := newTestRegistry(t)
	w := pushWorld(t, tr)
	full := identity("1.5.0", "1500000aaaa", "https://github.com/shop/labels", created2)
	newTag := tr.push(t, "shop/labels:1.5.0", annotatedImage(t, full, nil))
	newRepo := tr.push(t, "shop/fresh:1", annotatedImage(t, full, nil))
	tr.arm()
	h := tr.host + "/"
	refs := []model.ImageRef{
		ref(h+"shop/labels", "1.4.0", ""), ref(h+"shop/multi", "2.0.0", ""), ref(h+"shop/multi", "2.0.0", w.amd64),
		ref(h+"shop/multi", "", w.index), ref(h+"shop/mixed", "3.1.0", ""), ref(h+"shop/moving", "v1", w.movedFrom),
	}
	clk := &clock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	r := New(testOptions(t, "-", clk, &countingKeychain{}))
	first := merged(collect(t, r, context.Background(), refs))
	if len(first.Problems) != 0 || len(first.Facts) != len(refs) || tr.total() == 0 {
		t.Fatalf("first stream: %d facts, problems %v, %d requests", len(first.Facts), first.Problems, tr.total())
	}

	t.Run("the same references again ask nothing, in one batch", func(t *testing.T) {
		tr.reset()
		batches := collect(t, r, context.Background(), refs)
		if n := tr.total(); n != 0 {
			t.Errorf("%d requests (%v), want 0", n, tr.snapshot())
		}
		if len(batches) != 1 || !reflect.DeepEqual(merged(batches).Facts, first.Facts) {
			t.Errorf("%d batches, want the same facts in one", len(batches))
		}
	})
	t.Run("new references cost only their own requests", func(t *testing.T) {
		tr.reset()
		tagRef, repoRef := ref(h+"shop/labels", "1.5.0", ""), ref(h+"shop/fresh", "1", "")
		requestsAtFirstEmit := -1
		var batches []Batch
		r.Stream(context.Background(), append(refs, tagRef, repoRef), func(b Batch) {
			if batches == nil {
				requestsAtFirstEmit = tr.total()
			}
			batches = append(batches, b)
		})
		if requestsAtFirstEmit != 0 || len(batches) < 2 || len(answeredIn(batches[0])) != len(refs) {
			t.Errorf("first batch: %d answers after %d requests; want the %d known ones, at once", len(answeredIn(batches[0])), requestsAtFirstEmit, len(refs))
		}
		res := merged(batches)
		if res.Facts[tagRef.String()].Digest != newTag || res.Facts[repoRef.String()].Digest != newRepo {
			t.Errorf("new facts %+v %+v", res.Facts[tagRef.String()], res.Facts[repoRef.String()])
		}
		// One GET by tag for the new tag; a token and a GET for the new repository.
		want := map[string]int{"GET manifest": 2, "token": 1}
		if got := tr.snapshot(); !reflect.DeepEqual(got, want) || tr.repoCount("shop/labels", "GET manifest") != 1 {
			t.Errorf("requests %v, want %v (one of the GETs on shop/labels)", got, want)
		}
	})
	t.Run("expired tags are asked again with HEAD only", func(t *testing.T) {
		clk.advance(6 * time.Minute) // past the default TagTTL
		tr.reset()
		collect(t, r, context.Background(), refs)
		// labels:1.4.0, multi:2.0.0, mixed:3.1.0 and moving:v1; the digest pin needs nothing.
		if got, want := tr.snapshot(), map[string]int{"HEAD manifest": 4}; !reflect.DeepEqual(got, want) {
			t.Errorf("requests %v, want %v", got, want)
		}
		tr.reset()
		collect(t, r, context.Background(), refs)
		if n := tr.total(); n != 0 {
			t.Errorf("%d requests right after, want 0", n)
		}
	})
	t.Run("refresh forgets tag answers, keeps digest facts", func(t *testing.T) {
		r.Refresh()
		tr.reset()
		res := merged(collect(t, r, context.Background(), refs))
		if got, want := tr.snapshot(), map[string]int{"HEAD manifest": 4}; !reflect.DeepEqual(got, want) {
			t.Errorf("requests %v, want %v", got, want)
		}
		if !reflect.DeepEqual(res.Facts, first.Facts) {
			t.Errorf("facts changed across a refresh")
		}
	})
}

// TestStreamKeepsFaultsForAWhile: a rate-limited registry and a missing tag
// are not asked again by the next Streams, until the fault expires or the
// console refreshes.
func TestStreamKeepsFaultsForAWhile(t *testing.T) {
	tr := newTestRegistry(t)
	digest := tr.push(t, "shop/flaky:1", plainImage(t))
	tr.setFault("shop/flaky", &fault{status: 429})
	tr.arm()
	clk := &clock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	o := testOptions(t, "-", clk, &countingKeychain{})
	o.Tries = 1 // no backoff: the 429 is the answer
	r := New(o)
	flaky, missing := ref(tr.host+"/shop/flaky", "1", ""), ref(tr.host+"/shop/flaky", "nope", "")
	kind := func(res Results, rf model.ImageRef) FaultKind {
		if f := res.Faults[rf.String()]; len(f) == 1 {
			return f[0].Kind
		}
		return ""
	}
	res := merged(collect(t, r, context.Background(), []model.ImageRef{flaky}))
	if k := kind(res, flaky); k != FaultRateLimited {
		t.Fatalf("fault %q, want rate-limited", k)
	}
	tr.setFault("shop/flaky", nil) // the registry recovers
	tr.reset()
	res = merged(collect(t, r, context.Background(), []model.ImageRef{flaky}))
	if k, n := kind(res, flaky), tr.total(); k != FaultRateLimited || n != 0 {
		t.Errorf("within a minute: fault %q after %d requests, want the kept rate limit and 0", k, n)
	}
	clk.advance(faultTTL)
	res = merged(collect(t, r, context.Background(), []model.ImageRef{flaky, missing}))
	if d := res.Facts[flaky.String()].Digest; d != digest || kind(res, missing) != FaultNotFound {
		t.Errorf("after the fault expired: digest %q, problems %v", d, res.Problems)
	}
	tr.reset()
	res = merged(collect(t, r, context.Background(), []model.ImageRef{missing}))
	if k, n := kind(res, missing), tr.total(); k != FaultNotFound || n != 0 {
		t.Errorf("a missing tag within the TTL: fault %q after %d requests, want not-found and 0", k, n)
	}
	tr.push(t, "shop/flaky:nope", plainImage(t)) // CI pushed it meanwhile
	r.Refresh()
	res = merged(collect(t, r, context.Background(), []model.ImageRef{missing}))
	if len(res.Problems) != 0 || res.Facts[missing.String()].Digest == "" {
		t.Errorf("after Refresh: problems %v, want the pushed tag", res.Problems)
	}
}

// TestStreamReturnsWhenCancelled: a repository that never answers does not
// hold Stream once its context ends; the last batch says which lookups
// were given up.
func TestStreamReturnsWhenCancelled(t *testing.T) {
	tr := newTestRegistry(t)
	tr.push(t, "shop/ok:1", plainImage(t))
	tr.push(t, "shop/slow:1", plainImage(t))
	tr.setFault("shop/slow", &fault{hang: true})
	tr.arm()
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}, Timeout: time.Hour}
	ok, slow := ref(tr.host+"/shop/ok", "1", ""), ref(tr.host+"/shop/slow", "1", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan []Batch)
	go func() {
		var batches []Batch
		New(o).Stream(ctx, []model.ImageRef{ok, slow}, func(b Batch) {
			batches = append(batches, b)
			if b.Done < b.Total {
				cancel() // the user moved on
			}
		})
		done <- batches
	}()
	var batches []Batch
	select {
	case batches = <-done:
	case <-time.After(30 * time.Second): // a liveness guard; the request would hang an hour
		t.Fatal("Stream did not return after its context was cancelled")
	}
	res := merged(batches)
	last := batches[len(batches)-1]
	if res.Facts[ok.String()].Digest == "" || last.Done != 2 || last.Total != 2 {
		t.Errorf("batches %+v", batches)
	}
	if p := res.Problems[slow.String()]; len(p) != 1 || p[0].Message != "registry "+tr.host+": lookup cancelled" {
		t.Errorf("slow reference: problems %v, want one saying the lookup was cancelled", p)
	}
}

// TestSlowRepositoryDoesNotHoldOthers: while a repository's first request
// hangs, its other references wait aside and the workers go on with the
// other repositories (with workers parked at its gate, two workers would
// both be stuck here).
func TestSlowRepositoryDoesNotHoldOthers(t *testing.T) {
	tr := newTestRegistry(t)
	var refs, healthy []model.ImageRef
	for _, repo := range []string{"shop/slow", "shop/a", "shop/b"} {
		for v := range 3 {
			tag := fmt.Sprint(v)
			tr.push(t, repo+":"+tag, plainImage(t))
			refs = append(refs, ref(tr.host+"/"+repo, tag, ""))
			if repo != "shop/slow" {
				healthy = append(healthy, refs[len(refs)-1])
			}
		}
	}
	tr.setFault("shop/slow", &fault{hang: true})
	tr.arm()
	o := Options{CacheDir: "-", Concurrency: 2, Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}, Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan Results)
	go func() {
		var batches []Batch
		New(o).Stream(ctx, refs, func(b Batch) {
			batches = append(batches, b)
			if res := merged(batches); len(res.Facts) == len(healthy) {
				cancel() // everything but the slow repository is answered
			}
		})
		done <- merged(batches)
	}()
	var res Results
	select {
	case res = <-done:
	case <-time.After(30 * time.Second): // a liveness guard; the slow request would hang an hour
		t.Fatal("the healthy repositories were not answered while one repository hung")
	}
	for _, r := range healthy {
		if res.Facts[r.String()].Digest == "" {
			t.Errorf("%s: no digest, problems %v", r, res.Problems[r.String()])
		}
	}
}

// TestSameDigestIsFetchedOnce: references that end on one digest share its
// fetch, and its labels are read once.
func TestSameDigestIsFetchedOnce(t *testing.T) {
	tr := newTestRegistry(t)
	img := labeledImage(t, identity("1.0.0", "abc", "https://example.org", created1))
	d := tr.push(t, "shop/app:a", img)
	tr.push(t, "shop/app:b", img)
	tr.push(t, "shop/app:c", img)
	tr.arm()
	h := tr.host + "/shop/app"
	refs := []model.ImageRef{ref(h, "a", ""), ref(h, "b", ""), ref(h, "", d), ref(h, "c", d)}
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	res := New(o).Resolve(context.Background(), refs)
	if len(res.Facts) != 4 || len(res.Problems) != 0 {
		t.Fatalf("facts %v problems %v", res.Facts, res.Problems)
	}
	if blobs, byDigest := tr.count("GET blob"), tr.count("GET manifest")+tr.count("HEAD manifest")-tr.tagAsks(); blobs != 1 || byDigest != 0 {
		t.Errorf("%d config blob GETs and %d manifest requests by digest, want 1 and 0 (%v)", blobs, byDigest, tr.snapshot())
	}
}

// Sixty repositories on one registry cost two token exchanges (a batch
// holds fifty), not sixty: the token is asked for every scope at once.
func TestRepositoriesShareTokenExchanges(t *testing.T) {
	tr := newTestRegistry(t)
	var refs []model.ImageRef
	for i := range 60 {
		repo := fmt.Sprintf("team/svc%d", i)
		tr.push(t, repo+":1", plainImage(t))
		refs = append(refs, ref(tr.host+"/"+repo, "1", ""))
	}
	tr.private["team/svc7"] = true // left out of the grant, reported alone
	tr.arm()
	r := New(Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}})
	res := r.Resolve(context.Background(), refs)
	if got := tr.count("token"); got > 3 {
		t.Errorf("%d token exchanges for 60 repositories, want 2 (and 1 more for the private one alone)", got)
	}
	if len(res.Facts) != 59 {
		t.Errorf("%d facts, want 59", len(res.Facts))
	}
	if p := res.Problems[tr.host+"/team/svc7:1"]; len(p) != 1 || !strings.Contains(p[0].Message, "not authorized to read team/svc7") {
		t.Errorf("the private repository's problem: %v", p)
	}
}

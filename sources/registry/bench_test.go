package registry

import (
	"context"
	"fmt"
	"maps"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/crane"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/ferryhq/ferry/model"
)

// Benchmark sizes: small by default so CI stays fast; the issue's full size
// is FERRY_BENCH_REFS=1500 FERRY_BENCH_REPOS=300 (20 ms latency):
//
//	FERRY_BENCH_REFS=1500 FERRY_BENCH_REPOS=300 go test -run '^$' \
//	  -bench ResolveVsBaseline -benchtime 1x ./sources/registry
func benchSize() (refs, repos int, latency time.Duration) {
	env := func(key string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
			return n
		}
		return def
	}
	return env("FERRY_BENCH_REFS", 60), env("FERRY_BENCH_REPOS", 12),
		time.Duration(env("FERRY_BENCH_LATENCY_MS", 20)) * time.Millisecond
}

// perRepo spreads nRefs over nRepos: how many references repository r gets.
func perRepo(r, nRefs, nRepos int) int {
	if r < nRefs%nRepos {
		return nRefs/nRepos + 1
	}
	return nRefs / nRepos
}

// formsWorld pushes, per repository, three annotated releases and declares
// them the way five environments of a GitOps repo do: by tag, by tag and
// digest, and by digest alone.
func formsWorld(b *testing.B, tr *testRegistry, nRefs, nRepos int) []model.ImageRef {
	base := plainImage(b)
	var refs []model.ImageRef
	for r := 0; r < nRepos; r++ {
		repo := fmt.Sprintf("team%d/svc%d", r%10, r)
		var digests []string
		for v := range 3 {
			version := fmt.Sprintf("1.%d.0", v)
			img := mutate.Annotations(base, identity(version, fmt.Sprintf("%07x", r*10+v), "https://example.org/"+repo, created1)).(v1.Image)
			digests = append(digests, tr.push(b, repo+":"+version, img))
		}
		full := tr.host + "/" + repo
		forms := []model.ImageRef{
			ref(full, "1.2.0", ""),         // dev follows the newest tag
			ref(full, "1.2.0", digests[2]), // test pins it
			ref(full, "1.1.0", digests[1]), // staging
			ref(full, "", digests[1]),      // canary, digest only
			ref(full, "1.0.0", digests[0]), // prod
		}
		for i := range perRepo(r, nRefs, nRepos) {
			f := forms[i%len(forms)]
			if i >= len(forms) { // more references than forms: vary the tag spelling
				f = ref(full, fmt.Sprintf("1.%d.0", i%3), "")
			}
			refs = append(refs, f)
		}
	}
	return refs
}

// issueWorld is the world the issue measured (300 apps × 5 environments,
// 600 unique tags at full size; the old resolver made exactly its 1,801
// requests): every environment declares its app by tag alone, the first
// three environments the new release, the last two the one before. The
// older release was built before the team added OCI annotations, so its
// identity lives in config labels (one more GET) — unless annotated is set,
// the same world with both releases annotated.
func issueWorld(annotated bool) worldFunc {
	return func(b *testing.B, tr *testRegistry, nRefs, nRepos int) []model.ImageRef {
		var refs []model.ImageRef
		for r := 0; r < nRepos; r++ {
			repo := fmt.Sprintf("apps%d/app%d", r%10, r)
			source := "https://example.org/" + repo
			old := identity("1.4.0", fmt.Sprintf("%07x", r*10), source, created1)
			if annotated {
				tr.push(b, repo+":1.4.0", annotatedImage(b, old, nil))
			} else {
				tr.push(b, repo+":1.4.0", labeledImage(b, old))
			}
			tr.push(b, repo+":1.5.0", annotatedImage(b, identity("1.5.0", fmt.Sprintf("%07x", r*10+1), source, created2), nil))
			full := tr.host + "/" + repo
			for env := range perRepo(r, nRefs, nRepos) {
				tag := "1.5.0"
				if env%5 >= 3 {
					tag = "1.4.0"
				}
				refs = append(refs, ref(full, tag, ""))
			}
		}
		return refs
	}
}

// worldFunc pushes a world's images and returns its declared references.
type worldFunc func(b *testing.B, tr *testRegistry, nRefs, nRepos int) []model.ImageRef

// BenchmarkResolveVsBaseline measures, per world, a loop of crane.Digest
// (the baseline), a cold Resolver, a warm one on the disk cache, a warm one
// whose tag answers expired (Refresh), and the same Resolver streaming the
// same references again (a console re-reading Git). x-bound is the time
// over ⌈unique references / concurrency⌉ × latency.
func BenchmarkResolveVsBaseline(b *testing.B) {
	nRefs, nRepos, latency := benchSize()
	worlds := []struct {
		name     string
		build    worldFunc
		baseline bool
	}{
		{"forms", formsWorld, true},
		{"issue", issueWorld(false), true},
		{"issue-annotated", issueWorld(true), false}, // a variant: the baseline is the issue's
	}
	for _, w := range worlds {
		b.Run(w.name, func(b *testing.B) { benchResolve(b, w.build, w.baseline, nRefs, nRepos, latency) })
	}
}

func benchResolve(b *testing.B, build worldFunc, baseline bool, nRefs, nRepos int, latency time.Duration) {
	tr := newTestRegistry(b)
	refs := build(b, tr, nRefs, nRepos)
	tr.latency = latency
	tr.arm()
	unique := len(schedule(refs))
	const concurrency = 16
	bound := time.Duration(math.Ceil(float64(unique)/concurrency)) * latency
	opts := func(cacheDir string) Options {
		return Options{CacheDir: cacheDir, Concurrency: concurrency, Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	}
	// stream drains one Stream and says how long its first batch took.
	stream := func(r *Resolver) (first time.Duration) {
		start := time.Now()
		res := Results{Facts: map[string]model.RegistryFacts{}, Problems: map[string][]model.Problem{}}
		r.Stream(context.Background(), refs, func(bt Batch) {
			if first == 0 {
				first = time.Since(start)
			}
			maps.Copy(res.Facts, bt.Facts)
			maps.Copy(res.Problems, bt.Problems)
		})
		if len(res.Problems) != 0 || len(res.Facts) != unique {
			b.Fatalf("%d facts for %d references, problems: %v", len(res.Facts), unique, res.Problems)
		}
		return first
	}

	measured := map[string]time.Duration{}
	run := func(name string, prepare func(b *testing.B) func() time.Duration) {
		b.Run(name, func(b *testing.B) {
			var total, first time.Duration
			requests := 0
			for range b.N {
				b.StopTimer()
				resolve := prepare(b)
				tr.reset()
				b.StartTimer()
				start := time.Now()
				first += resolve()
				total += time.Since(start)
				requests += tr.total()
			}
			per := total / time.Duration(b.N)
			measured[name] = per
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(per)/float64(bound), "x-bound")
			if first > 0 {
				b.ReportMetric(float64(first/time.Duration(b.N))/float64(time.Millisecond), "ms-first-batch")
			}
		})
	}
	if baseline {
		run("baseline", func(*testing.B) func() time.Duration {
			// A shell loop of `crane digest`: one fresh call per reference,
			// each pinging, exchanging a token and asking HEAD, no cache.
			return func() time.Duration {
				for _, r := range refs {
					if _, err := crane.Digest(r.String(), crane.Insecure, crane.WithAuthFromKeychain(&countingKeychain{})); err != nil {
						b.Fatal(err)
					}
				}
				return 0
			}
		})
	}
	fresh := func(dir func(b *testing.B) string, refresh bool) func(b *testing.B) func() time.Duration {
		return func(b *testing.B) func() time.Duration {
			o := opts(dir(b))
			o.Refresh = refresh
			return func() time.Duration { return stream(New(o)) }
		}
	}
	warmDir := b.TempDir()
	stream(New(opts(warmDir)))
	warm := func(*testing.B) string { return warmDir }
	run("ferry-cold", fresh(func(b *testing.B) string { return b.TempDir() }, false))
	run("ferry-warm", fresh(warm, false))
	run("ferry-warm-refresh", fresh(warm, true))
	run("ferry-again", func(*testing.B) func() time.Duration {
		r := New(opts("-")) // memory only: what a console's Resolver knows
		stream(r)
		return func() time.Duration { return stream(r) }
	})

	b.Logf("%d references (%d unique) over %d repositories, %s latency, concurrency %d; bound ⌈unique/concurrency⌉×latency = %s",
		len(refs), unique, nRepos, latency, concurrency, bound)
	for _, name := range []string{"ferry-cold", "ferry-warm", "ferry-warm-refresh", "ferry-again"} {
		if measured[name] > 0 && measured["baseline"] > 0 {
			b.Logf("%-19s %10s  %7.1fx faster than baseline (%s), %.2fx the bound",
				name, measured[name].Round(time.Millisecond), float64(measured["baseline"])/float64(measured[name]),
				measured["baseline"].Round(time.Millisecond), float64(measured[name])/float64(bound))
		}
	}
}

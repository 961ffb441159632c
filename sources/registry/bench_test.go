package registry

import (
	"context"
	"fmt"
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

// Benchmark sizes: small by default so CI stays fast; the full size
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

// benchWorld pushes, per repository, three annotated releases and declares
// them the way five environments of a GitOps repo do: by tag, by tag and
// digest, and by digest alone.
func benchWorld(b *testing.B, tr *testRegistry, nRefs, nRepos int) []model.ImageRef {
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
		per := nRefs / nRepos
		if r < nRefs%nRepos {
			per++
		}
		for i := 0; i < per; i++ {
			f := forms[i%len(forms)]
			if i >= len(forms) { // more references than forms: vary the tag spelling
				f = ref(full, fmt.Sprintf("1.%d.0", i%3), "")
			}
			refs = append(refs, f)
		}
	}
	return refs
}

func BenchmarkResolveVsBaseline(b *testing.B) {
	nRefs, nRepos, latency := benchSize()
	tr := newTestRegistry(b)
	refs := benchWorld(b, tr, nRefs, nRepos)
	tr.latency = latency
	tr.arm()
	unique := len(schedule(refs))
	const concurrency = 16
	bound := time.Duration(math.Ceil(float64(unique)/concurrency)) * latency
	insecure := func(string) bool { return true }
	opts := func(cacheDir string) Options {
		return Options{CacheDir: cacheDir, Concurrency: concurrency, Insecure: insecure, Keychain: &countingKeychain{}}
	}

	measured := map[string]time.Duration{}
	run := func(name string, prepare func(b *testing.B) Options, resolve func(Options)) {
		b.Run(name, func(b *testing.B) {
			var total time.Duration
			requests := 0
			for range b.N {
				o := prepare(b)
				tr.reset()
				start := time.Now()
				resolve(o)
				total += time.Since(start)
				requests += tr.total()
			}
			per := total / time.Duration(b.N)
			measured[name] = per
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(per)/float64(bound), "x-bound")
		})
	}
	run("baseline", func(*testing.B) Options { return Options{} }, func(Options) {
		// A shell loop of `crane digest`: one fresh call per reference,
		// each pinging, exchanging a token and asking HEAD, no cache.
		for _, r := range refs {
			if _, err := crane.Digest(r.String(), crane.Insecure, crane.WithAuthFromKeychain(&countingKeychain{})); err != nil {
				b.Fatal(err)
			}
		}
	})
	resolve := func(o Options) {
		res := New(o).Resolve(context.Background(), refs)
		if len(res.Problems) != 0 || len(res.Facts) != unique {
			b.Fatalf("%d facts for %d references, problems: %v", len(res.Facts), unique, res.Problems)
		}
	}
	run("ferry-cold", func(b *testing.B) Options { return opts(b.TempDir()) }, resolve)
	warmDir := b.TempDir()
	New(opts(warmDir)).Resolve(context.Background(), refs)
	run("ferry-warm", func(*testing.B) Options { return opts(warmDir) }, resolve)
	run("ferry-warm-refresh", func(*testing.B) Options { o := opts(warmDir); o.Refresh = true; return o }, resolve)

	b.Logf("%d references (%d unique) over %d repositories, %s latency, concurrency %d; bound ⌈unique/concurrency⌉×latency = %s",
		len(refs), unique, nRepos, latency, concurrency, bound)
	for _, name := range []string{"ferry-cold", "ferry-warm", "ferry-warm-refresh"} {
		if measured[name] > 0 && measured["baseline"] > 0 {
			b.Logf("%-19s %10s  %7.1fx faster than baseline (%s), %.2fx the bound",
				name, measured[name].Round(time.Millisecond), float64(measured["baseline"])/float64(measured[name]),
				measured["baseline"].Round(time.Millisecond), float64(measured[name])/float64(bound))
		}
	}
}

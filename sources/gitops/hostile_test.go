package gitops

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/sources/helm"
	"github.com/ferryhq/ferry/sources/kustomize"
	"github.com/ferryhq/ferry/sources/repotree"
)

// hostilePlaces are the files of hostileTree each reader takes in: a base
// kustomize builds, a values file Helm renders with, a chart template, a
// plain manifest, and ferry.yaml.
var hostilePlaces = []string{
	"apps/app-001/base/deployment.yaml",
	"environments/dev/app-000/values.yaml",
	"charts/app-000/templates/deployment.yaml",
	"environments/dev/plain/deployment.yaml",
	"ferry.yaml",
}

// hostileTree is a small repo with one file of every kind a reader takes.
func hostileTree() map[string][]byte {
	files := maps.Clone(generatedTree(2, true).Files())
	files["environments/dev/plain/deployment.yaml"] = []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: plain
spec:
  template:
    spec:
      containers:
        - name: plain
          image: registry.example.org/shop/plain:1.0.0
`)
	files["ferry.yaml"] = []byte("environments:\n" + "  - name: " + strings.Join(readBenchEnvs, "\n  - name: ") + "\n")
	return files
}

// hostilePayloads are appended to a file of hostileTree as a top-level key:
// a "billion laughs" alias bomb (9⁹ nodes once expanded), 9,900 levels of
// block sequences and of flow mappings (20 and 50 KB; the parsers
// themselves stop at 10,000), 300 levels of indented mappings (45 KB), and
// bulk that makes the file 50 MB.
var hostilePayloads = map[string]func() string{
	"alias-bomb": func() string {
		var b strings.Builder
		b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
		for i := 1; i <= 8; i++ {
			p := fmt.Sprintf("*l%d", i-1)
			fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.Repeat(p+", ", 8)+p)
		}
		return b.String()
	},
	// An alias inside the node it names: yaml.v3 builds the loop, and a
	// reader that follows aliases would walk it for ever.
	"alias-cycle": func() string { return "base: &img\n  image: *img\n  tag: x\n" },
	"deep-block":  func() string { return "deep:\n" + strings.Repeat("- ", 9_900) + "x\n" },
	"deep-flow": func() string {
		return "deep: " + strings.Repeat("{a: ", 9_900) + "x" + strings.Repeat("}", 9_900) + "\n"
	},
	"deep-indent": func() string {
		var b strings.Builder
		for i := range 300 {
			b.WriteString(strings.Repeat(" ", i) + "a:\n")
		}
		return "deep:\n " + strings.ReplaceAll(b.String(), "\n", "\n ")
	},
	"50MB": func() string {
		line := "# " + strings.Repeat("padding ", 12) + "\n"
		return strings.Repeat(line, 50<<20/len(line)+1)
	},
}

// readHostile reads the tree with payload appended to place, cold (no
// build or render cached), and returns what the reading allocated.
func readHostile(place, payload string) (res *Result, bytes, mallocs uint64) {
	files := hostileTree()
	files[place] = append(append([]byte(nil), files[place]...), payload...)
	kustomize.ForgetBuilds()
	helm.ForgetRenders()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res = Read(repotree.NewTree("hostile", files))
	runtime.ReadMemStats(&after)
	return res, after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// Hostile input costs bounded work in every reader, and the file is named.
// The bounds are the reading's own allocation counters: a plain read of
// this tree allocates about 6 MB in 60,000 allocations. Before the guard,
// the alias bomb in the base ran kustomize out of memory (4 GB in 24 s)
// and 9,900 levels of flow mappings kept it busy past 90 s.
func TestHostileYAMLCostsBoundedWorkAndNamesTheFile(t *testing.T) {
	const maxBytes, maxMallocs = 32 << 20, 250_000
	_, plainBytes, plainMallocs := readHostile("ferry.yaml", "")
	t.Logf("plain tree: %.1f MB, %d allocations", float64(plainBytes)/1e6, plainMallocs)
	for _, name := range slices.Sorted(maps.Keys(hostilePayloads)) {
		text := hostilePayloads[name]()
		for _, place := range hostilePlaces {
			res, bytes, mallocs := readHostile(place, text)
			t.Logf("%s in %s: %.1f MB, %d allocations", name, place, float64(bytes)/1e6, mallocs)
			if bytes > maxBytes || mallocs > maxMallocs {
				t.Errorf("%s in %s: allocated %d bytes in %d allocations, want at most %d and %d",
					name, place, bytes, mallocs, maxBytes, maxMallocs)
			}
			if !namesFile(res, place) {
				t.Errorf("%s in %s: no problem names the file:\n%s", name, place, problemsText(res.Problems))
			}
		}
	}
}

// A file left out for its size is named when some reader takes it — a
// chart's template helpers too —, not when nothing would read it.
func TestSkippedFilesAreNamedWhereAReaderTakesThem(t *testing.T) {
	files := hostileTree()
	big := make([]byte, repotree.MaxFileSize+1)
	files["charts/app-000/templates/_helpers.tpl"] = big
	files["docs/logo.png"] = big
	res := Read(repotree.NewTree("big", files))
	if !namesFile(res, "charts/app-000/templates/_helpers.tpl") || namesFile(res, "docs/logo.png") {
		t.Errorf("problems:\n%s", problemsText(res.Problems))
	}
}

func namesFile(res *Result, file string) bool {
	for _, p := range res.Problems {
		if p.Problem.File == file {
			return true
		}
	}
	return false
}

// BenchmarkHostileYAML reads the hostile tree with each payload in each
// place: wall time and allocation per reading.
func BenchmarkHostileYAML(b *testing.B) {
	for _, name := range slices.Sorted(maps.Keys(hostilePayloads)) {
		text := hostilePayloads[name]()
		for _, place := range hostilePlaces {
			b.Run(name+"/"+strings.ReplaceAll(place, "/", "_"), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					readHostile(place, text)
				}
			})
		}
	}
}

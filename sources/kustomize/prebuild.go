package kustomize

import (
	"crypto/sha256"
	"maps"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Overlays per worker below which a worker's own in-memory filesystem costs
// more than the builds it takes over.
const minBuildsPerWorker = 8

// maxBuildWorkers bounds the copies of the tree kept in memory at once.
const maxBuildWorkers = 8

// Prebuild builds the overlays in dirs on several goroutines and
// keeps the results, so the Build calls that follow are lookups.
// Discovery calls it with every overlay dir it found; it is only a speed-up
// (a cold read of 300 apps × 5 overlays is seconds of krusty CPU, spread
// over the cores here). Each worker has its own kustomizer and a filesystem
// holding only the files the builds read;
// overlays that set a custom OpenAPI schema (global in kustomize) are left
// to Build, which builds one at a time.
func Prebuild(t *repotree.Tree, dirs []string) {
	buildMu.Lock()
	defer buildMu.Unlock()
	c := cacheFor(t)
	type job struct {
		dir string
		key [sha256.Size]byte
	}
	var jobs []job
	queued := map[[sha256.Size]byte]bool{}
	inputs := map[string]bool{} // all the workers' filesystems need
	for _, dir := range dirs {
		k := c.kust(cleanDir(dir))
		if k == nil || c.setsSchema(k) {
			continue
		}
		key := c.inputKey(k)
		if _, done := buildResults[key]; !done && !queued[key] {
			queued[key] = true
			jobs = append(jobs, job{k.Dir, key})
			maps.Copy(inputs, c.inputFiles(k))
		}
	}
	workers := min(runtime.GOMAXPROCS(0), maxBuildWorkers, len(jobs)/minBuildsPerWorker)
	if workers < 2 {
		return // Build builds them as they are asked for
	}
	results := make([]buildResult, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			// Each worker copies only the jobs' inputs, not the tree.
			wc := newKustCache(t)
			wc.fs = inMemory(t, inputs)
			for i := int(next.Add(1) - 1); i < len(jobs); i = int(next.Add(1) - 1) {
				results[i] = wc.build(wc.kust(jobs[i].dir))
			}
		})
	}
	wg.Wait()
	for i, j := range jobs {
		rememberBuild(j.key, results[i])
	}
}

// setsSchema reports whether a kustomization the overlay includes sets a
// custom OpenAPI schema, which kustomize keeps in a global.
func (c *kustCache) setsSchema(overlay *kustFile) bool {
	found := false
	c.walk(overlay, func(k *kustFile) {
		found = found || repotree.Get(k.Root, "openapi") != nil
	})
	return found
}

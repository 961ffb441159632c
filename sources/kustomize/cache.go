package kustomize

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"maps"
	"path"
	"runtime/debug"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// A krusty build costs milliseconds, so results are kept by the hash of
// everything the build reads: a refresh at a new commit, or a walk through
// history, rebuilds only the overlays whose inputs changed.

// buildResult is what Build returns for one overlay.
type buildResult struct {
	Images   []Image
	Problems []model.Problem
}

// maxCachedBuilds bounds the results kept; past it the cache starts over.
const maxCachedBuilds = 20000

var buildResults = map[[sha256.Size]byte]buildResult{}

// ForgetBuilds forgets every cached build (benchmarks start cold).
func ForgetBuilds() {
	buildMu.Lock()
	defer buildMu.Unlock()
	buildResults = map[[sha256.Size]byte]buildResult{}
	lastCache = nil
}

func rememberBuild(key [sha256.Size]byte, r buildResult) {
	if len(buildResults) >= maxCachedBuilds {
		buildResults = map[[sha256.Size]byte]buildResult{}
	}
	buildResults[key] = r
}

// copy returns a result the caller may modify.
func (r buildResult) copy() ([]Image, []model.Problem) {
	images := slices.Clone(r.Images)
	for i := range images {
		images[i].Location.Fields = maps.Clone(images[i].Location.Fields)
	}
	return images, slices.Clone(r.Problems)
}

// buildCacheFormat changes whenever what a build returns changes, so a
// cache written by another ferry is not trusted.
const buildCacheFormat = "ferry-kustomize-builds-1"

// buildCacheStamp names the format and the binary that wrote a cache file.
func buildCacheStamp() string {
	stamp := buildCacheFormat
	if info, ok := debug.ReadBuildInfo(); ok {
		stamp += " " + info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				stamp += " " + s.Value
			}
		}
	}
	return stamp
}

type buildCacheFile struct {
	Stamp  string
	Builds map[[sha256.Size]byte]buildResult
}

// WriteCache saves the kustomize build results of this process, so the
// next run (a new `ferry status`) builds only overlays whose inputs changed.
func WriteCache(w io.Writer) error {
	buildMu.Lock()
	defer buildMu.Unlock()
	return gob.NewEncoder(w).Encode(buildCacheFile{Stamp: buildCacheStamp(), Builds: buildResults})
}

// ReadCache loads results saved by WriteCache. A cache from
// another ferry build, or one that does not decode, is an error and
// nothing is loaded; the caller may ignore it (builds just run again).
func ReadCache(r io.Reader) error {
	var f buildCacheFile
	if err := gob.NewDecoder(r).Decode(&f); err != nil {
		return fmt.Errorf("kustomize build cache is unreadable: %w", err)
	}
	if f.Stamp != buildCacheStamp() {
		return fmt.Errorf("kustomize build cache was written by another ferry (%s)", f.Stamp)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	for key, r := range f.Builds {
		rememberBuild(key, r)
	}
	return nil
}

// inputKey hashes the overlay's directory and every file its build may
// read (inputFiles).
func (c *kustCache) inputKey(overlay *kustFile) [sha256.Size]byte {
	files := c.inputFiles(overlay)
	h := sha256.New()
	h.Write([]byte(overlay.Dir))
	var size [8]byte
	for _, p := range slices.Sorted(maps.Keys(files)) {
		data, _ := c.tree.Read(p)
		binary.LittleEndian.PutUint64(size[:], uint64(len(data)))
		h.Write([]byte{0})
		h.Write([]byte(p))
		h.Write(size[:])
		h.Write(data)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// inputFiles lists every file an overlay's build may read: all files below
// each kustomization it includes, and any file or directory outside them
// that a kustomization names (shared patches, generator files).
func (c *kustCache) inputFiles(overlay *kustFile) map[string]bool {
	files := map[string]bool{}
	addDir := func(dir string) {
		for _, p := range c.tree.Under(dir) {
			files[p] = true
		}
	}
	c.walk(overlay, func(k *kustFile) {
		addDir(k.Dir)
		eachScalarNode(k.Root, func(n *yaml.Node) {
			v := n.Value
			if p := path.Join(k.Dir, v); c.tree.Has(p) {
				files[p] = true
			} else if isRemote(v) || len(v) > 256 {
				return
			} else if under := c.tree.Under(p); len(under) > 0 && p != k.Dir {
				addDir(p)
			}
		})
	})
	return files
}

// Inputs lists, sorted, every file the build of the overlay in dir may
// read: its kustomizations, resources and patches. --explain names them as
// what feeds the overlay's cells.
func Inputs(t *repotree.Tree, dir string) []string {
	buildMu.Lock()
	defer buildMu.Unlock()
	k := cacheFor(t).kust(cleanDir(dir))
	if k == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(cacheFor(t).inputFiles(k)))
}

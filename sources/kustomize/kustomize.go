package kustomize

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// Image is one image a kustomize overlay deploys, with where a
// promotion would write it.
type Image struct {
	Name      string         // container name, or values key ("" for a top-level values image)
	Ref       model.ImageRef // parsed with sources/imageref
	Location  model.Location // File/Line/Column/Kind/Path/Fields/Setter
	Inherited string         // file the value comes from when the overlay only inherits it
	Workload  string         // "Deployment/search-api" (name after namePrefix/Suffix)
	AppLabel  string         // app.kubernetes.io/name or app.kubernetes.io/instance label, or ""
}

// Build builds the kustomization in dir (repo-relative) over the tree and returns
// every image the built output would deploy (workload containers and Flux HelmRelease
// spec.values images), each with where a promotion would write it.
//
// The location is the first place, walking from the overlay down to the
// resource file, that sets the value: at each level the images: entry whose
// newName (or name), newTag and digest give the final image, then the
// patches that set the container's image: or the values field, last first.
// When that place is the overlay's own file, Location points at it
// (KindKustomizeImages, KindKustomizePatch, or KindManifest /
// KindFluxHelmRelease for a resource file the overlay lists itself).
// Otherwise the overlay only inherits: Location is its kustomization at
// line 0 — KindKustomizeAddImages for containers, KindKustomizePatch for
// HelmRelease values (images: entries do not reach values) — and Inherited
// names the file that really sets the value; Setter is that field's marker.
//
// Results are cached by the hash of every file a build reads, so building
// the same overlay of a later tree is a lookup when its inputs are
// unchanged.
//
// Builds are serialised: krusty keeps global state (its OpenAPI schema) and
// the in-memory filesystem shared by the builds of one tree is not safe for
// concurrent use.
func Build(t *repotree.Tree, dir string) ([]Image, []model.Problem) {
	buildMu.Lock()
	defer buildMu.Unlock()
	c := cacheFor(t)
	dir = cleanDir(dir)
	k := c.kust(dir)
	if k == nil {
		return nil, []model.Problem{{Source: "git", File: dir,
			Message: "no kustomization.yaml in this directory"}}
	}
	key := c.inputKey(k)
	r, ok := buildResults[key]
	if !ok {
		r = c.build(k) // krusty's deprecation warnings go to fd 2, which the wiring sends to the log
		rememberBuild(key, r)
	}
	return r.copy()
}

// build runs krusty on an overlay and locates the images of its output.
func (c *kustCache) build(k *kustFile) (r buildResult) {
	defer func() {
		// Odd input must cost one cell, never the program.
		if p := recover(); p != nil {
			r = buildResult{Problems: []model.Problem{{Source: "git", File: k.File,
				Message: fmt.Sprintf("could not read the kustomize build: %v", p)}}}
		}
	}()
	if problems := c.unbuildable(k); len(problems) > 0 {
		return buildResult{Problems: problems}
	}
	m, err := c.run(k)
	if err != nil {
		return buildResult{Problems: []model.Problem{c.buildProblem(k, err)}}
	}
	b := overlayBuild{c: c, overlay: k}
	images, problems := b.found(builtImages(m))
	return buildResult{Images: images, Problems: problems}
}

func cleanDir(dir string) string {
	dir = path.Clean(strings.TrimPrefix(dir, "/"))
	if dir == "." {
		return ""
	}
	return dir
}

var (
	buildMu   sync.Mutex
	lastCache *kustCache
)

// kustCache holds what the builds of one tree share: the in-memory
// filesystem krusty reads, and parsed kustomizations and resource files.
// Discovery builds every overlay of one tree in a row, so one cache (the
// last tree's) is enough and nothing accumulates.
type kustCache struct {
	tree       *repotree.Tree
	fs         filesys.FileSystem
	kustomizer *krusty.Kustomizer
	kusts      map[string]*kustFile // by directory; nil when it has none
	docs       map[string][]repotree.Doc
	rooted     *regexp.Regexp // "/apps/…" as the in-memory filesystem says it
}

// rootedPaths matches a repo path written from the in-memory filesystem's
// root ("'/apps/web'"), keeping the character before it.
func (c *kustCache) rootedPaths() *regexp.Regexp {
	if c.rooted == nil {
		var tops []string
		seen := map[string]bool{}
		for _, p := range c.tree.Paths() {
			top, _, _ := strings.Cut(p, "/")
			if !seen[top] {
				seen[top] = true
				tops = append(tops, regexp.QuoteMeta(top))
			}
		}
		c.rooted = regexp.MustCompile(`(^|['"( ])/((?:` + strings.Join(tops, "|") + `)(?:[/'")\s]|$))`)
	}
	return c.rooted
}

func cacheFor(t *repotree.Tree) *kustCache {
	if lastCache == nil || lastCache.tree != t {
		lastCache = newKustCache(t)
	}
	return lastCache
}

func newKustCache(t *repotree.Tree) *kustCache {
	opts := krusty.MakeDefaultOptions()
	// Like Flux's kustomize-controller: files outside an overlay's
	// directory (shared patches) may be read.
	opts.LoadRestrictions = types.LoadRestrictionsNone
	return &kustCache{tree: t, kustomizer: krusty.MakeKustomizer(opts),
		kusts: map[string]*kustFile{}, docs: map[string][]repotree.Doc{}}
}

// kust returns the parsed kustomization of dir, or nil.
func (c *kustCache) kust(dir string) *kustFile {
	k, ok := c.kusts[dir]
	if !ok {
		k = readKustFile(c.tree, dir)
		c.kusts[dir] = k
	}
	return k
}

// fileDocs returns the parsed documents of a tree file.
func (c *kustCache) fileDocs(file string) []repotree.Doc {
	docs, ok := c.docs[file]
	if !ok {
		data, _ := c.tree.Read(file)
		docs, _ = repotree.ParseDocs(file, data)
		c.docs[file] = docs
	}
	return docs
}

// unbuildable reports what stops ferry from building an overlay before
// krusty runs: YAML errors in its kustomizations, and remote bases and
// files, which krusty would fetch over the network.
func (c *kustCache) unbuildable(overlay *kustFile) []model.Problem {
	var problems []model.Problem
	c.walk(overlay, func(k *kustFile) {
		problems = append(problems, k.Problems...)
		for _, r := range k.Resources {
			if r.Remote {
				problems = append(problems, model.Problem{Source: "git", File: k.File,
					Line: r.Node.Line, Message: "remote bases are not read: " + r.Value})
			}
		}
		for _, n := range k.remoteFiles() {
			problems = append(problems, model.Problem{Source: "git", File: k.File,
				Line: n.Line, Message: "remote files are not read: " + n.Value})
		}
	})
	return problems
}

// walk visits a kustomization and every local kustomization it includes,
// each once.
func (c *kustCache) walk(k *kustFile, visit func(*kustFile)) {
	seen := map[string]bool{}
	var rec func(*kustFile)
	rec = func(k *kustFile) {
		if seen[k.Dir] {
			return
		}
		seen[k.Dir] = true
		visit(k)
		for _, r := range k.Resources {
			if sub := c.kust(r.Path); r.IsDir && sub != nil {
				rec(sub)
			}
		}
	}
	rec(k)
}

// run builds the overlay with krusty.
func (c *kustCache) run(k *kustFile) (m resmap.ResMap, err error) {
	if c.fs == nil {
		c.fs = inMemory(c.tree, nil)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize crashed: %v", r)
		}
	}()
	m, err = c.kustomizer.Run(c.fs, "/"+k.Dir)
	return m, err
}

// inMemory copies the tree (only the files in only, when given) into the
// filesystem krusty reads. It is made only when some overlay of the tree
// is not in the results cache.
func inMemory(t *repotree.Tree, only map[string]bool) filesys.FileSystem {
	fs := filesys.MakeFsInMemory()
	for p, data := range t.Files() {
		if only != nil && !only[p] {
			continue
		}
		// An error means a path the in-memory filesystem cannot hold
		// (a file where a directory should be); krusty then reports the
		// missing file on the overlay that needs it.
		_ = fs.WriteFile("/"+p, data)
	}
	return fs
}

// buildProblem turns a krusty error into a problem on the kustomization.
func (c *kustCache) buildProblem(k *kustFile, err error) model.Problem {
	// The in-memory filesystem roots repo paths at "/"; say them as the
	// user writes them.
	msg := c.rootedPaths().ReplaceAllString(err.Error(), "$1$2")
	return model.Problem{Source: "git", File: k.File, Line: k.entryLine(msg),
		Message: "kustomize build failed: " + c.leftOut(msg)}
}

// leftOut says why a resource is missing when the tree left it out (its
// size, its YAML's limits): the file exists, ferry did not read it.
func (c *kustCache) leftOut(msg string) string {
	m := missingResource.FindStringSubmatch(msg)
	if m == nil {
		return plainBuildError(msg)
	}
	if n, ok := c.tree.Skipped[m[2]]; ok {
		return fmt.Sprintf("resource %s not read (%s is %.1f MiB, over ferry's limit)", m[1], m[2], float64(n)/(1<<20))
	}
	if e, ok := c.tree.Refused[m[2]]; ok {
		return fmt.Sprintf("resource %s not read (%s: %s)", m[1], m[2], e.Reason)
	}
	if why, ok := c.tree.BrokenLinks[m[2]]; ok {
		return fmt.Sprintf("resource %s not read (%s is %s)", m[1], m[2], why)
	}
	return plainBuildError(msg)
}

// missingResource matches krusty's report of a resources: entry that is
// neither a file nor a directory.
var missingResource = regexp.MustCompile(`accumulating resources from '([^']+)': '([^']+)' doesn't exist`)

// plainBuildError shortens krusty's nested error for the common case of a
// missing resource; other errors are kept whole, since their detail is the
// reason.
func plainBuildError(msg string) string {
	if m := missingResource.FindStringSubmatch(msg); m != nil {
		return "resource " + m[1] + " not found (" + m[2] + " does not exist)"
	}
	if strings.Contains(msg, "must specify --enable-helm") {
		return "helmCharts need helm to inflate, which ferry does not run"
	}
	return msg
}

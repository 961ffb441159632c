package gitops

import (
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/kustomize"
	"github.com/ferryhq/ferry/sources/repotree"
)

// kustomizeDirs returns every folder holding a kustomization, mapped to that
// file.
func kustomizeDirs(t *repotree.Tree) map[string]string {
	out := map[string]string{}
	for _, p := range t.Paths() {
		dir, file := path.Split(p)
		for _, n := range kustomize.FileNames {
			if file == n {
				out[strings.TrimSuffix(dir, "/")] = p
			}
		}
	}
	return out
}

// kustomizeOwned reports whether a file belongs to a kustomization: its
// folder or one above it holds one. Such files are read by building the
// overlay, never on their own.
func kustomizeOwned(p string, dirs map[string]string) bool {
	for d := path.Dir(p); ; d = path.Dir(d) {
		key := d
		if d == "." {
			key = ""
		}
		if _, ok := dirs[key]; ok {
			return true
		}
		if d == "." || d == "/" {
			return false
		}
	}
}

// overlayTarget is a kustomization ferry builds: it is what one environment
// deploys.
type overlayTarget struct {
	Dir string
	Env string
}

// findOverlays decides which kustomizations are overlays to build: those in
// an environment path, except bases and components, and except a
// kustomization that another one of the same environment already includes
// (building the outer one covers it). Extra holds folders ferry.yaml names
// explicitly, with their environment.
func findOverlays(t *repotree.Tree, dirs map[string]string, l layout, extra map[string]string) []overlayTarget {
	envOf := map[string]string{}
	for dir := range dirs {
		if env, ok := extra[dir]; ok {
			envOf[dir] = env
			continue
		}
		if isBaseDir(dir) {
			continue
		}
		if env, _ := l.envFromPath(dir + "/kustomization.yaml"); env != "" {
			envOf[dir] = env
		}
	}
	included := map[string]bool{}
	for dir, env := range envOf {
		for _, ref := range kustomizationRefs(t, dirs[dir]) {
			if envOf[ref] == env && ref != dir {
				if _, explicit := extra[ref]; !explicit {
					included[ref] = true
				}
			}
		}
	}
	var out []overlayTarget
	for dir, env := range envOf {
		if !included[dir] {
			out = append(out, overlayTarget{Dir: dir, Env: env})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// isBaseDir reports folders that are shared building blocks, never an
// environment's own overlay.
func isBaseDir(dir string) bool {
	for _, seg := range strings.Split(dir, "/") {
		if seg == "base" || seg == "bases" || seg == "components" {
			return true
		}
	}
	return false
}

// kustomizationRefs returns the local folders a kustomization includes
// through resources, bases and components, repo-relative.
func kustomizationRefs(t *repotree.Tree, file string) []string {
	data, _ := t.Read(file)
	docs, _ := repotree.ParseDocs(file, data)
	if len(docs) == 0 {
		return nil
	}
	var out []string
	for _, key := range []string{"resources", "bases", "components"} {
		list := repotree.Get(docs[0].Root, key)
		if list == nil {
			continue
		}
		for _, item := range list.Content {
			if item.Kind != yaml.ScalarNode || strings.Contains(item.Value, "://") {
				continue
			}
			out = append(out, path.Join(path.Dir(file), item.Value))
		}
	}
	return out
}

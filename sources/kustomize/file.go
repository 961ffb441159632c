package kustomize

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// FileNames are the file names kustomize looks for in a directory,
// in its own order of preference.
var FileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustFile is one kustomization file read for locating images: the entries
// ferry needs to say which file sets an image. krusty does the real build.
type kustFile struct {
	Dir  string // repo-relative directory
	File string // repo-relative kustomization file
	Data []byte
	Root *yaml.Node

	Images []imageEntry
	// Resources lists resources, bases and components in file order.
	Resources []resourceEntry
	Problems  []model.Problem

	// Patches are read on first use (patchDocs): a cached build needs
	// only the kustomization itself.
	Patches     []patchDoc
	patchesRead bool
}

// patchDocs returns the kustomization's patches, reading them once.
func (k *kustFile) patchDocs(t *repotree.Tree) []patchDoc {
	if !k.patchesRead && k.Root != nil {
		k.readPatches(t)
	}
	k.patchesRead = true
	return k.Patches
}

// imageEntry is one item of a kustomization's images: list.
type imageEntry struct {
	Index                         int
	Node                          *yaml.Node
	Name, NewName, NewTag, Digest *yaml.Node
}

// resourceEntry is one resources:/bases:/components: item.
type resourceEntry struct {
	Node   *yaml.Node
	Value  string
	Path   string // repo-relative, cleaned
	IsDir  bool   // a directory of the tree (a base or component)
	IsFile bool
	Remote bool // a URL kustomize would fetch: ferry does not
	// Component marks a components: entry, whose patches and images apply
	// to the including kustomization's resources.
	Component bool
}

// findKustomization returns the kustomization file of dir, or "".
func findKustomization(t *repotree.Tree, dir string) string {
	for _, n := range FileNames {
		if p := path.Join(dir, n); t.Has(p) {
			return p
		}
	}
	return ""
}

// readKustFile parses the kustomization in dir; nil when there is none.
func readKustFile(t *repotree.Tree, dir string) *kustFile {
	file := findKustomization(t, dir)
	if file == "" {
		return nil
	}
	data, _ := t.Read(file)
	k := &kustFile{Dir: dir, File: file, Data: data}
	docs, problem := repotree.ParseDocs(file, data)
	if problem != nil {
		k.Problems = append(k.Problems, *problem)
	}
	if len(docs) == 0 || docs[0].Root.Kind != yaml.MappingNode {
		return k
	}
	k.Root = docs[0].Root
	k.readImages()
	for _, key := range []string{"resources", "bases", "components"} {
		k.readResources(t, repotree.Get(k.Root, key), key == "components")
	}
	return k
}

func (k *kustFile) readImages() {
	list := repotree.Get(k.Root, "images")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		k.Images = append(k.Images, imageEntry{
			Index: i, Node: item,
			Name:    repotree.ScalarAt(item, "name"),
			NewName: repotree.ScalarAt(item, "newName"),
			NewTag:  repotree.ScalarAt(item, "newTag"),
			Digest:  repotree.ScalarAt(item, "digest"),
		})
	}
}

func (k *kustFile) readResources(t *repotree.Tree, list *yaml.Node, component bool) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for _, item := range list.Content {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			continue
		}
		e := resourceEntry{Node: item, Value: item.Value, Component: component}
		if isRemote(item.Value) {
			e.Remote = true
		} else {
			e.Path = path.Join(k.Dir, item.Value)
			e.IsFile = t.Has(e.Path)
			e.IsDir = !e.IsFile && len(t.Under(e.Path)) > 0
		}
		k.Resources = append(k.Resources, e)
	}
}

// remoteFiles returns the entries other than resources that name a URL:
// kustomize would fetch a patch, generator file, CRD or transformer config
// over HTTP (with no timeout) as readily as a remote base.
func (k *kustFile) remoteFiles() []*yaml.Node {
	var out []*yaml.Node
	check := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && isRemote(n.Value) {
			out = append(out, n)
		}
	}
	items := func(key string) []*yaml.Node {
		if list := repotree.Get(k.Root, key); list != nil && list.Kind == yaml.SequenceNode {
			return list.Content
		}
		return nil
	}
	for _, key := range []string{"crds", "configurations", "transformers", "generators", "validators", "patchesStrategicMerge"} {
		for _, item := range items(key) {
			check(item)
		}
	}
	for _, key := range []string{"patches", "patchesJson6902", "replacements"} {
		for _, item := range items(key) {
			check(repotree.Get(item, "path"))
		}
	}
	check(repotree.Get(k.Root, "openapi", "path"))
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, item := range items(key) {
			check(repotree.Get(item, "env"))
			for _, list := range []string{"files", "envs"} {
				if files := repotree.Get(item, list); files != nil {
					for _, f := range files.Content {
						if _, file, ok := strings.Cut(f.Value, "="); ok && isRemote(file) {
							out = append(out, f)
						} else {
							check(f)
						}
					}
				}
			}
		}
	}
	return out
}

// isRemote reports whether an entry names something kustomize would fetch
// over the network (a git repository or an HTTP URL). Inline configs
// (several lines) are not names.
func isRemote(v string) bool {
	if strings.Contains(v, "\n") {
		return false
	}
	for _, s := range []string{"://", "?ref=", "?version=", "?timeout=", "?submodules="} {
		if strings.Contains(v, s) {
			return true
		}
	}
	for _, p := range []string{"git@", "git::", "github.com/", "gitlab.com/", "bitbucket.org/", "ssh:"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// entryLine returns the line of the kustomization entry an error message
// (a krusty build error) names: a resources: entry, else any value the
// message quotes (a patch path, a generator file); 0 if none.
func (k *kustFile) entryLine(msg string) int {
	for _, r := range k.Resources {
		if strings.Contains(msg, "'"+r.Value+"'") {
			return r.Node.Line
		}
	}
	for _, r := range k.Resources {
		if r.Path != "" && strings.Contains(msg, "'"+r.Path+"'") {
			return r.Node.Line
		}
	}
	line := 0
	eachScalarNode(k.Root, func(n *yaml.Node) {
		quoted := strings.Contains(msg, "'"+n.Value+"'") || strings.Contains(msg, "("+n.Value+")")
		if line == 0 && len(n.Value) > 2 && quoted {
			line = n.Line
		}
	})
	if line == 0 && strings.Contains(msg, "--enable-helm") {
		if n := mapKey(k.Root, "helmCharts"); n != nil {
			line = n.Line
		}
	}
	return line
}

// eachScalarNode calls fn with every scalar below n, in file order.
func eachScalarNode(n *yaml.Node, fn func(*yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		fn(n)
	}
	for _, c := range n.Content {
		eachScalarNode(c, fn)
	}
}

// mapKey returns the key node of key in a mapping, or nil.
func mapKey(n *yaml.Node, key string) *yaml.Node {
	var found *yaml.Node
	repotree.Pairs(n, func(k, _ *yaml.Node) {
		if found == nil && k.Value == key {
			found = k
		}
	})
	return found
}

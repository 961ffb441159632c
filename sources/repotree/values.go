package repotree

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ValuesImage is one image found in Helm-style values (a values file, an Argo
// CD valuesObject, a Flux HelmRelease spec.values): a mapping under a key
// named "image" holding repository / tag / digest / registry, at any depth,
// or a key "image" holding a whole reference as one string.
type ValuesImage struct {
	// Name is the values key the image belongs to: "frontend" for
	// frontend.image, "" for a top-level image (callers use the app name).
	Name string
	// Path is the dotted path of the image node: "frontend.image".
	Path string
	// Node is the image node: the mapping, or the scalar of a whole reference.
	Node *yaml.Node
	// The fields, nil when absent. For a whole-reference scalar only Whole
	// is set.
	Registry, Repository, Tag, Digest, Whole *yaml.Node
}

// FindValuesImages walks values in file order and returns every image in
// them, inside lists too ("sidecars[0].image", named after the item's
// `name`). An alias counts as the anchored node (`image: *defaultImage`).
func FindValuesImages(values *yaml.Node) []ValuesImage {
	w := valuesWalker{}
	w.walk(values, nil, "")
	return w.out
}

// maxValuesVisits bounds a walk: aliases can make a small file expand
// exponentially ("billion laughs"); real values stay far below it.
const maxValuesVisits = 100_000

type valuesWalker struct {
	visits int
	out    []ValuesImage
}

// walk visits n at path; itemName is the `name` of the list item n is, if
// any, which names an image directly inside it.
func (w *valuesWalker) walk(n *yaml.Node, path []string, itemName string) {
	n = ResolveAlias(n)
	// The depth bound also ends an alias cycle in YAML that did not come
	// through CheckYAML, which refuses those.
	if n == nil || w.visits > maxValuesVisits || len(path) > MaxDepth {
		return
	}
	w.visits++
	switch n.Kind {
	case yaml.MappingNode:
		Pairs(n, func(k, v *yaml.Node) {
			p := append(append([]string(nil), path...), k.Value)
			if img, ok := valuesImage(k.Value, ResolveAlias(v), p); ok {
				if itemName != "" && len(path) > 0 && strings.HasSuffix(path[len(path)-1], "]") {
					img.Name = itemName
				}
				w.out = append(w.out, img)
				return
			}
			w.walk(v, p, "")
		})
	case yaml.SequenceNode:
		if len(path) == 0 {
			return
		}
		for i, item := range n.Content {
			p := append([]string(nil), path...)
			p[len(p)-1] += "[" + strconv.Itoa(i) + "]"
			w.walk(item, p, Str(ResolveAlias(item), "name"))
		}
	}
}

func ResolveAlias(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// valuesImage recognises the image node at key.
func valuesImage(key string, v *yaml.Node, path []string) (ValuesImage, bool) {
	if v == nil {
		return ValuesImage{}, false
	}
	if key != "image" {
		return namedImage(key, v, path)
	}
	img := ValuesImage{Path: strings.Join(path, "."), Node: v}
	if len(path) > 1 {
		img.Name = path[len(path)-2]
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Value == "" || v.Tag == "!!null" {
			return ValuesImage{}, false
		}
		img.Whole = v
		return img, true
	case yaml.MappingNode:
		img.Registry = ScalarAt(v, "registry")
		img.Repository = ScalarAt(v, "repository")
		img.Tag = ScalarAt(v, "tag")
		img.Digest = ScalarAt(v, "digest")
		if img.Repository == nil && img.Tag == nil && img.Digest == nil {
			return ValuesImage{}, false
		}
		return img, true
	}
	return ValuesImage{}, false
}

// namedImage recognises an image a chart keeps under its own name rather
// than under image: `redis: {repository: …, tag: …}`. A repository that
// is a URL (a chart or Git repository) is not an image.
func namedImage(key string, v *yaml.Node, path []string) (ValuesImage, bool) {
	if v.Kind != yaml.MappingNode {
		return ValuesImage{}, false
	}
	repo := ScalarAt(v, "repository")
	if repo == nil || repo.Value == "" || strings.Contains(repo.Value, "://") {
		return ValuesImage{}, false
	}
	img := ValuesImage{Name: key, Path: strings.Join(path, "."), Node: v, Repository: repo,
		Registry: ScalarAt(v, "registry"), Tag: ScalarAt(v, "tag"), Digest: ScalarAt(v, "digest")}
	if img.Tag == nil && img.Digest == nil {
		return ValuesImage{}, false
	}
	return img, true
}

// ScalarAt returns the scalar at key. A null (`tag:` with nothing after it)
// counts as absent: it has no text a promotion could rewrite in place.
func ScalarAt(n *yaml.Node, key string) *yaml.Node {
	v := MapValue(n, key)
	if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return nil
	}
	return v
}

// Value returns a field's scalar value, "" for nil or null.
func Value(n *yaml.Node) string {
	if n == nil || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

package gitops

import (
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

// FindValuesImages walks values in file order and returns every image in them.
func FindValuesImages(values *yaml.Node) []ValuesImage {
	var out []ValuesImage
	walkValues(values, nil, &out)
	return out
}

func walkValues(n *yaml.Node, path []string, out *[]ValuesImage) {
	if n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	Pairs(n, func(k, v *yaml.Node) {
		p := append(append([]string(nil), path...), k.Value)
		if img, ok := valuesImage(k.Value, v, p); ok {
			*out = append(*out, img)
			return
		}
		walkValues(v, p, out)
	})
}

// valuesImage recognises the image node at key.
func valuesImage(key string, v *yaml.Node, path []string) (ValuesImage, bool) {
	if key != "image" {
		return ValuesImage{}, false
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
		img.Registry = scalarAt(v, "registry")
		img.Repository = scalarAt(v, "repository")
		img.Tag = scalarAt(v, "tag")
		img.Digest = scalarAt(v, "digest")
		if img.Repository == nil && img.Tag == nil && img.Digest == nil {
			return ValuesImage{}, false
		}
		return img, true
	}
	return ValuesImage{}, false
}

// scalarAt returns the scalar at key. A null (`tag:` with nothing after it)
// counts as absent: it has no text a promotion could rewrite in place.
func scalarAt(n *yaml.Node, key string) *yaml.Node {
	v := mapValue(n, key)
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

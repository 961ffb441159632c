package gitops

import (
	"path"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
)

// foundRef is an image reference an old version of a file declares, with
// the YAML path of its node as discovery writes Location.Path.
type foundRef struct {
	Path string
	Ref  model.ImageRef
}

// findRefs lists the image references a file version declares in the
// shapes ferry reads: Helm-style mappings (registry / repository / tag /
// digest), kustomize `images:` entries, and `image:` strings. History needs
// only to tell one version from the next, not to rebuild the environment.
func findRefs(file string, data []byte) []foundRef {
	docs, _ := ParseDocs(file, data)
	var out []foundRef
	for _, d := range docs {
		walkRefs(d.Root, "", "", &out)
	}
	return out
}

func walkRefs(n *yaml.Node, at, key string, out *[]foundRef) {
	switch n.Kind {
	case yaml.MappingNode:
		if ref, ok := mappingRef(n); ok {
			*out = append(*out, foundRef{Path: at, Ref: ref})
			return
		}
		Pairs(n, func(k, v *yaml.Node) { walkRefs(v, join(at, k.Value), k.Value, out) })
	case yaml.SequenceNode:
		for i, item := range n.Content {
			walkRefs(item, at+"["+strconv.Itoa(i)+"]", key, out)
		}
	case yaml.ScalarNode:
		if key == "image" {
			if ref, err := imageref.Parse(n.Value); err == nil {
				*out = append(*out, foundRef{Path: at, Ref: ref})
			}
		}
	}
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// mappingRef reads a Helm image mapping or a kustomize images entry.
func mappingRef(n *yaml.Node) (model.ImageRef, bool) {
	s := func(k string) string { return Str(n, k) }
	switch {
	case s("repository") != "":
		ref, err := imageref.ParseParts(s("registry"), s("repository"), s("tag"), s("digest"))
		return ref, err == nil
	case s("name") != "" && (s("newTag") != "" || s("newName") != "" || s("digest") != ""):
		repo := s("newName")
		if repo == "" {
			repo = s("name")
		}
		return model.ImageRef{Repository: repo, Tag: s("newTag"), Digest: s("digest")}, true
	}
	return model.ImageRef{}, false
}

// pickRef chooses the reference of d among a file version's: the one at
// d's own path, else the one of the same repository, else the only one.
func pickRef(found []foundRef, d model.Declared) model.ImageRef {
	fill := func(r model.ImageRef) model.ImageRef {
		if r.Repository == "" {
			r.Repository = d.Ref.Repository
		}
		return r
	}
	for _, f := range found {
		if d.Location.Path != "" && f.Path == d.Location.Path {
			return fill(f.Ref)
		}
	}
	for _, f := range found {
		if sameRepository(f.Ref.Repository, d.Ref.Repository) {
			return fill(f.Ref)
		}
	}
	if len(found) == 1 {
		return fill(found[0].Ref)
	}
	return model.ImageRef{}
}

// sameRepository compares loosely: a kustomize entry names the base image
// ("search-api") that a build turns into "ghcr.io/shop/search-api".
func sameRepository(a, b string) bool {
	return a != "" && b != "" && (a == b || path.Base(a) == path.Base(b))
}

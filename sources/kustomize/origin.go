package kustomize

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/repotree"
)

// resourceDoc is one document of a resource file an overlay includes,
// with the name kustomize gives it and the kustomizations it passes
// through. It stands in for kustomize's origin annotations, which would
// make every build about a third slower.
type resourceDoc struct {
	File string
	Doc  *yaml.Node
	Kind string
	Name string // as the file writes it; patches target this name
	Full string // after the namePrefix/nameSuffix of every level
	// Chain runs from the overlay down to the kustomization that lists
	// File.
	Chain []*kustFile
}

// resourceDocs lists the resource documents reachable from the overlay, in
// kustomize's accumulation order.
func (b *overlayBuild) resourceDocs() []resourceDoc {
	if b.docs != nil {
		return b.docs
	}
	b.docs = []resourceDoc{}
	seen := map[string]bool{}
	var rec func(k *kustFile, prefix, suffix string, chain []*kustFile)
	rec = func(k *kustFile, prefix, suffix string, chain []*kustFile) {
		if seen[k.Dir] {
			return
		}
		seen[k.Dir] = true
		defer delete(seen, k.Dir) // a base may be included twice (diamonds)
		chain = append(chain[:len(chain):len(chain)], k)
		prefix, suffix = prefix+repotree.Str(k.Root, "namePrefix"), repotree.Str(k.Root, "nameSuffix")+suffix
		for _, r := range k.Resources {
			switch sub := b.c.kust(r.Path); {
			case r.IsFile:
				for _, d := range b.c.fileDocs(r.Path) {
					name := repotree.Str(d.Root, "metadata", "name")
					b.docs = append(b.docs, resourceDoc{File: r.Path, Doc: d.Root, Kind: repotree.Str(d.Root, "kind"),
						Name: name, Full: prefix + name + suffix, Chain: chain})
				}
			case r.IsDir && sub != nil:
				rec(sub, prefix, suffix, chain)
			}
		}
	}
	rec(b.overlay, "", "", nil)
	return b.docs
}

// origin finds the document an output resource was built from: the one of
// its kind whose prefixed name is the output name, else the one whose name
// the output name contains (a name changed some other way), longest first.
func (b *overlayBuild) origin(kind, name string) *resourceDoc {
	var best *resourceDoc
	docs := b.resourceDocs()
	for i := range docs {
		d := &docs[i]
		if d.Kind != kind || d.Name == "" {
			continue
		}
		if d.Full == name {
			return d
		}
		if strings.Contains(name, d.Name) && (best == nil || len(d.Name) > len(best.Name)) {
			best = d
		}
	}
	return best
}

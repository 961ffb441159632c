package kustomize

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/repotree"
)

// patchDoc is one document of a kustomization's patch: a strategic-merge
// patch or a list of JSON 6902 operations. Node positions are positions in
// File, also for inline patches.
type patchDoc struct {
	File     string // the patch file, or the kustomization for an inline patch
	Root     *yaml.Node
	JSON6902 bool
	Target   patchTarget
}

// patchTarget selects the resources a patch applies to: by kind and name,
// as regular expressions the way kustomize's target selectors are.
type patchTarget struct {
	Kind, Name *regexp.Regexp
}

func (t patchTarget) matches(kind string, names ...string) bool {
	if t.Kind != nil && !t.Kind.MatchString(kind) {
		return false
	}
	if t.Name == nil {
		return true
	}
	for _, n := range names {
		if t.Name.MatchString(n) {
			return true
		}
	}
	return false
}

// anchored compiles a selector field; a literal when it is not a valid
// expression, nil when empty.
func anchored(s string) *regexp.Regexp {
	if s == "" {
		return nil
	}
	if re, err := regexp.Compile("^(?:" + s + ")$"); err == nil {
		return re
	}
	return regexp.MustCompile("^" + regexp.QuoteMeta(s) + "$")
}

// readPatches collects the patches of all three kustomization keys.
func (k *kustFile) readPatches(t *repotree.Tree) {
	if list := repotree.Get(k.Root, "patchesStrategicMerge"); list != nil && list.Kind == yaml.SequenceNode {
		for _, item := range list.Content {
			if item.Kind != yaml.ScalarNode {
				continue
			}
			if p := path.Join(k.Dir, item.Value); !strings.Contains(item.Value, "\n") && t.Has(p) {
				k.addPatchFile(t, p, nil)
			} else {
				k.addPatchInline(item, nil)
			}
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		list := repotree.Get(k.Root, key)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			target := readTarget(repotree.Get(item, "target"))
			if p := repotree.Str(item, "path"); p != "" {
				k.addPatchFile(t, path.Join(k.Dir, p), target)
			} else if inline := repotree.Get(item, "patch"); inline != nil && inline.Kind == yaml.ScalarNode {
				k.addPatchInline(inline, target)
			}
		}
	}
}

func readTarget(n *yaml.Node) *patchTarget {
	if n == nil {
		return nil
	}
	return &patchTarget{Kind: anchored(repotree.Str(n, "kind")), Name: anchored(repotree.Str(n, "name"))}
}

func (k *kustFile) addPatchFile(t *repotree.Tree, file string, target *patchTarget) {
	data, ok := t.Read(file)
	if !ok {
		return // krusty reports the missing file
	}
	docs, _ := repotree.ParseDocs(file, data)
	k.addPatchDocs(docs, file, target)
}

func (k *kustFile) addPatchInline(inline *yaml.Node, target *patchTarget) {
	docs, _ := repotree.ParseDocs(k.File, []byte(inline.Value))
	for _, d := range docs {
		k.shiftInline(d.Root, inline)
	}
	k.addPatchDocs(docs, k.File, target)
}

func (k *kustFile) addPatchDocs(docs []repotree.Doc, file string, target *patchTarget) {
	for _, d := range docs {
		p := patchDoc{File: file, Root: d.Root, JSON6902: d.Root.Kind == yaml.SequenceNode}
		switch {
		case target != nil:
			p.Target = *target
		case !p.JSON6902:
			p.Target = patchTarget{Kind: anchored(regexp.QuoteMeta(repotree.Str(d.Root, "kind"))),
				Name: anchored(regexp.QuoteMeta(repotree.Str(d.Root, "metadata", "name")))}
		default:
			continue // JSON 6902 without a target applies to nothing
		}
		k.Patches = append(k.Patches, p)
	}
}

// shiftInline moves the positions of an inline patch's nodes (relative to
// the patch text) to positions in the kustomization file. A block scalar
// (`patch: |`) maps line by line; a one-line scalar maps by column; other
// multi-line scalars fold lines, so their nodes point at the scalar itself.
func (k *kustFile) shiftInline(n *yaml.Node, inline *yaml.Node) {
	block := inline.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	oneLine := !strings.Contains(strings.TrimSpace(inline.Value), "\n")
	indent := k.blockIndent(inline.Line)
	quoted := 0
	if inline.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		quoted = 1
	}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		switch {
		case block:
			n.Line, n.Column = inline.Line+n.Line, indent+n.Column
		case oneLine:
			n.Line, n.Column = inline.Line, inline.Column+quoted+n.Column-1
		default:
			n.Line, n.Column = inline.Line, inline.Column
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

// blockIndent returns the indentation of the first non-blank line after
// line (1-based): the indentation of a block scalar's content.
func (k *kustFile) blockIndent(line int) int {
	lines := bytes.Split(k.Data, []byte("\n"))
	for i := line; i < len(lines); i++ {
		if l := bytes.TrimRight(lines[i], " \t\r"); len(l) > 0 {
			return len(l) - len(bytes.TrimLeft(l, " "))
		}
	}
	return 0
}

// podSpecPath is where a workload kind keeps its pod spec, nil for kinds
// that are not workloads.
func podSpecPath(kind string) []string {
	switch kind {
	case "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet", "Rollout":
		return []string{"spec", "template", "spec"}
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "template", "spec"}
	}
	return nil
}

// containerImage returns the image scalar a patch sets for a container, with
// its YAML path in the patch, or nil.
func (p patchDoc) containerImage(c builtImage) (*yaml.Node, string) {
	spec := podSpecPath(c.Kind)
	if !p.JSON6902 {
		list := repotree.Get(p.Root, append(append([]string(nil), spec...), c.List)...)
		if list == nil || list.Kind != yaml.SequenceNode {
			return nil, ""
		}
		for i, item := range list.Content {
			if repotree.Str(item, "name") == c.Container {
				if img := repotree.ScalarAt(item, "image"); img != nil {
					return img, strings.Join(spec, ".") + "." + c.List + "[" + strconv.Itoa(i) + "].image"
				}
			}
		}
		return nil, ""
	}
	// A JSON 6902 operation names a container by its index at the time the
	// patch ran; a later strategic-merge patch may have reordered the list,
	// so an operation on the same list that wrote the final value counts too.
	list := "/" + strings.Join(spec, "/") + "/" + c.List + "/"
	for i, op := range p.Root.Content {
		where, value := repotree.Str(op, "path"), repotree.Get(op, "value")
		index, rest, ok := strings.Cut(strings.TrimPrefix(where, list), "/")
		if !writes(op) || !strings.HasPrefix(where, list) {
			continue
		}
		img, at := value, "["+strconv.Itoa(i)+"].value"
		if !ok {
			img, at = repotree.ScalarAt(value, "image"), at+".image"
		} else if rest != "image" {
			continue
		}
		if img != nil && img.Kind == yaml.ScalarNode && (index == strconv.Itoa(c.Index) || img.Value == c.Image.Value) {
			return img, at
		}
	}
	return nil, ""
}

// valuesImage returns what a patch sets of a HelmRelease values image at
// valuesPath ("frontend.image"): the fields it sets, positioned in the patch.
func (p patchDoc) valuesImage(valuesPath string) (repotree.ValuesImage, bool) {
	if !p.JSON6902 {
		for _, vi := range repotree.FindValuesImages(repotree.Get(p.Root, "spec", "values")) {
			if vi.Path == valuesPath {
				return vi, true
			}
		}
		return repotree.ValuesImage{}, false
	}
	pointer := "/spec/values/" + strings.ReplaceAll(valuesPath, ".", "/")
	var found repotree.ValuesImage
	ok := false
	for _, op := range p.Root.Content {
		where, value := repotree.Str(op, "path"), repotree.Get(op, "value")
		if value == nil || !writes(op) {
			continue
		}
		if where == pointer {
			wrapper := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "image"}, value}}
			if vis := repotree.FindValuesImages(wrapper); len(vis) == 1 {
				found, ok = vis[0], true
			}
			continue
		}
		field, isField := strings.CutPrefix(where, pointer+"/")
		if !isField || value.Kind != yaml.ScalarNode {
			continue
		}
		switch field {
		case "registry":
			found.Registry, ok = value, true
		case "repository":
			found.Repository, ok = value, true
		case "tag":
			found.Tag, ok = value, true
		case "digest":
			found.Digest, ok = value, true
		}
	}
	found.Path = valuesPath
	return found, ok
}

// writes reports whether a JSON 6902 operation writes a value.
func writes(op *yaml.Node) bool {
	o := repotree.Str(op, "op")
	return o == "replace" || o == "add"
}

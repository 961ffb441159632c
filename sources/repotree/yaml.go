package repotree

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

// Doc is one YAML document of a file, with node positions for byte-exact
// edits later.
type Doc struct {
	File  string
	Index int        // 0-based document index in a multi-document file
	Root  *yaml.Node // the document's top node (a mapping for manifests)
}

// ParseDocs parses every document of a YAML file. On a syntax error, or a
// document past CheckYAML's limits, it returns the documents before it and
// a problem naming file and line.
func ParseDocs(file string, data []byte) ([]Doc, *model.Problem) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []Doc
	for i := 0; ; i++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, &model.Problem{Source: "git", File: file, Line: errorLine(err),
				Message: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		}
		if e := CheckNode(&n); e != nil {
			// What comes from outside the tree (rendered templates, built
			// overlays, embedded values) is held to the tree's limits.
			return docs, &model.Problem{Source: "git", File: file, Line: e.Line,
				Message: e.Reason + ": not read"}
		}
		if len(n.Content) == 0 {
			continue
		}
		docs = append(docs, Doc{File: file, Index: i, Root: n.Content[0]})
	}
}

var lineInError = regexp.MustCompile(`line (\d+)`)

// errorLine pulls the line number out of a yaml.v3 error message.
func errorLine(err error) int {
	if m := lineInError.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// Get follows mapping keys from n and returns the node at the end, or nil.
func Get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = MapValue(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Str returns the scalar value at keys, or "".
func Str(n *yaml.Node, keys ...string) string {
	v := Get(n, keys...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// mapValue returns the value of key in a mapping node, following aliases.
func MapValue(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == yaml.AliasNode {
				return v.Alias
			}
			return v
		}
	}
	return nil
}

// Items returns the items of a sequence node, nil for anything else.
func Items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// Pairs calls fn for each key/value of a mapping node, in file order.
func Pairs(n *yaml.Node, fn func(key, value *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], n.Content[i+1])
	}
}

// Pos returns a node's position: 1-based line, and column counted in
// characters (not bytes) as yaml.v3 counts them. For an explicitly tagged
// scalar (`tag: !!str 1.0`, Style has yaml.TaggedStyle) it is the tag's
// position; the value follows the tag and a space.
func Pos(n *yaml.Node) model.Position {
	return model.Position{Line: n.Line, Column: n.Column}
}

// imagePolicy matches a Flux image-automation marker, and the inert form
// a hold turns it into (model.HeldMarker), so a held field is still known.
var imagePolicy = regexp.MustCompile(`\{\s*"\$(?:ferry-held-)?imagepolicy"\s*:\s*"([^"]+)"\s*\}`)

// Setter returns a Flux image-automation marker on a scalar's line, such as
// `{"$imagepolicy": "flux-system:search:tag"}` (or its held form), or "".
func Setter(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if m := imagePolicy.FindString(n.LineComment); m != "" {
		return m
	}
	return ""
}

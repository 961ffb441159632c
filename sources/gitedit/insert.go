package gitedit

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

// lineEnd returns the offset of the end of the line holding off (before
// its line ending).
func lineEnd(data []byte, off int) int {
	for off < len(data) && data[off] != '\n' {
		off++
	}
	if off > 0 && data[off-1] == '\r' {
		off--
	}
	return off
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(data []byte, off int) int {
	for off > 0 && data[off-1] != '\n' {
		off--
	}
	return off
}

// addSibling adds `key: value` on a line of its own after the line of the
// entry's newTag (or name), indented like that key: a kustomize images
// entry that names a tag gains the digest beside it.
func addSibling(data []byte, loc model.Location, key, value string) (splice, error) {
	anchor := firstField(loc, "newTag", "name", "newName")
	if anchor == "" {
		return splice{}, fmt.Errorf("no field to add %s beside", key)
	}
	off, err := offset(data, loc.Fields[anchor])
	if err != nil {
		return splice{}, err
	}
	start := lineStart(data, off)
	line := string(data[start:off])
	keyAt := strings.LastIndex(line, anchor+":")
	if keyAt < 0 {
		return splice{}, fmt.Errorf("the %s key is not on the line of its value", anchor)
	}
	indent := strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return ' '
	}, line[:keyAt])
	end := lineEnd(data, off)
	return splice{end, end, newline(data) + indent + key + ": " + render(value, 0)}, nil
}

// addImagesEntry adds an images: entry to an overlay that only inherits
// the image: to the end of its images: list, or a new list at the end of
// the file, indented like the file's other lists.
func addImagesEntry(data []byte, name string, to model.ImageRef) (splice, error) {
	nl := newline(data)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return splice{}, fmt.Errorf("not valid YAML: %v", err)
	}
	fields := []string{"name: " + render(name, 0)}
	if to.Tag != "" {
		fields = append(fields, "newTag: "+render(to.Tag, 0))
	}
	if to.Digest != "" {
		fields = append(fields, "digest: "+to.Digest)
	}
	doc := documentOf(&root)
	if images := mapValue(doc, "images"); images != nil && images.Kind == yaml.SequenceNode && len(images.Content) > 0 {
		first := images.Content[0]
		dash := strings.Repeat(" ", max(first.Column-3, 0))
		end := lineEnd(data, endOf(data, images))
		return splice{end, end, nl + entry(dash, fields, nl)}, nil
	}
	if mapValue(doc, "images") != nil {
		return splice{}, fmt.Errorf("images: is not a list ferry can add to")
	}
	dash := listIndent(data)
	prefix := ""
	if len(data) > 0 && data[len(data)-1] != '\n' {
		prefix = nl
	}
	return splice{len(data), len(data), prefix + "images:" + nl + entry(dash, fields, nl) + nl}, nil
}

func entry(dash string, fields []string, nl string) string {
	lines := make([]string, len(fields))
	for i, f := range fields {
		if i == 0 {
			lines[i] = dash + "- " + f
		} else {
			lines[i] = dash + "  " + f
		}
	}
	return strings.Join(lines, nl)
}

// listIndent is how the file indents list items under a top-level key:
// "" for "- x" at the key's column, "  " for "  - x".
func listIndent(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "- ") {
			return line[:len(line)-len(trimmed)]
		}
	}
	return ""
}

// addKeyPath sets a nested key in a values file, adding the mappings it
// lacks at the end of the deepest one that exists: `image: {tag: …}` for
// an environment that inherited the chart's default.
func addKeyPath(data []byte, path []string, value string) (splice, error) {
	nl := newline(data)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return splice{}, fmt.Errorf("not valid YAML: %v", err)
	}
	node, depth := documentOf(&root), 0
	for node != nil && depth < len(path) {
		next := mapValue(node, path[depth])
		if next == nil || next.Kind != yaml.MappingNode {
			if next != nil && depth < len(path)-1 {
				return splice{}, fmt.Errorf("%s is not a mapping ferry can add %s to", strings.Join(path[:depth+1], "."), path[len(path)-1])
			}
			if next != nil { // the key exists: discovery would have placed it
				return splice{}, fmt.Errorf("%s exists but was not located", strings.Join(path, "."))
			}
			break
		}
		node = next
		depth++
	}
	var indent string
	var at int
	switch {
	case node == nil || node.Kind != yaml.MappingNode || len(node.Content) == 0:
		at, indent = len(data), ""
	default:
		indent = strings.Repeat(" ", max(node.Content[0].Column-1, 0))
		at = lineEnd(data, endOf(data, node))
	}
	var b strings.Builder
	for i, key := range path[depth:] {
		b.WriteString(nl + indent + strings.Repeat("  ", i) + key + ":")
		if depth+i == len(path)-1 {
			b.WriteString(" " + render(value, 0))
		}
	}
	text := b.String()
	if at == len(data) {
		text = strings.TrimPrefix(text, nl)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			text = nl + text
		}
		text += nl
	}
	return splice{at, at, text}, nil
}

// documentOf returns a file's top mapping, or nil.
func documentOf(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		return root.Content[0]
	}
	return nil
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// endOf returns an offset on the last line a node's subtree occupies.
func endOf(data []byte, n *yaml.Node) int {
	last := n
	var walk func(*yaml.Node)
	walk = func(m *yaml.Node) {
		if m.Line > last.Line || (m.Line == last.Line && m.Column > last.Column) {
			last = m
		}
		for _, c := range m.Content {
			walk(c)
		}
	}
	walk(n)
	off, err := offset(data, model.Position{Line: last.Line, Column: last.Column})
	if err != nil {
		return len(data)
	}
	return off
}

package gitops

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// inlineValues parses an Application's helm.values, a YAML document inside
// a string, and moves its nodes' positions into the Application file so
// that edits land on the right bytes. Only a literal block (`values: |`)
// keeps its text line for line; other styles yield nothing.
func (r *reader) inlineValues(file string, block *yaml.Node) *yaml.Node {
	if block == nil || block.Kind != yaml.ScalarNode || block.Style != yaml.LiteralStyle {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(block.Value), &doc); err != nil || len(doc.Content) == 0 {
		return nil
	}
	// The tree's guard sees a string here; Helm would see the YAML in it.
	if e := repotree.CheckNode(&doc); e != nil {
		r.problem("", "", model.Problem{Source: "git", File: file, Line: block.Line + e.Line,
			Message: "helm.values: " + e.Reason + ": not read"})
		return nil
	}
	indent, ok := r.blockIndent(file, block.Line)
	if !ok {
		return nil
	}
	shift(doc.Content[0], block.Line, indent)
	return doc.Content[0]
}

// blockIndent returns the indentation of a literal block's first content
// line in the file: the block's text starts one line after its `|`.
func (r *reader) blockIndent(file string, line int) (int, bool) {
	data, ok := r.t.Read(file)
	if !ok {
		return 0, false
	}
	lines := strings.Split(string(data), "\n")
	for i := line; i < len(lines); i++ { // lines[line] is the line after `|`
		if text := strings.TrimLeft(lines[i], " "); text != "" {
			return len(lines[i]) - len(text), true
		}
	}
	return 0, false
}

// shift moves every node by the block's line and indentation.
func shift(n *yaml.Node, line, indent int) {
	n.Line += line
	n.Column += indent
	for _, c := range n.Content {
		shift(c, line, indent)
	}
}

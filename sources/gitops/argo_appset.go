package gitops

import (
	"maps"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/repotree"
)

// readApplicationSet reads an ApplicationSet whose generators spell their
// elements out — list generators, and matrix generators combining them:
// each element, substituted into the template, is an Application. Other
// generators (git, cluster, scm …) need the cluster or a remote and are not
// expanded.
func (r *reader) readApplicationSet(p string, doc *yaml.Node, pl placement) {
	tmpl := repotree.Get(doc, "spec", "template")
	gens := repotree.Get(doc, "spec", "generators")
	if tmpl == nil || gens == nil {
		return
	}
	for _, gen := range gens.Content {
		for _, params := range generatorParams(gen) {
			r.readApplication(p, substitute(tmpl, params), pl)
		}
	}
}

// generatorParams returns the parameter sets a literal generator yields:
// a list generator's elements, or every combination of a matrix of them.
func generatorParams(gen *yaml.Node) []map[string]*yaml.Node {
	if elements := repotree.Get(gen, "list", "elements"); elements != nil {
		var out []map[string]*yaml.Node
		for _, el := range elements.Content {
			params := map[string]*yaml.Node{}
			flattenParams(el, "", params)
			out = append(out, params)
		}
		return out
	}
	children := repotree.Get(gen, "matrix", "generators")
	if children == nil || len(children.Content) != 2 {
		return nil // Argo CD's matrix combines exactly two generators
	}
	var out []map[string]*yaml.Node
	for _, a := range generatorParams(children.Content[0]) {
		for _, b := range generatorParams(children.Content[1]) {
			params := maps.Clone(a)
			maps.Copy(params, b)
			out = append(out, params)
		}
	}
	return out
}

// flattenParams collects an element's values by dotted key: {env: dev,
// values: {tag: v1}} gives "env" and "values.tag".
func flattenParams(n *yaml.Node, prefix string, out map[string]*yaml.Node) {
	repotree.Pairs(n, func(k, v *yaml.Node) {
		switch v.Kind {
		case yaml.ScalarNode:
			out[prefix+k.Value] = v
		case yaml.MappingNode:
			flattenParams(v, prefix+k.Value+".", out)
		}
	})
}

// placeholder matches {{env}}, {{ env }}, {{.env}} and {{ .values.tag }}.
var placeholder = regexp.MustCompile(`\{\{\s*\.?([\w.\-]+)\s*\}\}`)

// substitute copies a template, filling placeholders from params. A scalar
// that is exactly one placeholder becomes the element's own node, so that
// its position — where a promotion writes — is the element's value.
func substitute(n *yaml.Node, params map[string]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if n.Kind == yaml.ScalarNode {
		if m := placeholder.FindStringSubmatch(n.Value); m != nil && m[0] == strings.TrimSpace(n.Value) {
			if v, ok := params[m[1]]; ok {
				return v
			}
		}
		c.Value = placeholder.ReplaceAllStringFunc(n.Value, func(s string) string {
			if v, ok := params[placeholder.FindStringSubmatch(s)[1]]; ok {
				return v.Value
			}
			return s
		})
		return &c
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = substitute(child, params)
	}
	return &c
}

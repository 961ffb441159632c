package gitops

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// readApplicationSet reads an ApplicationSet whose list generators spell
// their elements out: each element, substituted into the template, is an
// Application. Other generators (git, cluster, matrix …) need the cluster or
// the remote and are not expanded.
func (r *reader) readApplicationSet(p string, doc *yaml.Node, pl placement) {
	tmpl := Get(doc, "spec", "template")
	gens := Get(doc, "spec", "generators")
	if tmpl == nil || gens == nil {
		return
	}
	for _, gen := range gens.Content {
		elements := Get(gen, "list", "elements")
		if elements == nil {
			continue
		}
		for _, el := range elements.Content {
			params := map[string]*yaml.Node{}
			flattenParams(el, "", params)
			r.readApplication(p, substitute(tmpl, params), pl)
		}
	}
}

// flattenParams collects an element's values by dotted key: {env: dev,
// values: {tag: v1}} gives "env" and "values.tag".
func flattenParams(n *yaml.Node, prefix string, out map[string]*yaml.Node) {
	Pairs(n, func(k, v *yaml.Node) {
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

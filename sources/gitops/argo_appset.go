package gitops

import (
	"fmt"
	"maps"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// genParams is one parameter set a generator yields, by dotted key.
type genParams = map[string]*yaml.Node

// readApplicationSet expands an ApplicationSet whose generators the repo
// alone can expand — list, git directories and files over this repo, and
// matrix and merge of those — and reads each Application it makes. Cluster,
// SCM, pull-request and plugin generators need Argo CD or a remote: they
// are said on the rows their Applications would make.
func (r *reader) readApplicationSet(p string, doc *yaml.Node, pl placement) {
	r.rollingSyncOrder(p, doc)
	tmpl := repotree.Get(doc, "spec", "template")
	gens := repotree.Get(doc, "spec", "generators")
	if tmpl == nil || gens == nil {
		return
	}
	for _, gen := range gens.Content {
		sets, why := r.expand(p, gen, genParams{})
		if why != "" {
			r.notExpandable(p, doc, tmpl, sets, why)
			continue
		}
		if len(sets) == 0 {
			r.files.because(p, "a generator yields no Application (its list is empty, or its paths match nothing in this repo)")
		}
		for _, params := range sets {
			r.readApplication(p, substitute(tmpl, params), pl)
		}
	}
}

// expand returns the parameter sets a generator yields, each merged over
// parent (a matrix's first generator feeds the second). why says what
// cannot be expanded offline; sets then holds what could be.
func (r *reader) expand(p string, gen *yaml.Node, parent genParams) (sets []genParams, why string) {
	gen = substitute(gen, parent)
	switch {
	case repotree.Get(gen, "list") != nil:
		for _, el := range repotree.Items(repotree.Get(gen, "list", "elements")) {
			params := maps.Clone(parent)
			flattenParams(el, "", params)
			sets = append(sets, params)
		}
		return sets, ""
	case repotree.Get(gen, "git") != nil:
		return r.gitParams(repotree.Get(gen, "git"), parent), ""
	case repotree.Get(gen, "matrix") != nil:
		return r.matrix(p, repotree.Get(gen, "matrix", "generators"), parent)
	case repotree.Get(gen, "merge") != nil:
		return r.merge(p, repotree.Get(gen, "merge"), parent)
	}
	kind := "an unknown"
	if gen != nil && len(gen.Content) > 0 {
		kind = "a " + gen.Content[0].Value
	}
	return nil, kind + " generator lists what only Argo CD can see (clusters, SCM repositories, pull requests, plugins): it cannot be expanded from the repo alone"
}

// matrix combines every set of its first generator with every set of its
// second, which may use the first's parameters.
func (r *reader) matrix(p string, children *yaml.Node, parent genParams) ([]genParams, string) {
	if children == nil || len(children.Content) != 2 {
		return nil, "a matrix generator combines exactly two generators"
	}
	firsts, why := r.expand(p, children.Content[0], parent)
	if why != "" {
		return firsts, why
	}
	var out []genParams
	for _, a := range firsts {
		seconds, why := r.expand(p, children.Content[1], a)
		if why != "" {
			return firsts, why
		}
		out = append(out, seconds...)
	}
	return out, ""
}

// merge overrides the sets of its first generator with those of the others
// that agree on every merge key.
func (r *reader) merge(p string, m *yaml.Node, parent genParams) ([]genParams, string) {
	children := repotree.Items(repotree.Get(m, "generators"))
	if len(children) == 0 {
		return nil, ""
	}
	base, why := r.expand(p, children[0], parent)
	if why != "" {
		return base, why
	}
	var keys []string
	for _, k := range repotree.Items(repotree.Get(m, "mergeKeys")) {
		keys = append(keys, k.Value)
	}
	for _, child := range children[1:] {
		overs, why := r.expand(p, child, parent)
		if why != "" {
			return base, why
		}
		for _, b := range base {
			for _, o := range overs {
				if sameKeys(b, o, keys) {
					maps.Copy(b, o)
				}
			}
		}
	}
	return base, ""
}

func sameKeys(a, b genParams, keys []string) bool {
	for _, k := range keys {
		if a[k] == nil || b[k] == nil || a[k].Value != b[k].Value {
			return false
		}
	}
	return len(keys) > 0
}

// notExpandable says on the rows the generator's Applications would make
// (named from the template, with what could be expanded) that ferry cannot
// show them, and on the file why.
func (r *reader) notExpandable(p string, doc, tmpl *yaml.Node, sets []genParams, why string) {
	name := repotree.Str(doc, "metadata", "name")
	msg := fmt.Sprintf("ApplicationSet %s: %s; its Applications are not shown", name, why)
	r.files.because(p, msg)
	if len(sets) == 0 {
		sets = []genParams{{}}
	}
	apps := map[string]bool{}
	for _, params := range sets {
		app := unresolved.ReplaceAllString(repotree.Str(substitute(tmpl, params), "metadata", "name"), "")
		if app = trimSeps(app); app != "" && !apps[app] {
			apps[app] = true
			r.appsSeen[app] = true
			r.problem(app, "", model.Problem{Source: "git", File: p, Line: doc.Line, Message: msg})
		}
	}
	if len(apps) == 0 {
		r.problem("", "", model.Problem{Source: "git", File: p, Line: doc.Line, Message: msg})
	}
}

// unresolved matches a placeholder no parameter filled.
var unresolved = regexp.MustCompile(`\{\{[^}]*\}\}`)

// flattenParams collects an element's values by dotted key: {env: dev,
// values: {tag: v1}} gives "env" and "values.tag".
func flattenParams(n *yaml.Node, prefix string, out genParams) {
	repotree.Pairs(n, func(k, v *yaml.Node) {
		switch v.Kind {
		case yaml.ScalarNode:
			out[prefix+k.Value] = v
		case yaml.MappingNode:
			flattenParams(v, prefix+k.Value+".", out)
		}
	})
}

// placeholder matches {{env}}, {{ env }}, {{.env}}, {{ .values.tag }} and
// {{path[1]}}.
var placeholder = regexp.MustCompile(`\{\{\s*\.?([\w.\-\[\]]+)\s*\}\}`)

// substitute copies a template, filling placeholders from params. A scalar
// that is exactly one placeholder becomes the element's own node, so that
// its position — where a promotion writes — is the element's value.
func substitute(n *yaml.Node, params genParams) *yaml.Node {
	if n == nil || len(params) == 0 {
		return n
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

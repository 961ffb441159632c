package repotree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The limits a YAML file is held to before any reader — ferry's own,
// kustomize's or Helm's — sees it. yaml.v3 parses even hostile files
// cheaply (a node per alias, 10,000 levels at most); what costs gigabytes
// and minutes is what the readers do after: kustomize and Helm expand every
// alias into a copy, and walk deep trees again and again. Real deploy
// configuration nests a few dozen levels (a CRD's schema) and repeats an
// anchor a few hundred times.
const (
	// MaxDepth is how deeply a file's nodes may nest, aliases expanded.
	MaxDepth = 200
	// MaxAliasNodes is how many nodes aliases may add once expanded.
	MaxAliasNodes = 100_000
)

// Exceeded says which limit a file's YAML goes past, and where.
type Exceeded struct {
	Line   int
	Reason string // "YAML nests deeper than 200 levels"
}

func (e *Exceeded) Error() string { return e.Reason }

var (
	tooDeep        = fmt.Sprintf("YAML nests deeper than %d levels", MaxDepth)
	tooManyAliased = fmt.Sprintf("YAML aliases expand to more than %d nodes", MaxAliasNodes)
	cyclic         = "a YAML alias refers to a node that contains it, so it never ends"
)

// CheckYAML reports the first limit the YAML documents in data go past, or
// nil. Data that is not YAML yaml.v3 can parse is left to the readers,
// which report it in their own words — except that yaml.v3's own depth
// limit counts as nesting too deep.
func CheckYAML(data []byte) *Exceeded {
	if !mayExceed(data) {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if strings.Contains(err.Error(), "exceeded max depth") {
				return &Exceeded{Line: errorLine(err), Reason: tooDeep}
			}
			return nil
		}
		if e := CheckNode(&n); e != nil {
			return e
		}
	}
}

// mayExceed is a byte scan that is true whenever the file might go past a
// limit, so that the parse runs only for files that could: aliases need a
// '*', and a node's depth is at most the flow collections opened before it
// plus two levels per column of its line's indentation (a mapping, and a
// sequence at the same column) plus the indicators on its line.
func mayExceed(data []byte) bool {
	if bytes.IndexByte(data, '*') >= 0 {
		return true
	}
	flow, block := 0, 0
	for line := range bytes.Lines(data) {
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		indicators := 0
		for _, c := range line[indent:] {
			switch c {
			case '[', '{':
				flow++
			case '-', '?', ':':
				indicators++
			}
		}
		block = max(block, 2*(indent+1)+indicators)
	}
	return flow+block > MaxDepth
}

// CheckNode reports the first limit a parsed document goes past, or nil.
func CheckNode(n *yaml.Node) *Exceeded {
	w := costWalker{memo: map[*yaml.Node]nodeCost{}, open: map[*yaml.Node]bool{}}
	_, e := w.cost(n, 0)
	return e
}

// nodeCost is what a node amounts to with its aliases expanded: how many
// nodes, and how many levels (itself included).
type nodeCost struct{ nodes, height int }

// costWalker adds up costs; anchored nodes are remembered, so an alias
// costs a lookup however large its expansion, and the walk stays linear.
type costWalker struct {
	memo  map[*yaml.Node]nodeCost
	open  map[*yaml.Node]bool // anchored nodes the walk is inside of
	added int                 // nodes the aliases seen so far add
}

// saturated keeps sums of expansions (9⁹ and beyond) from overflowing.
const saturated = 1 << 50

func (w *costWalker) cost(n *yaml.Node, level int) (nodeCost, *Exceeded) {
	if level > MaxDepth {
		return nodeCost{}, &Exceeded{Line: n.Line, Reason: tooDeep}
	}
	if n.Kind == yaml.AliasNode {
		return w.alias(n, level)
	}
	c := nodeCost{nodes: 1, height: 1}
	if n.Anchor != "" {
		w.open[n] = true
		defer delete(w.open, n)
	}
	for _, child := range n.Content {
		cc, e := w.cost(child, level+1)
		if e != nil {
			return nodeCost{}, e
		}
		c.nodes = min(c.nodes+cc.nodes, saturated)
		c.height = max(c.height, cc.height+1)
	}
	if n.Anchor != "" {
		w.memo[n] = c
	}
	return c, nil
}

// alias costs what its anchored node costs, placed where the alias is.
func (w *costWalker) alias(n *yaml.Node, level int) (nodeCost, *Exceeded) {
	if w.open[n.Alias] { // yaml.v3 ties an alias to the anchor it sits in
		return nodeCost{}, &Exceeded{Line: n.Line, Reason: cyclic}
	}
	c, ok := w.memo[n.Alias]
	if !ok { // an alias yaml.v3 did not tie to an earlier node
		return nodeCost{nodes: 1, height: 1}, nil
	}
	if level+c.height-1 > MaxDepth {
		return nodeCost{}, &Exceeded{Line: n.Line, Reason: tooDeep}
	}
	w.added = min(w.added+c.nodes, saturated)
	if w.added > MaxAliasNodes {
		return nodeCost{}, &Exceeded{Line: n.Line, Reason: tooManyAliased}
	}
	return c, nil
}

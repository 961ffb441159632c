package helm

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Source is the values scalar an image part is written from.
type Source struct {
	// Layer is the index in Release.Layers, or ChartValues for the
	// chart's (or a subchart's) values.yaml, ChartMetadata for Chart.yaml.
	Layer int
	File  string
	Node  *yaml.Node
	// Path is the values path of the scalar as the release's values say
	// it ("frontend.image.tag", "redis.tag"), or "appVersion".
	Path string
	// Format spells the image part with {} for the scalar's value when the
	// template adds to it ("v{}"); "" when the part is the value itself.
	Format string
	// From names the file the rendered value comes from when Node is only
	// where it would be written: an empty tag the template fills from the
	// chart's appVersion or its own default.
	From string
	// at finds Node again in another reading of the same text: its path
	// in the layer's values or the file, or the parameter's name.
	at nodeAt
}

// nodeAt says where a scalar sits: at a path of a YAML tree, or as the
// value of a --set parameter.
type nodeAt struct{ path, param string }

// The layers of a chart's own values.
const (
	ChartValues   = -1
	ChartMetadata = -2
)

// maxVisits bounds one conversion: aliases can make a small file expand
// exponentially; real values stay far below it.
const maxVisits = 100_000

// marking replaces candidate scalars by unique markers while converting
// values, and remembers the scalar behind each marker. In the first pass
// the candidates are strings (and numbers under tag/version keys); in the
// empty pass, only the empty or null values under such keys: where a tag
// would be written when the template falls back to a default.
type marking struct {
	empty   bool
	sources []Source
	visits  int
	prefix  string // the values path of the tree being converted
}

var markerText = regexp.MustCompile(`(?i)fmk(\d{5})x`)

func (m *marking) mark(s Source) string {
	m.sources = append(m.sources, s)
	return fmt.Sprintf("fmk%05dx", len(m.sources)-1)
}

// source returns the scalar behind a marker found in rendered text.
func (m *marking) source(found string) (Source, bool) {
	i, err := strconv.Atoi(found[3:8])
	if err != nil || i >= len(m.sources) {
		return Source{}, false
	}
	return m.sources[i], true
}

// candidate reports whether a scalar at key gets a marker in this pass.
func (m *marking) candidate(key string, v any) bool {
	switch v := v.(type) {
	case string:
		if m.empty {
			return v == "" && versionKey(key)
		}
		return v != ""
	case float64:
		return !m.empty && versionKey(key)
	case nil:
		return m.empty && versionKey(key)
	}
	return false
}

// values converts a mapping of values, marking its candidates.
func (m *marking) values(n *yaml.Node, layer int, file, prefix string) map[string]any {
	m.prefix = prefix
	out, _ := m.value(n, prefix, "", layer, file).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func (m *marking) value(n *yaml.Node, path, key string, layer int, file string) any {
	if n == nil || m.visits > maxVisits {
		return nil
	}
	m.visits++
	switch n.Kind {
	case yaml.AliasNode:
		return m.value(n.Alias, path, key, layer, file)
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return m.value(n.Content[0], path, key, layer, file)
		}
		return nil
	case yaml.MappingNode:
		return m.mapping(n, path, layer, file)
	case yaml.SequenceNode:
		list := make([]any, len(n.Content))
		for i, item := range n.Content {
			list[i] = m.value(item, fmt.Sprintf("%s[%d]", path, i), key, layer, file)
		}
		return list
	}
	v := scalarValue(n)
	if m.candidate(key, v) {
		at := strings.TrimPrefix(strings.TrimPrefix(path, m.prefix), ".")
		return m.mark(Source{Layer: layer, File: file, Node: n, Path: path, at: nodeAt{path: at}})
	}
	return v
}

// mapping converts a mapping; a merge key (<<) brings in the keys its
// anchors hold that the mapping does not set itself.
func (m *marking) mapping(n *yaml.Node, path string, layer int, file string) map[string]any {
	out := map[string]any{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		out[k.Value] = m.value(v, join(path, k.Value), k.Value, layer, file)
	}
	for _, v := range merges {
		for _, src := range mergeSources(v) {
			if sub, ok := m.value(src, path, "", layer, file).(map[string]any); ok {
				for k, sv := range sub {
					if _, set := out[k]; !set {
						out[k] = sv
					}
				}
			}
		}
	}
	return out
}

func mergeSources(v *yaml.Node) []*yaml.Node {
	if v.Kind == yaml.SequenceNode {
		return v.Content
	}
	return []*yaml.Node{v}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

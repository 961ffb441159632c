package helm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// FuzzTrace generates values trees (nested maps, scalars of every style,
// numbers, anchors) and an environment layer over them, renders a template
// that builds an image from two random leaves, and checks that the tracing
// names exactly the leaf and the layer that win. The seed corpus runs in
// the normal suite.
func FuzzTrace(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 42, 7777, 123456789} {
		f.Add(seed, seed*31)
	}
	f.Fuzz(func(t *testing.T, a, b uint64) {
		g := &valuesGen{r: rand.New(rand.NewPCG(a, b))}
		defaults := g.tree(0, "")
		repo, tag := g.leaves[g.r.IntN(len(g.leaves))], g.leaves[g.r.IntN(len(g.leaves))]
		if repo.path == tag.path {
			return
		}
		override := g.override(tag, repo)
		tmpl := deployment + fmt.Sprintf("        - name: app\n          image: \"ghcr.io/x/{{ .Values.%s }}:%s{{ .Values.%s }}\"\n",
			repo.path, g.prefix, tag.path)
		tree := chartTree(defaults, map[string]string{"deployment.yaml": tmpl}, nil)
		images := render(t, tree, layer(t, "envs/prod/values.yaml", override.text))
		if len(images) != 1 {
			t.Fatalf("images %+v\n%s\n%s", images, defaults, override.text)
		}
		img := images[0]
		check := func(part string, leaf valuesLeaf, layer int, format string) {
			s, ok := img.Parts[part]
			if !ok || s.Path != leaf.path || s.Layer != layer || s.Format != format {
				t.Errorf("%s: got %+v, want %s in layer %d as %q\nimage %s\ndefaults:\n%s\noverride:\n%s",
					part, s, leaf.path, layer, format, img.Ref, defaults, override.text)
			}
			if ok && s.Node.Value != override.value(leaf) {
				t.Errorf("%s: node %q, want %q", part, s.Node.Value, override.value(leaf))
			}
		}
		check("repository", repo, override.layerOf(repo), "ghcr.io/x/{}")
		tagFormat := ""
		if g.prefix != "" {
			tagFormat = g.prefix + "{}"
		}
		check("tag", tag, override.layerOf(tag), tagFormat)
	})
}

type valuesLeaf struct{ path, value string }

type valuesGen struct {
	r      *rand.Rand
	leaves []valuesLeaf
	prefix string
}

// tree writes a mapping of depth up to 3 with identifier keys and scalar
// leaves an image part can hold, in plain, quoted or anchored form.
func (g *valuesGen) tree(depth int, path string) string {
	var b strings.Builder
	indent := strings.Repeat("  ", depth)
	if depth == 0 && g.r.IntN(2) == 0 {
		g.prefix = "v"
	}
	for i := range 1 + g.r.IntN(4) {
		key := fmt.Sprintf("k%d%c", i, 'a'+rune(g.r.IntN(3)))
		p := key
		if path != "" {
			p = path + "." + key
		}
		if depth < 3 && g.r.IntN(3) == 0 {
			fmt.Fprintf(&b, "%s%s:\n%s", indent, key, g.tree(depth+1, p))
			continue
		}
		v := g.scalar()
		g.leaves = append(g.leaves, valuesLeaf{p, v})
		fmt.Fprintf(&b, "%s%s: %s\n", indent, key, g.spell(v))
	}
	return b.String()
}

func (g *valuesGen) scalar() string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	b.WriteByte(letters[g.r.IntN(26)])
	for range g.r.IntN(8) {
		b.WriteByte(letters[g.r.IntN(len(letters))])
	}
	return b.String()
}

// spell writes a scalar plain or quoted; a word YAML 1.1 reads as a
// boolean (y, on, no) is always quoted, since Helm would not read a string.
func (g *valuesGen) spell(v string) string {
	if _, isBool := yaml11Bools[v]; isBool {
		return `"` + v + `"`
	}
	switch g.r.IntN(3) {
	case 0:
		return `"` + v + `"`
	case 1:
		return "'" + v + "'"
	}
	return v
}

// overrideLayer is the environment's values: some leaves set again.
type overrideLayer struct {
	text string
	set  map[string]string
}

func (g *valuesGen) override(leaves ...valuesLeaf) overrideLayer {
	o := overrideLayer{set: map[string]string{}}
	root := map[string]any{}
	for _, l := range leaves {
		if g.r.IntN(2) == 0 {
			continue
		}
		v := g.scalar()
		o.set[l.path] = v
		m := root
		segs := strings.Split(l.path, ".")
		for _, s := range segs[:len(segs)-1] {
			next, _ := m[s].(map[string]any)
			if next == nil {
				next = map[string]any{}
				m[s] = next
			}
			m = next
		}
		m[segs[len(segs)-1]] = v
	}
	o.text = writeMap(root, 0)
	if o.text == "" {
		o.text = "{}\n"
	}
	return o
}

func writeMap(m map[string]any, depth int) string {
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		switch v := m[k].(type) {
		case map[string]any:
			fmt.Fprintf(&b, "%s%s:\n%s", strings.Repeat("  ", depth), k, writeMap(v, depth+1))
		default:
			fmt.Fprintf(&b, "%s%s: %q\n", strings.Repeat("  ", depth), k, v)
		}
	}
	return b.String()
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func (o overrideLayer) layerOf(l valuesLeaf) int {
	if _, ok := o.set[l.path]; ok {
		return 0
	}
	return ChartValues
}

func (o overrideLayer) value(l valuesLeaf) string {
	if v, ok := o.set[l.path]; ok {
		return v
	}
	return l.value
}

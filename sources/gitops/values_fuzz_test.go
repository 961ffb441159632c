package gitops

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// FuzzFindValuesImages checks the locator: every position it returns must
// point at the scalar it describes in the original bytes (edits splice
// there), and reading a tree made of arbitrary YAML never panics. The seed
// corpus (fixtures and edge cases) runs in the normal suite.
func FuzzFindValuesImages(f *testing.F) {
	for _, seed := range []string{
		"image:\n  repository: ghcr.io/a/b\n  tag: v1\n",
		"api:\n  image: {repository: \"ghcr.io/a/api\", tag: '1.0'}\n",
		"base: &img\n  repository: r.example/x\n  tag: \"2\"\nfront:\n  image: *img\n",
		"ünïcode: ✓✓✓\nimage:\n    tag:    v9 # {\"$imagepolicy\": \"ns:p:tag\"}\n",
		"image: >-\n  ghcr.io/a/b:folded\n",
		"---\nimage: a:1\n---\nx:\n  image:\n    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
		"image:\n\trepository: tab\n",
		"a: [\n",
	} {
		f.Add([]byte(seed))
	}
	for _, fixture := range []string{"helm-env-dirs", "flux-helmrelease", "manifests", "argocd"} {
		filepath.WalkDir(filepath.Join("..", "..", "testdata", "repos", fixture), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && repotree.IsYAML(p) {
				data, _ := os.ReadFile(p)
				f.Add(data)
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := yamlLines.Split(string(data), -1)
		docs, _ := repotree.ParseDocs("values.yaml", data)
		for _, doc := range docs {
			for _, img := range repotree.FindValuesImages(doc.Root) {
				for _, n := range []*yaml.Node{img.Registry, img.Repository, img.Tag, img.Digest, img.Whole} {
					if n != nil {
						checkScalarAt(t, lines, repotree.Pos(n), n)
					}
				}
			}
		}
		// The whole reader, over the same bytes as values, manifests and
		// Argo CD/Flux objects: problems are fine, panics are not.
		res := Read(repotree.NewTree("", map[string][]byte{
			"environments/dev/shop/values.yaml": data, "envs/prod/shop.yaml": data,
		}))
		for _, d := range res.Declared {
			for key, pos := range d.Location.Fields {
				if pos.Line == 0 {
					t.Errorf("%s: field %s has no position", d.Location.File, key)
				}
				checkScalarAt(t, lines, pos, nil)
			}
		}
	})
}

// checkScalarAt asserts that the text at pos (1-based line, column in
// characters as yaml.v3 counts them) starts a scalar: a quote, a block
// indicator, or the node's plain value.
func checkScalarAt(t *testing.T, lines []string, pos model.Position, n *yaml.Node) {
	t.Helper()
	if pos.Line < 1 || pos.Line > len(lines) {
		t.Fatalf("line %d outside the file (%d lines)", pos.Line, len(lines))
	}
	line := []rune(lines[pos.Line-1])
	if pos.Column < 1 || pos.Column > len(line) {
		t.Fatalf("column %d outside line %d %q", pos.Column, pos.Line, string(line))
	}
	at := string(line[pos.Column-1:])
	if n == nil {
		if at == "" || unicode.IsSpace([]rune(at)[0]) {
			t.Errorf("%d:%d points at blank: %q", pos.Line, pos.Column, string(line))
		}
		return
	}
	if n.Anchor != "" && strings.HasPrefix(at, "&") {
		// `tag: &version 1.0`: yaml.v3 places an anchored node at its
		// anchor (the fuzzer's find: `image: &00000 000`); the editor
		// skips it and keeps it.
		return
	}
	if n.Style&yaml.TaggedStyle != 0 || strings.HasPrefix(at, "!") {
		// `tag: !!str 1.0`: yaml.v3 places the node at its tag (see Pos),
		// the non-specific `!` too, though it sets no TaggedStyle for it
		// (the fuzzer's find: `image: ! 0000`). No plain scalar starts
		// with '!', and the editor skips any tag.
		expectPrefix(t, at, "!")
		return
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle:
		expectPrefix(t, at, `"`)
	case yaml.SingleQuotedStyle:
		expectPrefix(t, at, "'")
	case yaml.LiteralStyle:
		expectPrefix(t, at, "|")
	case yaml.FoldedStyle:
		expectPrefix(t, at, ">")
	default:
		if first := strings.Fields(n.Value); len(first) > 0 {
			expectPrefix(t, at, first[0])
		}
	}
}

// yamlLines splits text where YAML breaks lines: CRLF, CR, LF, NEL, LS, PS.
var yamlLines = regexp.MustCompile(`\r\n|[\r\n\x{85}\x{2028}\x{2029}]`)

func expectPrefix(t *testing.T, at, prefix string) {
	t.Helper()
	if !strings.HasPrefix(at, prefix) {
		t.Errorf("position points at %q, want the scalar starting %q", at, prefix)
	}
}

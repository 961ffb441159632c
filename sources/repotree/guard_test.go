package repotree

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// nested is n levels of flow sequences around a scalar: n+1 levels of
// nodes below the document.
func nested(n int) string { return strings.Repeat("[", n) + "x" + strings.Repeat("]", n) }

func TestCheckYAMLLimits(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i <= 5; i++ { // 10⁶ nodes once expanded
		bomb += fmt.Sprintf("%c: &%c [%s]\n", 'a'+i, 'a'+i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%c, ", 'a'+i-1), 10), ", "))
	}
	for _, tc := range []struct {
		name, yaml string
		reason     string // "" when the file is read
		line       int
	}{
		{"a manifest with anchors", "base: &b {cpu: 1, memory: 2Gi}\nweb: *b\nworker:\n  <<: *b\n  cpu: 2\n", "", 0},
		{"200 levels (a mapping, 198 sequences, a scalar)", "v: " + nested(198), "", 0},
		{"201 levels", "v: " + nested(199), tooDeep, 1},
		{"block sequences", "v:\n" + strings.Repeat("- ", 300) + "x\n", tooDeep, 2},
		{"indented mappings", "v:\n" + indented(250), tooDeep, 200},
		{"depth through an alias", "deep: &d " + nested(150) + "\nmore:\n  " + strings.Repeat("- ", 60) + "*d\n", tooDeep, 3},
		{"an alias bomb", bomb, tooManyAliased, 5},
		{"second document", "a: 1\n---\nv: " + nested(300), tooDeep, 3},
		{"past yaml.v3's own depth", "v: " + nested(10_001), tooDeep, 0},
		{"an alias inside its own anchor", "base: &img\n  image: *img\n", cyclic, 2},
		{"a sequence holding itself", "a: &a [x, *a]\n", cyclic, 1},
		{"an alias after its anchor ends is no cycle", "a: &a {x: 1}\nb: {c: *a}\n", "", 0},
		{"not YAML (left to the readers)", "a: [\n", "", 0},
	} {
		e := CheckYAML([]byte(tc.yaml))
		switch {
		case tc.reason == "" && e != nil:
			t.Errorf("%s: refused: %v", tc.name, e)
		case tc.reason != "" && (e == nil || e.Reason != tc.reason || e.Line != tc.line):
			t.Errorf("%s: got %v (line %d), want %q on line %d", tc.name, e, lineOf(e), tc.reason, tc.line)
		}
	}
}

func indented(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// The byte scan must never pass a file the walk would refuse; ordinary
// files it passes without parsing.
func TestMayExceedPassesOrdinaryFiles(t *testing.T) {
	plain := "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x:1\n"
	if mayExceed([]byte(plain)) {
		t.Error("an ordinary manifest is parsed")
	}
}

func TestParseDocsHoldsDocumentsToTheLimits(t *testing.T) {
	docs, p := ParseDocs("rendered.yaml", []byte("a: 1\n---\nv: "+nested(300)+"\n"))
	if len(docs) != 1 || p == nil || p.File != "rendered.yaml" || !strings.Contains(p.Message, tooDeep) {
		t.Errorf("docs %d problem %+v", len(docs), p)
	}
}

// FuzzCheckYAML holds the byte scan to the walk: whatever yaml.v3 parses
// and the walk refuses, CheckYAML refuses too (the scan skipped no parse
// it needed).
func FuzzCheckYAML(f *testing.F) {
	for _, seed := range []string{"a: 1\n", "a: &a [1, 2]\nb: *a\n", "v:\n" + indented(120), "- - - [[{a: b}]]\n", "a: |\n  [[[[\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n yaml.Node
		if yaml.Unmarshal(data, &n) != nil {
			return
		}
		if CheckNode(&n) != nil && CheckYAML(data) == nil {
			t.Fatalf("the byte scan passed a file the walk refuses:\n%q", data)
		}
	})
}

func lineOf(e *Exceeded) int {
	if e == nil {
		return 0
	}
	return e.Line
}

package gitedit

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

// FuzzEditTag: whatever surrounds a tag scalar (comments, quoting, blank
// lines, CRLF, other keys, non-ASCII text before it on the line) and
// whatever the new tag is, after the edit the file reads back with the new
// tag and no byte outside the scalar changed.
func FuzzEditTag(f *testing.F) {
	f.Add("# values\n", "1.0.0", "", "  # keep", "1.1.0", false)
	f.Add("", "'v1'", "", "", "on", true)
	f.Add("title: \"héllo ✓\"\n\n", "\"1.0\"", "  ", " # ✓ café", "1.10", false)
	f.Add("a: {b: c}\n", "!!str 1.0", "", "", "2026.1", true)
	f.Fuzz(func(t *testing.T, before, tag, pad, comment, next string, crlf bool) {
		if next == "" || strings.ContainsAny(before+tag+pad+comment, "\r\t") || strings.Contains(tag+comment+pad, "\n") ||
			strings.ContainsAny(next, "\n\r\t\x00") || strings.ContainsRune(next, 0xFEFF) || !isText(next) {
			return
		}
		doc := before + "image:\n  repository: r\n  tag: " + tag + pad + comment + "\nafter: 1\n"
		if crlf {
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		}
		data := []byte(doc)
		node := tagNode(data)
		if node == nil || node.Kind != yaml.ScalarNode || node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return
		}
		d := model.Declared{Location: model.Location{File: "v.yaml", Kind: model.KindHelmValues,
			Fields: map[string]model.Position{"tag": {Line: node.Line, Column: node.Column}}}}
		got, _, err := EditImage(data, d, model.ImageRef{Tag: next})
		if err != nil {
			return // a shape the editor refuses: fine, as long as it says so
		}
		after := tagNode(got)
		if after == nil || after.Value != next {
			t.Fatalf("tag reads back %v, want %q\nbefore: %q\nafter:  %q", after, next, data, got)
		}
		off, _ := offset(data, model.Position{Line: node.Line, Column: node.Column})
		sp, _ := scalarAt(data, off)
		lower := min(off, sp.start)
		if sp.start == sp.end && lower > 0 && data[lower-1] != ' ' {
			lower-- // an empty value gains the space after its colon
		}
		if !bytes.HasPrefix(got, data[:lower]) || !bytes.HasSuffix(got, data[sp.end:]) {
			t.Fatalf("bytes outside the scalar changed\nbefore: %q\nafter:  %q", data, got)
		}
	})
}

func tagNode(data []byte) *yaml.Node {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	img := mapValue(root.Content[0], "image")
	return mapValue(img, "tag")
}

func isText(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xFFFD {
			return false
		}
	}
	return true
}

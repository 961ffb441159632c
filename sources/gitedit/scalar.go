// Package gitedit turns staged changes into byte-level edits of the files
// that declare them: only the tag and digest scalars change (or a missing
// one is added); comments, key order, quoting, indentation, line endings and
// blank lines stay. Positions come from discovery (yaml.v3 node positions,
// whose columns count characters, not bytes); the edit splices bytes in the
// original text, never re-serialises YAML.
package gitedit

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

// offset converts a 1-based line and character column into a byte offset.
// Lines end where yaml.v3 ends them: at LF, CRLF, a lone CR, and the
// Unicode breaks NEL, LS and PS — a file with bare CR line endings is
// edited at the right bytes, not at the LF-counted ones.
func offset(data []byte, pos model.Position) (int, error) {
	if pos.Line < 1 || pos.Column < 1 {
		return 0, fmt.Errorf("no position (line %d, column %d)", pos.Line, pos.Column)
	}
	off := 0
	for line := 1; line < pos.Line; line++ {
		for {
			if off >= len(data) {
				return 0, fmt.Errorf("line %d is past the end of the file", pos.Line)
			}
			if n := lineBreak(data[off:]); n > 0 {
				off += n
				break
			}
			_, size := utf8.DecodeRune(data[off:])
			off += size
		}
	}
	for col := 1; col < pos.Column; col++ {
		if off >= len(data) || lineBreak(data[off:]) > 0 {
			return 0, fmt.Errorf("column %d is past the end of line %d", pos.Column, pos.Line)
		}
		_, size := utf8.DecodeRune(data[off:])
		off += size
	}
	return off, nil
}

// lineBreak is the length of the line break b starts with, or 0.
func lineBreak(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '\n':
		return 1
	case b[0] == '\r' && len(b) > 1 && b[1] == '\n':
		return 2
	case b[0] == '\r':
		return 1
	}
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		if strings.HasPrefix(string(b[:min(len(b), 3)]), br) {
			return len(br)
		}
	}
	return 0
}

// span is a scalar's bytes in the file and how it is written.
type span struct {
	start, end int  // the value's bytes, quotes included
	quote      byte // '"', '\'', or 0 for a plain scalar
}

// scalarAt reads the scalar that starts at off: a quoted one to its
// closing quote, a plain one to the end of the line or a comment. The
// node's properties before the value — a tag such as `!!str`, an anchor
// such as `&version` (yaml.v3 places the node at the first) — are skipped
// and kept.
func scalarAt(data []byte, off int) (span, error) {
	for off < len(data) && (data[off] == '!' || data[off] == '&') {
		for off < len(data) && data[off] != ' ' && data[off] != '\t' && lineBreak(data[off:]) == 0 {
			off++
		}
		for off < len(data) && (data[off] == ' ' || data[off] == '\t') {
			off++
		}
	}
	if off >= len(data) {
		return span{}, fmt.Errorf("no value at the end of the file")
	}
	switch q := data[off]; q {
	case '"', '\'':
		for i := off + 1; i < len(data) && lineBreak(data[i:]) == 0; i++ {
			switch {
			case q == '"' && data[i] == '\\':
				i++
			case q == '\'' && data[i] == '\'' && i+1 < len(data) && data[i+1] == '\'':
				i++
			case data[i] == q:
				return span{start: off, end: i + 1, quote: q}, nil
			}
		}
		return span{}, fmt.Errorf("a quoted value that spans lines cannot be edited in place")
	case '|', '>':
		return span{}, fmt.Errorf("a block scalar cannot be edited in place")
	}
	end := off
	for end < len(data) && lineBreak(data[end:]) == 0 {
		if data[end] == '#' && end > off && (data[end-1] == ' ' || data[end-1] == '\t') {
			break
		}
		if (data[end] == ',' || data[end] == '}' || data[end] == ']') && inFlow(data, off) {
			break
		}
		end++
	}
	for end > off && (data[end-1] == ' ' || data[end-1] == '\t') {
		end--
	}
	return span{start: off, end: end}, nil
}

// inFlow reports whether the line holding off opens a flow collection
// before it (`image: {tag: 1.0, digest: …}`).
func inFlow(data []byte, off int) bool {
	start := off
	for start > 0 && data[start-1] != '\n' {
		start--
	}
	return strings.ContainsAny(string(data[start:off]), "{[")
}

// yaml11Words are read as booleans (or null) by YAML 1.1 parsers, which
// Helm and Kubernetes use: a tag "on" must be quoted although YAML 1.2
// reads it as a string.
var yaml11Words = regexp.MustCompile(`^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+)$`)

// readsAsString reports whether a plain scalar is read back as this very
// string by YAML 1.2 and 1.1 parsers alike.
func readsAsString(v string) bool {
	if v == "" || yaml11Words.MatchString(v) {
		return false
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte("v: "+v), &m); err != nil {
		return false
	}
	s, ok := m["v"].(string)
	return ok && s == v
}

// render writes a value in the original's style: the same quotes, or plain
// when plain reads back as the same string, else double quotes.
func render(value string, quote byte) string {
	switch quote {
	case '"':
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
	case '\'':
		return `'` + strings.ReplaceAll(value, `'`, `''`) + `'`
	}
	if !readsAsString(value) || strings.ContainsAny(value, ":#{}[],&*!|>'\"%@`") && !plainSafe(value) {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
	}
	return value
}

// plainSafe accepts what image references look like in plain YAML: a
// colon or @ inside the text is fine as long as no ": " or " #" appears.
func plainSafe(v string) bool {
	return !strings.Contains(v, ": ") && !strings.Contains(v, " #") &&
		!strings.ContainsAny(v[:1], "-?:,[]{}#&*!|>'\"%@`")
}

// unquote returns a scalar's value as YAML reads it (the simple cases
// image fields use).
func unquote(raw string, quote byte) string {
	switch quote {
	case '"':
		return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(raw[1 : len(raw)-1])
	case '\'':
		return strings.ReplaceAll(raw[1:len(raw)-1], `''`, `'`)
	}
	return raw
}

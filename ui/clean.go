package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean makes a string from outside (file and app names, OCI labels,
// commit subjects, Kubernetes messages, error texts) safe to put on a
// terminal: control characters become visible and inert, so an OCI label
// holding an OSC 52 clipboard write or a CSI sequence is shown, not obeyed.
// ESC and the other C0 controls read as ^[ and friends, DEL as ^?, C1
// controls and invalid bytes as <U+009B> and <0xff>. Tabs become a space; a
// newline stays only where the caller allows several lines (CleanLines).
// JSON and YAML output never go through it: they stay exact.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	return clean(s, false)
}

// CleanLines is Clean for text that may span lines.
func CleanLines(s string) string {
	if isPlain(s) {
		return s
	}
	return clean(s, true)
}

// isPlain is the fast path: printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

func clean(s string, lines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "<0x%02x>", s[i])
		case r == '\n' && lines:
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteString("^" + string(rune(r+'@')))
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// helpText lists every binding by scope, as the keymap declares them (so
// the help cannot drift from what the keys do), and what each cell state
// means: side by side when the screen is wide enough.
func helpText(keys *keymap.Map, t *Theme, width int) string {
	left, right := keysText(keys, t), statesText(t)
	if width >= 110 {
		return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(44).Render(left), right)
	}
	return left + "\n" + right
}

func keysText(keys *keymap.Map, t *Theme) string {
	var b strings.Builder
	b.WriteString(t.Title.Render("ferry — keys") + "\n")
	scope := ""
	for _, k := range keys.All() {
		if k.Scope != scope {
			scope = k.Scope
			b.WriteString("\n" + t.Header.Render(scope) + "\n")
		}
		h := k.Help()
		fmt.Fprintf(&b, "  %s %s\n", t.Key.Render(fmt.Sprintf("%-14s", h.Key)), h.Desc)
	}
	return b.String()
}

func statesText(t *Theme) string {
	var b strings.Builder
	b.WriteString(t.Header.Render("cell states") + "\n")
	for _, l := range legendLines(t) {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("\n" + t.Muted.Render("• after a cell: it just changed. The same colour is the same artifact.") + "\n")
	b.WriteString("\n" + t.Header.Render("mouse and config") + "\n")
	b.WriteString(t.Muted.Render("  The wheel scrolls, a click selects a cell.\n"+
		"  Rebind keys in the keys: section of $XDG_CONFIG_HOME/ferry/config.yaml,\n"+
		"  for example  keys: {grid.filter: f}") + "\n")
	return b.String()
}

// legendLines explain each state's glyph.
func legendLines(t *Theme) []string {
	meaning := []struct{ state, text string }{
		{"error", "a source failed for this cell"},
		{"drift", "no pod runs what Git declares, and the controller says synced (or there is none)"},
		{"pending", "declared in Git; the controller has not applied it yet"},
		{"rolling", "the declared artifact runs on some pods, or the rollout is not complete"},
		{"tag-moved", "the declared tag now points at another digest"},
		{"behind", "an upstream environment runs a newer artifact: promotable"},
		{"unknown", "the sources read so far cannot tell"},
		{"in-sync", "declared = resolved = running"},
		{"missing", "not declared in this environment"},
	}
	out := make([]string, 0, len(meaning))
	for _, m := range meaning {
		s := model.State(m.state)
		out = append(out, t.State(s, Glyph(s)+" "+fmt.Sprintf("%-10s", m.state))+" "+m.text)
	}
	return out
}

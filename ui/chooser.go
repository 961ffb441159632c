package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// chooser asks the user to pick one of a few options (which upstream to
// promote from, which earlier artifact to roll back to); it reports the
// pick to a function the root gave it.
type chooser struct {
	title   string
	options []string
	sel     int
	pick    func(i int) tea.Cmd // called with the chosen option
}

// Update moves the selection; enter picks, esc cancels (done, no pick).
func (ch *chooser) Update(msg tea.KeyPressMsg) (done bool, cmd tea.Cmd) {
	switch msg.String() {
	case "up", "k":
		ch.sel = max(ch.sel-1, 0)
	case "down", "j":
		ch.sel = min(ch.sel+1, len(ch.options)-1)
	case "enter":
		return true, ch.pick(ch.sel)
	case "esc", "q":
		return true, nil
	}
	return false, nil
}

func (ch *chooser) View(t *Theme, width int) string {
	lines := []string{t.Title.Render(Clean(ch.title)) + t.Muted.Render("  ↑/↓ choose · enter stages · esc cancels"), ""}
	for i, o := range ch.options {
		if i == ch.sel {
			lines = append(lines, t.Selected.Render(pad("▸ "+o, min(width, 100))))
		} else {
			lines = append(lines, "  "+o)
		}
	}
	return strings.Join(lines, "\n")
}

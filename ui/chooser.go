package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
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
	case "pgup":
		ch.sel = max(ch.sel-10, 0)
	case "pgdown":
		ch.sel = min(ch.sel+10, len(ch.options)-1)
	case "enter":
		return true, ch.pick(ch.sel)
	case "esc", "q":
		return true, nil
	}
	return false, nil
}

// View shows the title and the options that fit in height lines, the
// selection always among them.
func (ch *chooser) View(t *Theme, width, height int) string {
	title, keys := Clean(ch.title), "↑/↓ choose · enter stages · esc cancels"
	lines := []string{t.Title.Render(title) + t.Muted.Render("  "+keys), ""}
	if ansi.StringWidth(title)+2+ansi.StringWidth(keys) > width {
		// A narrow terminal: the keys on a line of their own, not cut.
		lines = []string{t.Title.Render(title), t.Muted.Render(keys), ""}
	}
	room := max(height-len(lines), 1)
	first := max(0, min(ch.sel-room/2, len(ch.options)-room))
	for i := first; i < len(ch.options) && i < first+room; i++ {
		if i == ch.sel {
			lines = append(lines, t.Selected.Render(pad("▸ "+ch.options[i], min(width, 120))))
		} else {
			lines = append(lines, "  "+ch.options[i])
		}
	}
	return strings.Join(lines, "\n")
}

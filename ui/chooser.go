package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
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

// chooserKeys are the keys a chooser takes, for the footer.
var chooserKeys = []key.Binding{
	key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑/↓", "choose")),
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "stages")),
	key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "cancels")),
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
	lines := []string{t.Title.Render(Clean(ch.title)), ""}
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

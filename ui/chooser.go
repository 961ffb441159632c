package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
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

// chooserFooter are the keys a chooser takes, for the footer.
var chooserFooter = []keymap.Action{keymap.Up, keymap.Down, keymap.Pick, keymap.Back}

// Update moves the selection with the grid's keys; the pick key picks, back
// or quit cancels (done, no pick).
func (ch *chooser) Update(keys *keymap.Map, msg tea.KeyPressMsg) (done bool, cmd tea.Cmd) {
	a := keys.Match(msg, "chooser")
	if a == "" {
		a = keys.Match(msg, "grid", "global")
	}
	switch a {
	case keymap.Up:
		ch.sel = max(ch.sel-1, 0)
	case keymap.Down:
		ch.sel = min(ch.sel+1, len(ch.options)-1)
	case keymap.PageUp:
		ch.sel = max(ch.sel-10, 0)
	case keymap.PageDown:
		ch.sel = min(ch.sel+10, len(ch.options)-1)
	case keymap.Pick:
		return true, ch.pick(ch.sel)
	case keymap.Back, keymap.Quit:
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

package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
)

// key routes a key press to the active mode.
func (c *Console) key(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	c.notice = ""
	switch c.mode {
	case modePalette:
		if msg.String() == "esc" {
			c.mode = c.back
			return nil
		}
		action, cmd := c.palette.Update(msg)
		if action == "" {
			return cmd
		}
		c.mode = c.back
		return c.do(action)
	case modeFilter:
		return c.filterKey(msg)
	case modeChoose:
		done, cmd := c.chooser.Update(c.o.Keys, msg)
		if done {
			c.mode, c.chooser = c.back, nil
		}
		return cmd
	case modeReview:
		return c.reviewKey(msg)
	case modeAsk:
		return c.askKey(msg)
	case modeHelp, modeProblems:
		if a := c.o.Keys.Match(msg, "global"); a == keymap.Back || a == keymap.Help {
			c.mode = c.back
			return nil
		} else if a == keymap.Quit {
			return tea.Quit
		}
		return c.help.Update(msg)
	case modeDetail:
		a := c.o.Keys.Match(msg, "global", "grid")
		if inDetail[a] {
			return c.do(a)
		}
		return c.detail.Update(msg)
	}
	if a := c.o.Keys.Match(msg, "global", "grid"); a != "" {
		return c.do(a)
	}
	return nil
}

// inDetail are the actions the detail view takes; other keys scroll it.
var inDetail = map[keymap.Action]bool{
	keymap.Quit: true, keymap.Help: true, keymap.Back: true, keymap.Palette: true,
	keymap.CycleIdentity: true, keymap.Refresh: true, keymap.Copy: true, keymap.K9s: true,
}

// filterKey edits the app filter: the grid follows as one types; enter
// keeps the filter, esc drops it.
func (c *Console) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		c.filter.SetValue("")
		c.grid.SetFilter("")
		c.filter.Blur()
		c.mode = modeGrid
		return nil
	case "enter":
		c.filter.Blur()
		c.mode = modeGrid
		return nil
	case "up", "down":
		c.grid.Move(map[string]int{"up": -1, "down": 1}[msg.String()], 0)
		return nil
	}
	var cmd tea.Cmd
	c.filter, cmd = c.filter.Update(msg)
	c.grid.SetFilter(c.filter.Value())
	return cmd
}

// wheel scrolls the grid (moving the cursor with it) or the detail.
func (c *Console) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	step := 3
	if msg.Button == tea.MouseWheelUp {
		step = -3
	}
	switch c.mode {
	case modeGrid:
		c.grid.Move(step, 0)
	case modeDetail:
		return c.detail.Update(msg)
	case modeHelp, modeProblems:
		return c.help.Update(msg)
	}
	return nil
}

// click selects the cell under the mouse; the grid starts below the title
// and progress lines.
func (c *Console) click(msg tea.MouseClickMsg) {
	if c.mode != modeGrid || msg.Button != tea.MouseLeft {
		return
	}
	c.grid.Click(msg.X, msg.Y-2)
}

package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
)

// paletteView lists every action with its key and filters as one types;
// enter runs the chosen one.
type paletteView struct {
	keys    *keymap.Map
	input   textinput.Model
	matches []*keymap.Binding
	sel     int
}

// hiddenFromPalette are actions that make no sense to pick from a list.
var hiddenFromPalette = map[keymap.Action]bool{
	keymap.Palette: true, keymap.Back: true, keymap.Up: true, keymap.Down: true,
	keymap.Left: true, keymap.Right: true, keymap.PageUp: true, keymap.PageDown: true,
	keymap.Commit:      true, // only in the review, where c does it
	keymap.Pick:        true, // only in a chooser
	keymap.PullRequest: true, // only in the review
}

// paletteKeys are the keys the palette takes, for the footer; every
// other key types into its filter.
var paletteKeys = []key.Binding{
	key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")),
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "runs")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
}

func newPalette(keys *keymap.Map) *paletteView {
	p := &paletteView{keys: keys, input: newInput(": ")}
	p.filter()
	return p
}

// newInput is a one-line input with a cursor that does not blink (a
// blinking cursor would wake the console ten times a second).
func newInput(prompt string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	s := in.Styles()
	s.Cursor.Blink = false
	in.SetStyles(s)
	return in
}

// Open empties the input and focuses it.
func (p *paletteView) Open() tea.Cmd {
	p.input.SetValue("")
	p.filter()
	return p.input.Focus()
}

// Update handles a key; it returns the action to run when one was chosen.
func (p *paletteView) Update(msg tea.KeyPressMsg) (keymap.Action, tea.Cmd) {
	switch msg.String() {
	case "enter":
		if len(p.matches) == 0 {
			return "", nil
		}
		return p.matches[p.sel].Action, nil
	case "up", "ctrl+p":
		p.sel = max(p.sel-1, 0)
		return "", nil
	case "down", "ctrl+n":
		p.sel = min(p.sel+1, max(len(p.matches)-1, 0))
		return "", nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.filter()
	return "", cmd
}

func (p *paletteView) filter() {
	q := strings.ToLower(strings.TrimSpace(p.input.Value()))
	p.matches = p.matches[:0]
	for _, b := range p.keys.All() {
		if hiddenFromPalette[b.Action] {
			continue
		}
		text := strings.ToLower(string(b.Action) + " " + b.Help().Desc)
		if q == "" || strings.Contains(text, q) {
			p.matches = append(p.matches, b)
		}
	}
	p.sel = min(p.sel, max(len(p.matches)-1, 0))
}

// View draws the input and the matching actions.
func (p *paletteView) View(t *Theme, width int) string {
	lines := []string{t.Title.Render("commands") + t.Muted.Render("  type to filter · enter runs · esc closes"), p.input.View()}
	for i, b := range p.matches {
		h := b.Help()
		line := fmt.Sprintf("  %s %s", t.Key.Render(fmt.Sprintf("%-10s", h.Key)), h.Desc)
		if i == p.sel {
			line = t.Selected.Render(pad(fmt.Sprintf("▸ %-10s %s", h.Key, h.Desc), min(width, 60)))
		}
		lines = append(lines, line)
	}
	if len(p.matches) == 0 {
		lines = append(lines, t.Muted.Render("  no command matches"))
	}
	return strings.Join(lines, "\n")
}

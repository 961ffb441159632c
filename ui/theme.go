package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/ferryhq/ferry/model"
)

// Theme holds every style ferry draws with, built once.
type Theme struct {
	Header  lipgloss.Style
	AppName lipgloss.Style
	Muted   lipgloss.Style
	Problem lipgloss.Style
	Border  lipgloss.Style
	states  map[model.State]lipgloss.Style
}

// stateLook pairs each state with a glyph and a colour. The glyph and word
// carry the meaning; colour only helps (colour-blind users, NO_COLOR).
var stateLook = map[model.State]struct {
	glyph string
	color color.Color
}{
	model.StateError:    {"✖", lipgloss.Color("9")},
	model.StateDrift:    {"≠", lipgloss.Color("13")},
	model.StatePending:  {"◷", lipgloss.Color("11")},
	model.StateRolling:  {"↻", lipgloss.Color("14")},
	model.StateTagMoved: {"⇄", lipgloss.Color("208")},
	model.StateBehind:   {"↑", lipgloss.Color("12")},
	model.StateUnknown:  {"?", lipgloss.Color("8")},
	model.StateInSync:   {"✓", lipgloss.Color("10")},
	model.StateMissing:  {"·", lipgloss.Color("8")},
}

// DefaultTheme is ferry's theme for dark and light terminals alike.
func DefaultTheme() *Theme {
	t := &Theme{
		Header:  lipgloss.NewStyle().Bold(true),
		AppName: lipgloss.NewStyle().Bold(true),
		Muted:   lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		Problem: lipgloss.NewStyle().Foreground(lipgloss.Color("9")),
		Border:  lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
		states:  map[model.State]lipgloss.Style{},
	}
	for s, look := range stateLook {
		t.states[s] = lipgloss.NewStyle().Foreground(look.color)
	}
	return t
}

// Glyph returns the symbol of a state.
func Glyph(s model.State) string { return stateLook[s].glyph }

// State renders a state's glyph (and word, when withWord) in its style.
func (t *Theme) State(s model.State, text string) string {
	return t.states[s].Render(text)
}

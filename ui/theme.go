package ui

import (
	"fmt"
	"hash/fnv"
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/ferryhq/ferry/model"
)

// Theme holds every style ferry draws with, built once per theme and
// background; components never use colour literals.
type Theme struct {
	Name    string
	Header  lipgloss.Style
	Group   lipgloss.Style // the header over environments sharing an upstream
	AppName lipgloss.Style
	Muted   lipgloss.Style
	Problem lipgloss.Style
	Border  lipgloss.Style
	Title   lipgloss.Style
	Label   lipgloss.Style // field names in the detail view
	Link    lipgloss.Style
	Key     lipgloss.Style // key names in help lines
	Notice  lipgloss.Style // the status line's message
	// Selected marks the cursor's cell; Changed a cell that just changed.
	Selected lipgloss.Style
	Changed  lipgloss.Style
	states   map[model.State]lipgloss.Style
	// artifacts colour identities: the same digest gets the same colour
	// wherever it appears.
	artifacts []lipgloss.Style
}

// stateGlyphs carry each state's meaning; colour only helps (colour-blind
// users, NO_COLOR).
var stateGlyphs = map[model.State]string{
	model.StateError: "✖", model.StateDrift: "≠", model.StatePending: "◷", model.StateRolling: "↻",
	model.StateTagMoved: "⇄", model.StateBehind: "↑", model.StateUnknown: "?",
	model.StateInSync: "✓", model.StateMissing: "·",
}

// Glyph returns the symbol of a state.
func Glyph(s model.State) string { return stateGlyphs[s] }

// palette is a theme's colours: per state, and for artifacts.
type palette struct {
	states    map[model.State]color.Color
	artifacts []color.Color
	muted     color.Color
	accent    color.Color
	bold      bool // high contrast: everything that matters is bold
}

// ThemeNames lists the themes --theme accepts.
func ThemeNames() []string { return []string{"default", "colorblind", "high-contrast"} }

// NewTheme builds a theme for a dark or light background.
func NewTheme(name string, dark bool) (*Theme, error) {
	ld := lipgloss.LightDark(dark)
	var p palette
	switch name {
	case "", "default":
		p = palette{
			states: map[model.State]color.Color{
				model.StateError: ld(lipgloss.Color("1"), lipgloss.Color("9")), model.StateDrift: ld(lipgloss.Color("5"), lipgloss.Color("13")),
				model.StatePending: ld(lipgloss.Color("3"), lipgloss.Color("11")), model.StateRolling: ld(lipgloss.Color("6"), lipgloss.Color("14")),
				model.StateTagMoved: lipgloss.Color("208"), model.StateBehind: ld(lipgloss.Color("4"), lipgloss.Color("12")),
				model.StateUnknown: lipgloss.Color("8"), model.StateInSync: ld(lipgloss.Color("2"), lipgloss.Color("10")),
				model.StateMissing: lipgloss.Color("8"),
			},
			artifacts: ansi256(ld, []int{39, 170, 214, 77, 204, 111, 180, 150, 141, 215, 117, 186}, []int{25, 127, 130, 28, 161, 61, 94, 64, 92, 166, 31, 100}),
			muted:     lipgloss.Color("8"), accent: ld(lipgloss.Color("4"), lipgloss.Color("12")),
		}
	case "colorblind":
		// Okabe and Ito's palette, told apart by every common form of
		// colour blindness.
		ok := func(hex string) color.Color { return lipgloss.Color(hex) }
		p = palette{
			states: map[model.State]color.Color{
				model.StateError: ok("#D55E00"), model.StateDrift: ok("#CC79A7"), model.StatePending: ok("#E69F00"),
				model.StateRolling: ok("#56B4E9"), model.StateTagMoved: ok("#F0E442"), model.StateBehind: ok("#0072B2"),
				model.StateUnknown: lipgloss.Color("8"), model.StateInSync: ok("#009E73"), model.StateMissing: lipgloss.Color("8"),
			},
			artifacts: []color.Color{ok("#E69F00"), ok("#56B4E9"), ok("#009E73"), ok("#F0E442"), ok("#0072B2"), ok("#D55E00"), ok("#CC79A7")},
			muted:     lipgloss.Color("8"), accent: ok("#0072B2"),
		}
	case "high-contrast":
		fg := ld(lipgloss.Color("0"), lipgloss.Color("15"))
		p = palette{
			states: map[model.State]color.Color{
				model.StateError: ld(lipgloss.Color("1"), lipgloss.Color("9")), model.StateDrift: ld(lipgloss.Color("5"), lipgloss.Color("13")),
				model.StatePending: ld(lipgloss.Color("3"), lipgloss.Color("11")), model.StateRolling: ld(lipgloss.Color("6"), lipgloss.Color("14")),
				model.StateTagMoved: ld(lipgloss.Color("3"), lipgloss.Color("11")), model.StateBehind: ld(lipgloss.Color("4"), lipgloss.Color("12")),
				model.StateUnknown: fg, model.StateInSync: ld(lipgloss.Color("2"), lipgloss.Color("10")), model.StateMissing: fg,
			},
			artifacts: []color.Color{fg},
			muted:     fg, accent: fg, bold: true,
		}
	default:
		return nil, fmt.Errorf("unknown theme %q (known: default, colorblind, high-contrast)", name)
	}
	return p.theme(name), nil
}

func ansi256(ld lipgloss.LightDarkFunc, dark, light []int) []color.Color {
	out := make([]color.Color, len(dark))
	for i := range dark {
		out[i] = ld(lipgloss.Color(fmt.Sprint(light[i])), lipgloss.Color(fmt.Sprint(dark[i])))
	}
	return out
}

func (p palette) theme(name string) *Theme {
	base := lipgloss.NewStyle().Bold(p.bold)
	t := &Theme{
		Name:     name,
		Header:   lipgloss.NewStyle().Bold(true),
		Group:    lipgloss.NewStyle().Foreground(p.accent).Bold(p.bold),
		AppName:  lipgloss.NewStyle().Bold(true),
		Muted:    base.Foreground(p.muted),
		Problem:  base.Foreground(p.states[model.StateError]),
		Border:   lipgloss.NewStyle().Foreground(p.muted),
		Title:    lipgloss.NewStyle().Bold(true).Foreground(p.accent),
		Label:    base.Foreground(p.muted),
		Link:     lipgloss.NewStyle().Underline(true),
		Key:      lipgloss.NewStyle().Bold(true),
		Notice:   lipgloss.NewStyle().Bold(true),
		Selected: lipgloss.NewStyle().Reverse(true),
		Changed:  lipgloss.NewStyle().Bold(true).Underline(true),
		states:   map[model.State]lipgloss.Style{},
	}
	for s, c := range p.states {
		t.states[s] = base.Foreground(c)
	}
	for _, c := range p.artifacts {
		t.artifacts = append(t.artifacts, base.Foreground(c))
	}
	return t
}

// DefaultTheme is ferry's theme on a dark background, for the status
// table (a pipe or a terminal whose background ferry did not ask).
func DefaultTheme() *Theme {
	t, _ := NewTheme("default", true)
	return t
}

// State renders text in a state's style.
func (t *Theme) State(s model.State, text string) string {
	return t.states[s].Render(text)
}

// StateStyle returns a state's style.
func (t *Theme) StateStyle(s model.State) lipgloss.Style { return t.states[s] }

// Artifact returns the style of an artifact, chosen by its digest (or
// commit): the same key gets the same colour everywhere.
func (t *Theme) Artifact(key string) lipgloss.Style {
	if key == "" || len(t.artifacts) == 0 {
		return lipgloss.NewStyle()
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return t.artifacts[h.Sum32()%uint32(len(t.artifacts))]
}

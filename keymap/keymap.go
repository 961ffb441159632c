// Package keymap declares ferry's key bindings per scope, with their help
// text, in one place, so the console's help screen and its Update functions
// read the same table and a config file can rebind them.
package keymap

import "charm.land/bubbles/v2/key"

// Global bindings work on every screen.
type Global struct {
	Quit key.Binding
	Help key.Binding
}

// Grid bindings move around the app × environment grid and act on a cell.
type Grid struct {
	Up, Down, Left, Right key.Binding
	CycleIdentity         key.Binding // version → commit → digest
	Promote               key.Binding
	Rollback              key.Binding
	Detail                key.Binding
	Review                key.Binding
	Filter                key.Binding
}

// DefaultGlobal returns the global bindings.
func DefaultGlobal() Global {
	return Global{
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	}
}

// DefaultGrid returns the grid bindings.
func DefaultGrid() Grid {
	return Grid{
		Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:          key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "left")),
		Right:         key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "right")),
		CycleIdentity: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "version/commit/digest")),
		Promote:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "promote from upstream")),
		Rollback:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "roll back")),
		Detail:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Review:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "review staged")),
		Filter:        key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
	}
}

// ShortHelp lists the grid bindings shown in the footer.
func (g Grid) ShortHelp() []key.Binding {
	return []key.Binding{g.CycleIdentity, g.Promote, g.Rollback, g.Detail, g.Review}
}

// FullHelp lists every grid binding in columns for the help screen.
func (g Grid) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{g.Up, g.Down, g.Left, g.Right},
		{g.CycleIdentity, g.Detail, g.Filter},
		{g.Promote, g.Rollback, g.Review},
	}
}

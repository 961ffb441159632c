// Package keymap declares every key binding of the console, per scope, with
// its help text, in one place: the console's Update functions, its help
// screen and its command palette all read this table, and the user config
// rebinds it by name.
package keymap

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Action names what a binding does; the palette runs actions by name and
// the user config rebinds them by "scope.action".
type Action string

// The console's actions.
const (
	Quit          Action = "quit"
	Help          Action = "help"
	Back          Action = "back"
	Palette       Action = "palette"
	Up            Action = "up"
	Down          Action = "down"
	Left          Action = "left"
	Right         Action = "right"
	PageUp        Action = "page-up"
	PageDown      Action = "page-down"
	Home          Action = "home"
	End           Action = "end"
	Filter        Action = "filter"
	DriftOnly     Action = "drift-only"
	CycleIdentity Action = "cycle-identity"
	Detail        Action = "detail"
	Refresh       Action = "refresh"
	Copy          Action = "copy"
	K9s           Action = "k9s"
	Promote       Action = "promote"
	Train         Action = "train"
	Rollback      Action = "rollback"
	Unstage       Action = "unstage"
	Review        Action = "review"
	Commit        Action = "commit"
	Hold          Action = "hold"
	Resume        Action = "resume"
	Timeline      Action = "timeline"
	Where         Action = "where"
	Pick          Action = "pick"
	PullRequest   Action = "pull-request"
	Problems      Action = "problems"
)

// Binding is one key binding and the action it triggers.
type Binding struct {
	Scope  string // "global", "grid"
	Action Action
	key.Binding
}

// Name is how the user config names the binding: "grid.filter".
func (b *Binding) Name() string { return b.Scope + "." + string(b.Action) }

// Map holds every binding, in the order the help screen lists them.
type Map struct {
	bindings []*Binding
}

func bind(scope string, a Action, help string, keys ...string) *Binding {
	shown := strings.Join(keys, "/")
	if len(keys) > 2 {
		shown = strings.Join(keys[:2], "/")
	}
	return &Binding{Scope: scope, Action: a,
		Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(shown, help))}
}

// Default returns ferry's bindings.
func Default() *Map {
	return &Map{bindings: []*Binding{
		bind("global", Quit, "quit", "q", "ctrl+c"),
		bind("global", Help, "help", "?"),
		bind("global", Back, "back", "esc"),
		bind("global", Palette, "commands", ":"),
		bind("grid", Up, "up", "up", "k"),
		bind("grid", Down, "down", "down", "j"),
		bind("grid", Left, "left", "left", "h"),
		bind("grid", Right, "right", "right", "l"),
		bind("grid", PageUp, "page up", "pgup", "ctrl+b"),
		bind("grid", PageDown, "page down", "pgdown", "ctrl+f"),
		bind("grid", Home, "first app", "home", "g"),
		bind("grid", End, "last app", "end", "G"),
		bind("grid", Filter, "filter apps", "/"),
		bind("grid", DriftOnly, "only what is not in sync", "d"),
		bind("grid", CycleIdentity, "version/commit/digest", "v"),
		bind("grid", Detail, "details", "enter"),
		bind("grid", Refresh, "re-read every source", "R"),
		bind("grid", Copy, "copy repo@digest", "y"),
		bind("grid", K9s, "open k9s on the workload", "K"),
		bind("grid", Promote, "stage: bring upstream's artifact here", "p"),
		bind("grid", Train, "stage every app behind upstream in this environment", "P"),
		bind("grid", Rollback, "stage a rollback from the cell's history", "r"),
		bind("grid", Unstage, "unstage the cell", "u"),
		bind("grid", Resume, "stage: resume image automation on a held cell", "H"),
		bind("grid", Review, "review the staged changes", "s"),
		bind("grid", Timeline, "timeline: what entered each environment, newest first", "t"),
		bind("grid", Where, "where: how far a commit has come in each environment", "w"),
		bind("grid", Problems, "problems no cell shows (ferry.yaml, files not read)", "!"),
		bind("review", Commit, "commit and push the staged changes", "c"),
		bind("review", Hold, "hold rollbacks against image automation (toggles)", "h"),
		bind("review", PullRequest, "on a pull-request branch (toggles)", "p"),
		// A chooser (which upstream, which earlier artifact, the timeline)
		// picks with this key and moves with the grid's, read after it.
		bind("chooser", Pick, "stage the chosen", "enter"),
	}}
}

// All returns every binding in help order.
func (m *Map) All() []*Binding { return m.bindings }

// Get returns the binding of an action.
func (m *Map) Get(a Action) *Binding {
	for _, b := range m.bindings {
		if b.Action == a {
			return b
		}
	}
	return nil
}

// Match returns the action of the first binding in scopes that matches the
// key, or "".
func (m *Map) Match(k fmt.Stringer, scopes ...string) Action {
	for _, b := range m.bindings {
		for _, s := range scopes {
			if b.Scope == s && key.Matches(k, b.Binding) {
				return b.Action
			}
		}
	}
	return ""
}

// Keys returns the bindings of some actions, for a footer's short help.
func (m *Map) Keys(actions ...Action) []key.Binding {
	out := make([]key.Binding, 0, len(actions))
	for _, a := range actions {
		if b := m.Get(a); b != nil {
			out = append(out, b.Binding)
		}
	}
	return out
}

// Rebind replaces the keys of named bindings ("grid.filter": ["f"]). An
// unknown name, an empty key list, or a key another binding of the same
// scope already uses is an error naming the binding; nothing is applied
// for that entry, the others still are.
func (m *Map) Rebind(keys map[string][]string) []error {
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		if err := m.rebind(name, keys[name]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func (m *Map) rebind(name string, keys []string) error {
	var target *Binding
	for _, b := range m.bindings {
		if b.Name() == name {
			target = b
		}
	}
	switch {
	case target == nil:
		return fmt.Errorf("keys.%s: no such binding (known: %s)", name, strings.Join(m.names(), ", "))
	case len(keys) == 0:
		return fmt.Errorf("keys.%s: give at least one key", name)
	}
	for _, b := range m.bindings {
		if b == target || (b.Scope != target.Scope && b.Scope != "global" && target.Scope != "global") {
			continue
		}
		for _, k := range keys {
			for _, have := range b.Keys() {
				if k == have {
					return fmt.Errorf("keys.%s: %q is already bound to %s", name, k, b.Name())
				}
			}
		}
	}
	help := target.Help()
	target.SetKeys(keys...)
	target.SetHelp(strings.Join(keys, "/"), help.Desc)
	return nil
}

func (m *Map) names() []string {
	out := make([]string, 0, len(m.bindings))
	for _, b := range m.bindings {
		out = append(out, b.Name())
	}
	return out
}

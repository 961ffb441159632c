package keymap

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func press(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: []rune(s)[0], Text: s} }

func TestMatchFindsTheActionInScope(t *testing.T) {
	m := Default()
	if a := m.Match(press("j"), "global", "grid"); a != Down {
		t.Errorf("j = %q", a)
	}
	if a := m.Match(press("j"), "global"); a != "" {
		t.Errorf("j outside the grid scope = %q", a)
	}
	if a := m.Match(tea.KeyPressMsg{Code: tea.KeyEnter}, "grid"); a != Detail {
		t.Errorf("enter = %q", a)
	}
}

func TestRebindReplacesKeysAndRefusesConflicts(t *testing.T) {
	m := Default()
	errs := m.Rebind(map[string][]string{
		"grid.filter":  {"f"},
		"grid.up":      {"j"}, // grid.down has it
		"grid.nothing": {"x"},
		"global.help":  {},
	})
	if a := m.Match(press("f"), "grid"); a != Filter {
		t.Errorf("f = %q after rebinding grid.filter", a)
	}
	if a := m.Match(press("/"), "grid"); a != "" {
		t.Errorf("/ still filters: %q", a)
	}
	if m.Get(Filter).Help().Key != "f" {
		t.Errorf("help shows %q", m.Get(Filter).Help().Key)
	}
	want := []string{
		"keys.global.help: give at least one key",
		`keys.grid.nothing: no such binding (known: global.quit`,
		`keys.grid.up: "j" is already bound to grid.down`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors = %v", errs)
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %q, want %q…", i, errs[i], w)
		}
	}
	if a := m.Match(press("k"), "grid"); a != Up {
		t.Errorf("a refused rebinding changed grid.up: k = %q", a)
	}
}

// TestEveryActionHasOneBindingWithHelp: the help screen and the palette
// list every action; each must say what it does.
func TestEveryActionHasOneBindingWithHelp(t *testing.T) {
	seen := map[Action]bool{}
	for _, b := range Default().All() {
		if seen[b.Action] {
			t.Errorf("%s bound twice", b.Action)
		}
		seen[b.Action] = true
		if h := b.Help(); h.Key == "" || h.Desc == "" {
			t.Errorf("%s has no help", b.Name())
		}
	}
}

// TestTheREADMEListsEveryKey keeps the README's key table honest.
func TestTheREADMEListsEveryKey(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→"}
	for _, b := range Default().All() {
		for _, k := range b.Keys() {
			if s, ok := shown[k]; ok {
				k = s
			}
			if !strings.Contains(string(readme), "`"+k+"`") {
				t.Errorf("README does not list %s's key %q", b.Name(), k)
			}
		}
	}
}

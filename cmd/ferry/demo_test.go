package main

import (
	"encoding/json"
	"testing"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/model"
)

// TestDemoStatusShowsEveryPlannedState runs the README's first command in
// its scripted form and checks each cell against the demo's plan: every
// state of DESIGN.md must be on screen from the first second.
func TestDemoStatusShowsEveryPlannedState(t *testing.T) {
	out, errOut, code := ferry(t, "demo", "--status", "-o", "json", "--seed", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var g model.Grid
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	seen := map[model.State]bool{}
	for key, want := range demo.Planned() {
		c := g.Cell(key.App, key.Env)
		if c == nil {
			t.Errorf("%s/%s: no cell", key.App, key.Env)
			continue
		}
		seen[c.State] = true
		if c.State != want {
			t.Errorf("%s/%s: state %s, want %s (problems %v)", key.App, key.Env, c.State, want, c.Problems)
		}
	}
	for _, s := range model.AllStates() {
		if s != model.StateUnknown && !seen[s] {
			t.Errorf("no cell is %s", s)
		}
	}
}

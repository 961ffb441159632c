package docs

import (
	"os"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/ui"
)

// stateRow is one row of the page's table: glyph and state name.
type stateRow struct{ glyph, state string }

// TestStatesPageMatchesModel: the table of states.md lists every state of
// model, most urgent first, each with the glyph the console draws, and
// nothing else.
func TestStatesPageMatchesModel(t *testing.T) {
	page, err := os.ReadFile("states.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows(t, string(page))
	states := model.AllStates()
	if len(rows) != len(states) {
		t.Errorf("the page lists %d states, model has %d", len(rows), len(states))
	}
	for i, s := range states {
		if i >= len(rows) {
			t.Errorf("state %s is missing from the page", s)
			continue
		}
		if rows[i].state != string(s) || rows[i].glyph != ui.Glyph(s) {
			t.Errorf("row %d is %s %q, want %s %q (model's order of urgency, the console's glyph)",
				i+1, rows[i].glyph, rows[i].state, ui.Glyph(s), s)
		}
	}
}

// tableRows parses the first Markdown table: "| glyph | `state` | … |".
func tableRows(t *testing.T, page string) []stateRow {
	t.Helper()
	var rows []stateRow
	inTable := false
	for _, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		inTable = true
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 || strings.HasPrefix(strings.TrimSpace(cells[0]), "---") || strings.TrimSpace(cells[0]) == "glyph" {
			continue
		}
		name := strings.TrimSpace(cells[1])
		if !strings.HasPrefix(name, "`") || !strings.HasSuffix(name, "`") {
			t.Errorf("state %q is not spelled as in JSON (`name`)", name)
		}
		rows = append(rows, stateRow{glyph: strings.TrimSpace(cells[0]), state: strings.Trim(name, "`")})
	}
	if len(rows) == 0 {
		t.Fatal("states.md has no table of states")
	}
	return rows
}

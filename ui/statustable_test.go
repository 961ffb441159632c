package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

func TestIdentityShowsTheChosenName(t *testing.T) {
	digest := "sha256:" + strings.Repeat("ab", 32)
	img := model.ImageStatus{
		Registry: &model.RegistryFacts{Digest: digest, Version: "2.7.1", Revision: "8f31c2d9e0aa"},
		Facts:    model.ImageFacts{Declared: &model.Declared{Ref: model.ImageRef{Repository: "r", Tag: "v2.7.1"}}},
	}
	gitOnly := model.ImageStatus{Facts: model.ImageFacts{Declared: &model.Declared{Ref: model.ImageRef{Repository: "r", Tag: "v1"}}}}
	tests := []struct {
		img  model.ImageStatus
		view IdentityView
		want string
	}{
		{img, ShowVersion, "2.7.1"},
		{img, ShowCommit, "@8f31c2d"},
		{img, ShowDigest, "sha256:abababababab"},
		{gitOnly, ShowVersion, "v1"},
		{gitOnly, ShowCommit, "v1"}, // no revision known: fall back to what Git says
		{gitOnly, ShowDigest, "v1"},
	}
	for _, tt := range tests {
		if got := Label(tt.img, tt.view); got != tt.want {
			t.Errorf("Label(view %d) = %q, want %q", tt.view, got, tt.want)
		}
	}
	if v, ok := ParseIdentityView("commit"); !ok || v.Next() != ShowDigest || v.Next().Next() != ShowVersion {
		t.Error("views do not cycle version → commit → digest")
	}
}

// TestStatusTableCarriesMeaningWithoutColour: every state must read from
// its glyph and word alone (colour-blind users, NO_COLOR, pipes).
func TestStatusTableCarriesMeaningWithoutColour(t *testing.T) {
	g := &model.Grid{Environments: []string{"dev", "prod"}}
	for _, s := range model.AllStates() {
		cell := &model.Cell{State: s}
		if s != model.StateMissing {
			cell.Images = []model.ImageStatus{{Name: "api", State: s,
				Facts: model.ImageFacts{Declared: &model.Declared{Ref: model.ImageRef{Repository: "r", Tag: "v-" + string(s)}}}}}
		}
		g.Apps = append(g.Apps, model.Row{Name: "app-" + string(s), Cells: map[string]*model.Cell{"dev": cell, "prod": {State: model.StateMissing}}})
	}
	g.Problems = []model.Problem{{Source: "git", File: "ferry.yaml", Line: 3, Message: `unknown key "x"`}}
	out := ansi.Strip(StatusTable(g, DefaultTheme(), ShowVersion))
	for _, s := range model.AllStates() {
		want := Glyph(s) + " v-" + string(s)
		if s == model.StateMissing {
			want = Glyph(s) + " missing"
		}
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
		if !strings.Contains(out, Glyph(s)+" "+string(s)) {
			t.Errorf("legend lacks %s", s)
		}
	}
	if !strings.Contains(out, `ferry.yaml:3: unknown key "x"`) {
		t.Errorf("problems not listed:\n%s", out)
	}
}

func TestStatusTableExplainsAnEmptyGrid(t *testing.T) {
	out := ansi.Strip(StatusTable(&model.Grid{}, DefaultTheme(), ShowVersion))
	if !strings.Contains(out, "found no environments") || !strings.Contains(out, "ferry init") {
		t.Errorf("empty grid: %q", out)
	}
	out = ansi.Strip(StatusTable(&model.Grid{Environments: []string{"dev"}}, DefaultTheme(), ShowVersion))
	if !strings.Contains(out, "no apps in environments dev") {
		t.Errorf("no apps: %q", out)
	}
}

func TestRollingCellShowsProgress(t *testing.T) {
	img := model.ImageStatus{Name: "api", State: model.StateRolling,
		Live:  &model.LiveFacts{Desired: 4, Updated: 1},
		Facts: model.ImageFacts{Declared: &model.Declared{Ref: model.ImageRef{Repository: "r", Tag: "v2"}}}}
	got := ansi.Strip(tableCellText(&model.Cell{State: model.StateRolling, Images: []model.ImageStatus{img}}, DefaultTheme(), ShowVersion))
	if got != Glyph(model.StateRolling)+" v2 1/4" {
		t.Errorf("rolling cell = %q", got)
	}
}

// TestStatusTableShowsOutsideTextInert: ferry status on a terminal must not
// obey an escape sequence from an OCI label or a problem message.
func TestStatusTableShowsOutsideTextInert(t *testing.T) {
	img := model.ImageStatus{Name: "api", State: model.StateInSync,
		Registry: &model.RegistryFacts{Version: "1.0\x1b]52;c;ZXZpbA==\x07"},
		Facts:    model.ImageFacts{Declared: &model.Declared{Ref: model.ImageRef{Repository: "r", Tag: "v1"}}}}
	g := &model.Grid{Environments: []string{"dev\x1b[2J"}, Apps: []model.Row{{Name: "app",
		Cells: map[string]*model.Cell{"dev\x1b[2J": {State: model.StateInSync, Images: []model.ImageStatus{img},
			Problems: []model.Problem{{Source: "cluster", Message: "denied \u009b31m"}}}}}}}
	out := StatusTable(g, DefaultTheme(), ShowVersion)
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("the table holds %q raw", bad)
		}
	}
	for _, want := range []string{"1.0^[]52;c;ZXZpbA==^G", "dev^[[2J", "denied <U+009B>31m"} {
		if !strings.Contains(ansi.Strip(out), want) {
			t.Errorf("the table lacks %q:\n%s", want, ansi.Strip(out))
		}
	}
}

// spread cuts a message too long for the line instead of dropping it.
func TestSpreadCutsALongMessage(t *testing.T) {
	for _, tc := range []struct {
		left, right string
		width       int
		want        string
	}{
		{"counts", "note", 12, "counts  note"},
		{"counts", "a very long note", 14, "counts a very…"},
		{"a long left side", "a long right side", 20, "a long l… a long ri…"},
	} {
		if got := spread(tc.left, tc.right, tc.width); got != tc.want {
			t.Errorf("spread(%q, %q, %d) = %q, want %q", tc.left, tc.right, tc.width, got, tc.want)
		}
	}
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// cellText is a cell's one line, plain: the state's glyph, the first
// image's identity, rollout progress, and "+N" for more images (the detail
// lists them all).
func cellText(c *model.Cell, view IdentityView) string {
	if c == nil {
		return ""
	}
	glyph := Glyph(c.State)
	if len(c.Images) == 0 {
		if c.State == model.StateMissing {
			return glyph
		}
		return glyph + " " + string(c.State)
	}
	img := c.Images[0]
	var b strings.Builder
	b.WriteString(glyph + " " + Label(img, view))
	if img.State == model.StateRolling && img.Live != nil && img.Live.Desired > 0 {
		fmt.Fprintf(&b, " %d/%d", img.Live.Updated, img.Live.Desired)
	}
	if n := len(c.Images) - 1; n > 0 {
		fmt.Fprintf(&b, " +%d", n)
	}
	if held(c) {
		b.WriteString(" " + HeldMark)
	}
	return b.String()
}

// HeldMark follows a cell that ferry holds against image automation.
const HeldMark = "⏸"

// held reports whether any image of the cell is held.
func held(c *model.Cell) bool {
	for _, img := range c.Images {
		if img.Facts.Declared != nil && img.Facts.Declared.Location.Held() {
			return true
		}
	}
	return false
}

// cellKey is everything a rendered cell depends on.
type cellKey struct {
	text     string
	state    model.State
	artifact string
	width    int
	selected bool
	changed  bool
}

// cellCache keeps rendered cells: styling and measuring strings is what
// makes big frames slow (lipgloss#721), and most cells look the same from
// one frame to the next.
type cellCache struct {
	m map[cellKey]string
}

const cellCacheLimit = 1 << 15

func newCellCache() *cellCache { return &cellCache{m: map[cellKey]string{}} }

// render draws one cell, exactly k.width columns wide: glyph in the
// state's colour, identity in the artifact's colour, a • after it when it
// just changed, reversed when selected.
func (cc *cellCache) render(t *Theme, k cellKey) string {
	if s, ok := cc.m[k]; ok {
		return s
	}
	if len(cc.m) >= cellCacheLimit {
		clear(cc.m)
	}
	s := renderCell(t, k)
	cc.m[k] = s
	return s
}

func renderCell(t *Theme, k cellKey) string {
	room := k.width - 2 // the change mark's column, and one separating cells
	text := ansi.Truncate(k.text, room, "…")
	pad := room - ansi.StringWidth(text)
	glyph, rest, _ := strings.Cut(text, " ")
	styledGlyph, styledRest := t.StateStyle(k.state), t.Artifact(k.artifact)
	if k.state == model.StateError || k.state == model.StateMissing || k.state == model.StateUnknown {
		styledRest = t.StateStyle(k.state)
	}
	if k.selected {
		styledGlyph, styledRest = styledGlyph.Inherit(t.Selected), styledRest.Inherit(t.Selected)
	}
	var b strings.Builder
	b.WriteString(styledGlyph.Render(glyph))
	if rest != "" || strings.Contains(text, " ") {
		b.WriteString(styledRest.Render(" " + rest + strings.Repeat(" ", pad)))
	} else {
		b.WriteString(styledRest.Render(strings.Repeat(" ", pad)))
	}
	if k.changed {
		b.WriteString(t.Changed.Render("•"))
	} else {
		b.WriteString(" ")
	}
	b.WriteString(" ")
	return b.String()
}

package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// View composes the screen: title, progress, the active child, counts and
// the footer. It does no IO and renders only what is visible.
func (c *Console) View() tea.View {
	lines := []string{c.titleLine(), ansi.Truncate(c.progress(), c.width, "…")}
	body := c.body()
	status := c.statusLines()
	bodyHeight := max(c.height-3-len(status), 1)
	bodyLines := strings.Split(body, "\n")
	if len(bodyLines) > bodyHeight {
		bodyLines = bodyLines[:bodyHeight]
	}
	for len(bodyLines) < bodyHeight {
		bodyLines = append(bodyLines, "")
	}
	lines = append(lines, bodyLines...)
	lines = append(lines, status...)
	lines = append(lines, c.footer())
	v := tea.NewView(strings.Join(lines, "\n"))
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "ferry"
	return v
}

func (c *Console) body() string {
	switch c.mode {
	case modeDetail:
		return c.detail.View()
	case modeHelp, modeProblems:
		return c.help.View()
	case modePalette:
		return fit(c.palette.View(c.theme, c.width), c.width)
	case modeChoose:
		return fit(c.chooser.View(c.theme, c.width, max(c.height-4, 1)), c.width)
	case modeReview:
		return c.review.View()
	}
	if !c.gridRead {
		return c.theme.Muted.Render("  reading the GitOps repo…")
	}
	if len(c.world.Environments) == 0 || len(c.grid.grid.Apps) == 0 {
		return StatusTable(c.grid.grid, c.theme, c.view)
	}
	return c.grid.View()
}

func (c *Console) titleLine() string {
	left := c.theme.Title.Render("ferry") + " " + Clean(c.o.Title)
	if commit := c.world.Progress.Git.Commit; commit != "" {
		left += c.theme.Muted.Render(" @ " + model.ShortRevision(commit))
	}
	right := c.theme.Muted.Render(fmt.Sprintf("%d apps × %d environments · %s", len(c.grid.grid.Apps),
		len(c.grid.grid.Environments), c.view))
	return spread(left, right, c.width)
}

// noticeLines is how many lines a notice too long to share the status
// line may take from the body: enough for a problem with its file and
// cause, which is often the only place it shows.
const noticeLines = 3

// statusLines count what needs a look, with the last message on the
// right; a notice that does not fit beside the counts takes the line
// alone, wrapped over up to noticeLines lines, until the next key.
func (c *Console) statusLines() []string {
	counts := countsLine(c.grid.counts, c.theme)
	if outside := outsideCells(c.grid.grid, c.o.Keys, c.theme); outside != "" {
		counts += c.theme.Muted.Render(" · ") + outside
	}
	if c.notice != "" && ansi.StringWidth(counts)+ansi.StringWidth(c.notice)+1 > c.width {
		lines := strings.Split(ansi.Wrap(c.notice, c.width, " "), "\n")
		if len(lines) > noticeLines {
			lines = lines[:noticeLines]
			lines[noticeLines-1] = ansi.Truncate(lines[noticeLines-1]+" …", c.width, "…")
		}
		for i, l := range lines {
			lines[i] = c.theme.Notice.Render(l)
		}
		return lines
	}
	return []string{c.statusLine(counts)}
}

// statusLine is counts on the left and, on the right, the last message.
func (c *Console) statusLine(counts string) string {
	right := ""
	switch {
	case c.notice != "":
		right = c.theme.Notice.Render(c.notice)
	case c.event != "":
		right = c.theme.Muted.Render(c.event)
	default:
		row, rows := c.grid.Position()
		right = c.theme.Muted.Render(fmt.Sprintf("row %d/%d", row, rows))
		if c.grid.driftOnly {
			right = c.theme.Muted.Render("only what is not in sync · ") + right
		}
	}
	return spread(counts, right, c.width)
}

// footer is the filter input while filtering, else the keys of the mode.
func (c *Console) footer() string {
	if c.mode == modeFilter || c.grid.filter != "" && c.mode == modeGrid {
		return c.filter.View()
	}
	if c.mode == modeReview && c.review.asking != "" || c.mode == modeAsk {
		return c.prompt.View()
	}
	h := help.New()
	h.SetWidth(c.width)
	k := c.o.Keys
	switch c.mode {
	case modeDetail:
		return h.ShortHelpView(k.Keys(keymap.Back, keymap.CycleIdentity, keymap.Copy, keymap.K9s, keymap.Refresh, keymap.Help, keymap.Quit))
	case modeHelp, modeProblems:
		return h.ShortHelpView(k.Keys(keymap.Back, keymap.Quit))
	case modeChoose:
		return h.ShortHelpView(k.Keys(chooserFooter...))
	case modePalette:
		return h.ShortHelpView(paletteKeys)
	case modeReview:
		return h.ShortHelpView(k.Keys(keymap.Commit, keymap.Back, keymap.PullRequest, keymap.Hold, keymap.Quit))
	}
	if !c.plan.Empty() {
		return h.ShortHelpView(k.Keys(keymap.Review, keymap.Unstage, keymap.Promote, keymap.Rollback, keymap.Detail, keymap.Help, keymap.Quit))
	}
	return h.ShortHelpView(k.Keys(keymap.Detail, keymap.Filter, keymap.DriftOnly, keymap.CycleIdentity,
		keymap.Copy, keymap.Refresh, keymap.Palette, keymap.Help, keymap.Quit))
}

// fit cuts every line of s to width. The grid fits by construction; text
// screens (help, palette) are cut here.
func fit(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, width, "…")
	}
	return strings.Join(lines, "\n")
}

// progress is the progress line, and what a long wait is for.
func (c *Console) progress() string {
	line := progressLine(c.world, c.theme)
	if c.waiting != "" {
		line += c.theme.Muted.Render(" · " + c.waiting)
	}
	return line
}

package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// do runs one action: from a key, or from the palette.
func (c *Console) do(a keymap.Action) tea.Cmd {
	if c.refused(a) {
		return nil
	}
	g := c.grid
	switch a {
	case keymap.Quit:
		return tea.Quit
	case keymap.Help:
		c.back, c.mode = c.mode, modeHelp
		c.help.SetContent(fit(helpText(c.o.Keys, c.theme, c.width), c.width))
		c.help.vp.GotoTop()
	case keymap.Back:
		c.goBack()
	case keymap.Palette:
		c.back, c.mode = c.mode, modePalette
		return c.palette.Open()
	case keymap.Up, keymap.Down, keymap.Left, keymap.Right:
		d := map[keymap.Action][2]int{keymap.Up: {-1, 0}, keymap.Down: {1, 0}, keymap.Left: {0, -1}, keymap.Right: {0, 1}}[a]
		g.Move(d[0], d[1])
	case keymap.PageUp:
		g.Move(-g.PageRows(), 0)
	case keymap.PageDown:
		g.Move(g.PageRows(), 0)
	case keymap.Home:
		g.MoveTo(0)
	case keymap.End:
		g.MoveTo(-1)
	case keymap.Filter:
		c.mode = modeFilter
		return c.filter.Focus()
	case keymap.DriftOnly:
		g.SetDriftOnly(!g.driftOnly)
	case keymap.CycleIdentity:
		c.view = c.view.Next()
		g.SetView(c.view)
		c.refreshDetail()
		c.notice = "showing " + c.view.String()
	case keymap.Detail:
		return c.openDetail()
	case keymap.Refresh:
		c.o.Backend.Refresh()
		c.notice = "re-reading every source…"
	case keymap.Copy:
		return c.copyRef()
	case keymap.K9s:
		return c.openK9s()
	case keymap.Promote:
		return c.promote()
	case keymap.Train:
		return c.train()
	case keymap.Rollback:
		return c.rollback()
	case keymap.Unstage:
		return c.unstage()
	case keymap.Resume:
		return c.resume()
	case keymap.Timeline:
		return c.timeline()
	case keymap.Where:
		return c.askWhere()
	case keymap.Problems:
		c.openProblems()
	case keymap.Review:
		return c.openReview()
	case keymap.Commit:
		return c.startCommit()
	case keymap.Hold:
		return c.toggleHold()
	case keymap.PullRequest:
		c.togglePullRequest()
	}
	return nil
}

// writes are the actions a read-only console refuses: all that stage a
// change or commit one.
var writes = map[keymap.Action]bool{
	keymap.Promote: true, keymap.Train: true, keymap.Rollback: true, keymap.Resume: true,
	keymap.Commit: true, keymap.Hold: true,
}

// refused says on the status line why a read-only console does not act.
func (c *Console) refused(a keymap.Action) bool {
	if c.o.ReadOnly == "" || !writes[a] {
		return false
	}
	c.notice = Clean(c.o.ReadOnly) + " — " + string(a) + " is off"
	return true
}

// goBack leaves the detail or help, else clears a filter, else drift-only.
func (c *Console) goBack() {
	switch {
	case c.mode != modeGrid:
		c.mode = modeGrid
	case c.grid.marks != nil:
		c.grid.SetMarks(nil)
	case c.grid.filter != "":
		c.filter.SetValue("")
		c.grid.SetFilter("")
	case c.grid.driftOnly:
		c.grid.SetDriftOnly(false)
	}
}

// openDetail shows the selected cell and asks for its history.
func (c *Console) openDetail() tea.Cmd {
	k, ok := c.grid.Selected()
	if !ok {
		c.notice = "no cell to show: the grid is empty"
		return nil
	}
	c.histTag++
	c.detail.Open(k, c.histTag, c.world.Progress.Git.Commit)
	c.mode = modeDetail
	c.refreshDetail()
	return c.historyCmd(k, c.histTag)
}

// historyCmd reads a cell's history off the UI goroutine. It captures the
// key and tag, never the console: the console may change meanwhile.
func (c *Console) historyCmd(k model.CellKey, tag int) tea.Cmd {
	b := c.o.Backend
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		entries, err := b.History(ctx, k)
		return historyMsg{tag: tag, key: k, entries: entries, err: err}
	}
}

// refreshDetail renders the open detail again from the current world.
func (c *Console) refreshDetail() {
	if c.mode != modeDetail {
		return
	}
	k := c.detail.key
	env, _ := c.world.Environments.Get(k.Env)
	c.detail.SetContent(detailText(detailInput{
		key: k, cell: c.grid.grid.Cell(k.App, k.Env), env: env, progress: c.world.Progress,
		history: c.detail.history, histErr: c.detail.histErr, loading: c.detail.loading,
		view: c.view, width: c.width, versions: versions(c.world.Registry),
	}, c.theme))
}

// versions maps every digest the registry described (indexes and their
// platform children) to its version: what the pods of a drifting cell run
// gets a human name.
func versions(reg map[string]model.RegistryFacts) map[string]string {
	out := map[string]string{}
	for _, f := range reg {
		if f.Version == "" || f.Digest == "" {
			continue
		}
		out[f.Digest] = f.Version
		for _, child := range f.Platforms {
			out[child] = f.Version
		}
	}
	return out
}

// signature is what a change mark reacts to: the state, and per image the
// declared reference, the resolved digest and what the pods run.
func signature(cell *model.Cell) string {
	if cell == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(string(cell.State))
	for _, img := range cell.Images {
		b.WriteString("|" + img.Facts.DeclaredDigest())
		if img.Facts.Declared != nil {
			b.WriteString(img.Facts.Declared.Ref.String())
		}
		if img.Live != nil {
			fmt.Fprintf(&b, "%v%d", img.Live.Digests, img.Live.Updated)
		}
	}
	return b.String()
}

// copyRef puts the selected cell's repo@digest on the clipboard (OSC 52).
func (c *Console) copyRef() tea.Cmd {
	cell, k := c.current()
	if cell == nil || len(cell.Images) == 0 {
		c.notice = "y: nothing to copy — no image is declared in this cell"
		return nil
	}
	img := cell.Images[0]
	digest := img.Facts.DeclaredDigest()
	if digest == "" || img.Declared == nil {
		c.notice = fmt.Sprintf("y: nothing to copy — the registry has not resolved %s in %s to a digest yet", Clean(k.App), Clean(k.Env))
		return nil
	}
	ref := img.Declared.Image + "@" + digest
	c.notice = "copied " + Clean(ref)
	if len(cell.Images) > 1 {
		c.notice += fmt.Sprintf(" (image %s, 1 of %d)", Clean(img.Name), len(cell.Images))
	}
	return tea.SetClipboard(ref)
}

// current returns the cell the keys act on: the detail's, else the cursor's.
func (c *Console) current() (*model.Cell, model.CellKey) {
	if c.mode == modeDetail {
		k := c.detail.key
		return c.grid.grid.Cell(k.App, k.Env), k
	}
	k, _ := c.grid.Selected()
	return c.grid.SelectedCell(), k
}

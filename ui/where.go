package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/model"
)

type whereMsg struct {
	tag    int
	commit string
	reach  map[model.CellKey]model.Reach
	err    error
}

// askWhere asks on the footer for the commit to look for.
func (c *Console) askWhere() tea.Cmd {
	if c.o.Where == nil {
		c.notice = "w: this console has no app repo to ask (start ferry with --app-repo)"
		return nil
	}
	c.prompt.Prompt = "where is commit (hash, prefix or ref of the app repo): "
	c.prompt.SetValue("")
	c.whereClip = ""
	c.back, c.mode = modeGrid, modeAsk
	return tea.Batch(c.prompt.Focus(), tea.ReadClipboard, c.readClipboard())
}

// clipboardMsg is what the system clipboard held when w asked.
type clipboardMsg string

// readClipboard reads the system clipboard off the UI goroutine; a
// clipboard that cannot be read (no display, no tool) is only no default.
func (c *Console) readClipboard() tea.Cmd {
	read := c.o.ReadClipboard
	if read == nil {
		return nil
	}
	return func() tea.Msg {
		s, err := read()
		if err != nil {
			return nil
		}
		return clipboardMsg(s)
	}
}

// offerClipboard makes a commit hash on the clipboard w's default: shown
// as the prompt's placeholder, taken by enter on an empty answer. Anything
// else on the clipboard is left alone.
func (c *Console) offerClipboard(content string) {
	hash := strings.TrimSpace(content)
	if c.mode != modeAsk || c.prompt.Value() != "" || c.whereClip != "" || !isCommitHash(hash) {
		return
	}
	c.whereClip = hash
	c.prompt.Placeholder = model.ShortRevision(hash) + " from the clipboard — enter takes it"
}

// isCommitHash: 7 to 64 hex digits (SHA-1 or SHA-256 object names).
func isCommitHash(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// askKey edits the footer's question; enter asks, esc drops it.
func (c *Console) askKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		c.endAsk()
		return nil
	case "enter":
		commit := strings.TrimSpace(c.prompt.Value())
		if commit == "" {
			commit = c.whereClip
		}
		c.endAsk()
		return c.where(commit)
	}
	var cmd tea.Cmd
	c.prompt, cmd = c.prompt.Update(msg)
	return cmd
}

func (c *Console) endAsk() {
	c.prompt.Blur()
	c.prompt.Placeholder = ""
	c.mode = modeGrid
}

// where hands every cell's revision (what the pods run where a cluster is
// read, else what Git declares) to the app repo, off the UI goroutine.
func (c *Console) where(commit string) tea.Cmd {
	if commit == "" {
		return nil
	}
	revisions := map[model.CellKey]string{}
	for _, row := range c.grid.grid.Apps {
		for env, cell := range row.Cells {
			if cell != nil && len(cell.Images) > 0 {
				revisions[model.CellKey{App: row.Name, Env: env}], _ = cell.Images[0].Revision(c.world.FactsOfDigest)
			}
		}
	}
	c.histTag++
	tag, ask := c.histTag, c.o.Where
	c.whereTag = tag
	c.notice = "w: looking for " + Clean(commit) + " in the app repo…"
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		reach, err := ask(ctx, commit, revisions)
		return whereMsg{tag: tag, commit: commit, reach: reach, err: err}
	}
}

// reachGlyphs mark a cell by how far the commit has come.
var reachGlyphs = map[model.Reach]string{
	model.ReachExactly: "=", model.ReachContained: "⊇", model.ReachNotYet: "✗", model.ReachUnknown: "?",
}

// showReach marks every cell and says it in one line.
func (c *Console) showReach(m whereMsg) {
	if m.tag != c.whereTag {
		return
	}
	if m.err != nil {
		c.notice = "w: " + Clean(m.err.Error())
		return
	}
	marks := map[model.CellKey]string{}
	count := map[model.Reach]int{}
	for k, r := range m.reach {
		label := ""
		if cell := c.grid.grid.Cell(k.App, k.Env); cell != nil && len(cell.Images) > 0 {
			label = " " + Label(cell.Images[0], c.view)
		}
		marks[k] = reachGlyphs[r] + label
		count[r]++
	}
	c.grid.SetMarks(marks)
	c.notice = fmt.Sprintf("w %s: = exactly %d · ⊇ contained %d · ✗ not yet %d · ? unknown %d — esc clears",
		Clean(m.commit), count[model.ReachExactly], count[model.ReachContained], count[model.ReachNotYet], count[model.ReachUnknown])
}

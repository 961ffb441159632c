package ui

import (
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/model"
)

// detailView shows one cell in full, scrollable. The root fills it; it
// keeps which cell it shows and which history request it waits for.
type detailView struct {
	vp      viewport.Model
	key     model.CellKey
	tag     int    // the history request this detail waits for
	commit  string // the Git commit that history was asked at
	loading bool
	history []model.HistoryEntry
	histErr error
}

func newDetailView() *detailView {
	vp := viewport.New()
	vp.SoftWrap = true
	return &detailView{vp: vp}
}

// Open shows a cell and waits for the history request tag.
func (d *detailView) Open(k model.CellKey, tag int, commit string) {
	d.key, d.tag, d.commit, d.loading, d.history, d.histErr = k, tag, commit, true, nil, nil
	d.vp.GotoTop()
}

// Reload waits for a newer history (the branch moved); the old one stays
// on screen until it comes.
func (d *detailView) Reload(tag int, commit string) {
	d.tag, d.commit = tag, commit
}

// Answer takes a history answer; an answer to an older request (the user
// moved on) is dropped and reported false.
func (d *detailView) Answer(m historyMsg) bool {
	if m.tag != d.tag || m.key != d.key {
		return false
	}
	d.loading, d.history, d.histErr = false, m.entries, m.err
	return true
}

func (d *detailView) SetSize(w, h int) {
	d.vp.SetWidth(w)
	d.vp.SetHeight(h)
}

func (d *detailView) SetContent(s string) { d.vp.SetContent(s) }

// Update scrolls.
func (d *detailView) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return cmd
}

func (d *detailView) View() string { return d.vp.View() }

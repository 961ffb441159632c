package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
)

// timelineLength is how many changes the timeline shows: an incident's
// "what changed lately, and what ran before" fits in far fewer.
const timelineLength = 200

type timelineMsg struct {
	tag     int
	entries []model.HistoryEntry
	err     error
}

// timeline asks, off the UI goroutine, for the newest changes of what
// every environment declares.
func (c *Console) timeline() tea.Cmd {
	c.histTag++
	c.timelineTag = c.histTag
	c.notice = "reading what entered each environment…"
	b, tag := c.o.Backend, c.histTag
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		entries, err := b.Timeline(ctx, timelineLength)
		return timelineMsg{tag: tag, entries: entries, err: err}
	}
}

// timelineChoices lists the changes, newest first; picking one stages a
// rollback of its cell to what ran before it.
func (c *Console) timelineChoices(m timelineMsg) {
	if m.tag != c.timelineTag {
		return // an older request
	}
	c.timelineTag = 0
	switch {
	case m.err != nil:
		c.notice = "t: cannot read the history: " + Clean(m.err.Error())
		return
	case len(m.entries) == 0:
		c.notice = "t: the repo's history holds no change of what an environment declares"
		return
	}
	c.world.AnnotateRollouts(m.entries)
	live := slices.ContainsFunc(m.entries, func(e model.HistoryEntry) bool { return e.Rollout != nil })
	line := timelineLine
	if c.width < wideTimeline {
		line = narrowTimelineLine
	}
	options := make([]string, len(m.entries))
	for i, e := range m.entries {
		options[i] = line(e, live)
	}
	entries := m.entries
	c.notice = ""
	c.chooser = &chooser{title: "timeline, newest first — enter stages a rollback of that cell to what ran before",
		options: options, pick: func(i int) tea.Cmd { return c.rollbackTo(entries[i]) }}
	c.back, c.mode = modeGrid, modeChoose
}

// rollbackTo stages a rollback of the entry's cell to what ran before it.
func (c *Console) rollbackTo(e model.HistoryEntry) tea.Cmd {
	if c.refused(keymap.Rollback) {
		return nil
	}
	if e.From.IsZero() {
		c.notice = fmt.Sprintf("t: %s came into %s with that commit: nothing ran before it", Clean(e.App), Clean(e.Env))
		return nil
	}
	ch, err := c.grid.grid.Rollback(e.App, e.Env, e.Image, e.From, versions(c.world.Registry)[e.From.Digest])
	if err != nil {
		c.notice = "t: " + Clean(err.Error())
		return nil
	}
	describe(&ch.To, c.world.Registry)
	return c.stage([]model.Change{ch})
}

// timelineLine is one change: when, where, from → to, how far it came in
// its cluster (a column when any cluster was read), who, why.
func timelineLine(e model.HistoryEntry, live bool) string {
	subject := e.Subject
	if reason := trailerValue(e.Trailers, "Ferry-Reason"); reason != "" {
		subject += " (" + reason + ")"
	}
	via := ""
	if e.Merged {
		via = " ⇢PR"
	}
	rollout := ""
	if live {
		rollout = fmt.Sprintf("%-32s", RolloutText(e.Rollout, e.When))
	}
	return fmt.Sprintf("%s  %-10s %-16s %-18s %s%s%s  %s", e.When.Local().Format("2006-01-02 15:04"), Clean(e.Env), Clean(e.App),
		shortRef(e.From)+" → "+shortRef(e.To), rollout, Clean(e.Author), via, Clean(subject))
}

// wideTimeline is the width from which a timeline line has room for
// every column, year and padding included.
const wideTimeline = 140

// narrowTimelineLine is timelineLine for a narrow terminal: no year, no
// padding, the rollout as its glyph and time, so who and why still show.
func narrowTimelineLine(e model.HistoryEntry, live bool) string {
	rollout := ""
	if r := RolloutText(e.Rollout, e.When); live && r != "" {
		rollout = " " + strings.NewReplacer("ready ", "", "rolling out ", "", "not running yet", "not yet").Replace(r)
		if i := strings.Index(rollout, " ("); i > 0 {
			rollout = rollout[:i]
		}
	}
	subject := e.Subject
	if reason := trailerValue(e.Trailers, "Ferry-Reason"); reason != "" {
		subject += " (" + reason + ")"
	}
	return fmt.Sprintf("%s %s %s %s→%s%s %s: %s", e.When.Local().Format("01-02 15:04"), Clean(e.Env), Clean(e.App),
		shortRef(e.From), shortRef(e.To), rollout, Clean(e.Author), Clean(subject))
}

// trailerValue is the value of a commit's trailer, or "".
func trailerValue(ts []model.Trailer, key string) string {
	for _, t := range ts {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// shortRef names an artifact in few columns: its tag, else its digest.
func shortRef(r model.ImageRef) string {
	switch {
	case r.IsZero():
		return "–"
	case r.Tag != "":
		return Clean(r.Tag)
	}
	return model.ShortDigest(r.Digest)
}

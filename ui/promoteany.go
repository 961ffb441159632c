package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/model"
)

// tagsShown bounds the registry's tags offered per image.
const tagsShown = 50

type tagsMsg struct {
	tag  int
	key  model.CellKey
	why  string
	tags map[string][]string // repository → tags, newest first
	err  error
}

// promoteAny offers what else the cell could declare when upstream has
// nothing new: any other environment's artifact, or any tag the registry
// has for its images (asked off the UI goroutine first).
func (c *Console) promoteAny(k model.CellKey, why string) tea.Cmd {
	var repos []string
	if cell := c.grid.grid.Cell(k.App, k.Env); cell != nil {
		for _, img := range cell.Images {
			if d := img.Facts.Declared; d != nil && !slices.Contains(repos, d.Ref.Repository) {
				repos = append(repos, d.Ref.Repository)
			}
		}
	}
	c.histTag++
	c.tagsTag = c.histTag
	c.notice = "p: " + Clean(why) + "; asking the registry for the other tags…"
	b, tag := c.o.Backend, c.histTag
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m := tagsMsg{tag: tag, key: k, why: why, tags: map[string][]string{}}
		for _, r := range repos {
			tags, err := b.Tags(ctx, r)
			if err != nil {
				m.err = err
			}
			m.tags[r] = tags
		}
		return m
	}
}

// anyChoices opens the chooser of other environments and tags.
func (c *Console) anyChoices(m tagsMsg) {
	if m.tag != c.tagsTag {
		return
	}
	c.tagsTag = 0
	k, g := m.key, c.grid.grid
	var options []string
	var picks []func() ([]model.Change, error)
	for _, e := range c.world.Environments.Names() {
		if cs, err := g.Promotion(k.App, k.Env, e); err == nil {
			options = append(options, fmt.Sprintf("from %-12s %s", Clean(e), refText(refOf(cs[0].To))))
			picks = append(picks, func() ([]model.Change, error) { return cs, nil })
		}
	}
	cell := g.Cell(k.App, k.Env)
	for _, img := range cell.Images {
		for _, v := range otherTags(c.world.Registry, img, m.tags) {
			options = append(options, fmt.Sprintf("version %-9s %s", Clean(v.Tag), refText(v)))
			picks = append(picks, func() ([]model.Change, error) {
				ch, err := g.Pin(model.Promote, k.App, k.Env, img.Name, v, v.Tag)
				return []model.Change{ch}, err
			})
		}
	}
	if len(options) == 0 {
		c.notice = "p: " + Clean(m.why) + ", and no other environment or tag differs"
		if m.err != nil {
			c.notice += " (the registry's tags: " + Clean(m.err.Error()) + ")"
		}
		return
	}
	c.notice = ""
	c.chooser = &chooser{title: m.why + "; promote " + k.App + " in " + k.Env + " to", options: options,
		pick: func(i int) tea.Cmd {
			cs, err := picks[i]()
			if err != nil {
				c.notice = "p: " + Clean(err.Error())
				return nil
			}
			return c.stage(cs)
		}}
	c.back, c.mode = modeGrid, modeChoose
}

// otherTags are the tags of an image's repository other than the one
// declared, newest first: the registry's list, else those this run's
// facts describe. A tag whose digest this run knows carries it; the
// review asks the registry for the others.
func otherTags(reg map[string]model.RegistryFacts, img model.ImageStatus, listed map[string][]string) []model.ImageRef {
	d := img.Facts.Declared
	if d == nil {
		return nil
	}
	known := knownVersions(reg, img)
	names := listed[d.Ref.Repository]
	if len(names) == 0 {
		return known
	}
	digests := map[string]string{}
	for _, v := range known {
		digests[v.Tag] = v.Digest
	}
	var out []model.ImageRef
	for _, t := range names {
		if t != d.Ref.Tag && len(out) < tagsShown {
			out = append(out, model.ImageRef{Repository: d.Ref.Repository, Tag: t, Digest: digests[t]})
		}
	}
	return out
}

// knownVersions are the tags of an image's repository the registry
// described in this run, other than the one declared, each with its digest.
func knownVersions(reg map[string]model.RegistryFacts, img model.ImageStatus) []model.ImageRef {
	d := img.Facts.Declared
	if d == nil {
		return nil
	}
	prefix := d.Ref.Repository + ":"
	var out []model.ImageRef
	for key, f := range reg {
		tag, ok := strings.CutPrefix(key, prefix)
		if !ok || strings.Contains(tag, "@") || f.Digest == "" || tag == d.Ref.Tag {
			continue
		}
		out = append(out, model.ImageRef{Repository: d.Ref.Repository, Tag: tag, Digest: f.Digest})
	}
	slices.SortFunc(out, func(a, b model.ImageRef) int {
		if c, ok := model.CompareVersions(b.Tag, a.Tag); ok && c != 0 {
			return c
		}
		return strings.Compare(b.Tag, a.Tag)
	})
	return out
}

package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// detailInput is everything the detail of one cell shows.
type detailInput struct {
	key      model.CellKey
	cell     *model.Cell
	env      model.Environment
	progress model.Progress // how far the sources are: why a column is empty
	history  []model.HistoryEntry
	histErr  error
	loading  bool // the history is being read
	view     IdentityView
	width    int
	versions map[string]string // digest → version, of every artifact the registry described
	timeZone *time.Location
}

// detailText renders a cell's detail: per image the three truths side by
// side (stacked on narrow screens), the controller, problems, findings and
// the cell's history. Pure, so it is tested by table.
func detailText(in detailInput, t *Theme) string {
	c := in.cell
	if c == nil {
		return t.Muted.Render("no such cell")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s in %s  %s\n", t.AppName.Render(Clean(in.key.App)), t.AppName.Render(Clean(in.key.Env)),
		t.State(c.State, Glyph(c.State)+" "+string(c.State)))
	if in.env.Protected {
		b.WriteString(t.Muted.Render("protected environment") + "\n")
	}
	for _, img := range c.Images {
		b.WriteString("\n" + imageBlock(img, in, t) + "\n")
	}
	if len(c.Images) == 0 {
		b.WriteString("\n" + t.Muted.Render("Git declares no image of this app here.") + "\n")
	}
	if c.Controller != nil {
		b.WriteString("\n" + controllerLine(c.Controller, t) + "\n")
	}
	if len(c.Problems) > 0 {
		b.WriteString("\n" + t.Header.Render("problems") + "\n")
		for _, p := range c.Problems {
			b.WriteString("  " + t.Problem.Render("✖") + " " + Clean(p.Error()) + "\n")
		}
	}
	b.WriteString("\n" + historyBlock(in, t))
	return b.String()
}

// imageBlock shows one image's declared, registry and live truths.
func imageBlock(img model.ImageStatus, in detailInput, t *Theme) string {
	head := t.Header.Render(Clean(img.Name)) + "  " + t.State(img.State, Glyph(img.State)+" "+string(img.State))
	cols := [][]string{declaredLines(img, t), registryLines(img, in, t), liveLines(img, in, t)}
	var body string
	if in.width >= 120 {
		w := (in.width - 4) / 3
		blocks := make([]string, len(cols))
		for i, lines := range cols {
			var hung []string
			for _, l := range lines {
				hung = append(hung, hang(l, w-1)...)
			}
			blocks[i] = lipgloss.NewStyle().Width(w).Render(strings.Join(hung, "\n"))
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top, blocks...)
	} else {
		var parts []string
		for _, lines := range cols {
			parts = append(parts, strings.Join(lines, "\n"))
		}
		body = strings.Join(parts, "\n")
	}
	out := head + "\n" + body
	for _, f := range img.Findings {
		out += "\n" + t.StateStyle(model.StateTagMoved).Render("! "+Clean(f))
	}
	return out
}

// labelWidth is the width of a field's label and the space after it.
const labelWidth = 10

// hang wraps a field line to width, continuation lines indented under the
// value, so a long path stays readable in a narrow column.
func hang(line string, width int) []string {
	if ansi.StringWidth(line) <= width || width <= labelWidth+4 {
		return []string{line}
	}
	out := []string{ansi.Truncate(line, width, "")}
	rest := ansi.TruncateLeft(line, width, "")
	for _, l := range strings.Split(ansi.Hardwrap(rest, width-labelWidth, true), "\n") {
		out = append(out, strings.Repeat(" ", labelWidth)+l)
	}
	return out
}

func field(t *Theme, label, value string) string {
	return t.Label.Render(fmt.Sprintf("%-*s", labelWidth-1, label)) + " " + value
}

func declaredLines(img model.ImageStatus, t *Theme) []string {
	out := []string{t.Header.Render("declared (Git)")}
	d := img.Declared
	if d == nil {
		return append(out, t.Muted.Render("not declared"))
	}
	where := Clean(d.File)
	if d.Line > 0 {
		where += fmt.Sprintf(":%d", d.Line)
	}
	out = append(out, field(t, "file", where), field(t, "field", Clean(string(d.Kind))), field(t, "image", Clean(d.Image)))
	if d.Tag != nil {
		out = append(out, field(t, "tag", Clean(*d.Tag)))
	}
	if d.Digest != nil {
		out = append(out, field(t, "digest", t.Artifact(*d.Digest).Render(model.ShortDigest(*d.Digest))))
	}
	if d.Inherited != "" {
		out = append(out, field(t, "inherits", Clean(d.Inherited)))
	}
	if d.Held {
		out = append(out, field(t, "held", HeldMark+t.Muted.Render(" ferry holds it against image automation; H resumes")))
	}
	if d.Setter != "" && !strings.Contains(d.Setter, model.HeldMarker) {
		out = append(out, field(t, "automated", Clean(d.Setter)+t.Muted.Render(" (Flux image automation writes it too)")))
	}
	if d.Updater != "" {
		out = append(out, field(t, "automated", Clean(d.Updater)+t.Muted.Render(" (Argo CD Image Updater follows it)")))
	}
	if d.Branch != "" {
		out = append(out, field(t, "branch", Clean(d.Branch)))
	}
	if d.Next != "" {
		out = append(out, field(t, "next", Clean(d.Next)+t.Muted.Render(" (hydrated, not yet promoted)")))
	}
	if d.ReadOnly != "" {
		out = append(out, field(t, "read-only", Clean(d.ReadOnly)))
	}
	if d.Note != "" {
		out = append(out, t.Muted.Render(Clean(d.Note)))
	}
	return out
}

func registryLines(img model.ImageStatus, in detailInput, t *Theme) []string {
	out := []string{t.Header.Render("registry")}
	r := img.Registry
	if r == nil {
		return append(out, t.Muted.Render(unresolvedWhy(img, in)))
	}
	out = append(out, field(t, "digest", t.Artifact(r.Digest).Render(model.ShortDigest(r.Digest))))
	if r.Version != "" {
		out = append(out, field(t, "version", Clean(r.Version)))
	}
	if r.Revision != "" {
		out = append(out, field(t, "commit", link(t, commitURL(r.Source, r.Revision), model.ShortRevision(Clean(r.Revision)))))
	}
	if r.Source != "" {
		out = append(out, field(t, "source", link(t, safeURL(r.Source), Clean(r.Source))))
	}
	if r.Created != nil {
		out = append(out, field(t, "created", r.Created.UTC().Format("2006-01-02 15:04 UTC")))
	}
	if r.Index {
		plats := slices.Sorted(maps.Keys(r.Platforms))
		out = append(out, field(t, "index", Clean(strings.Join(plats, ", "))))
	}
	if r.TagMoved {
		out = append(out, field(t, "tag moved", "now "+t.Artifact(r.TagDigest).Render(model.ShortDigest(r.TagDigest))))
	}
	return out
}

// unresolvedWhy says why the registry has not described an image: it is
// not read, it failed (the problems say how), or it has not answered yet.
func unresolvedWhy(img model.ImageStatus, in detailInput) string {
	r := in.progress.Registry
	switch {
	case !in.progress.Expect.Registry:
		return "not read: the registry is not among the sources"
	case img.Facts.Failed:
		return "not resolved: see the problems below"
	case !r.Finished():
		return fmt.Sprintf("not resolved yet (the registry answered %d of %d)", r.Done, r.Total)
	}
	return "not resolved"
}

// noPodsWhy says why the live column shows no pods: the cluster is not
// read, fails, is still listing — or it answered, and none run.
func noPodsWhy(in detailInput) string {
	p := in.progress
	cluster, has := p.Clusters[in.key.Env]
	switch {
	case !p.Expect.Clusters:
		return "not read: no cluster is among the sources"
	case p.Clusters == nil: // asked, not yet told which environments have one
		return "not read yet"
	case !has:
		return "not read: no kubeconfig context for this environment (see the problems)"
	case cluster.Failing:
		return "not read: the cluster fails (see the problems)"
	case !cluster.Synced:
		return "not read yet: the cluster is still listing"
	}
	return "no pods of it run here"
}

func liveLines(img model.ImageStatus, in detailInput, t *Theme) []string {
	out := []string{t.Header.Render("live (cluster)")}
	l := img.Live
	if l == nil {
		return append(out, t.Muted.Render(noPodsWhy(in)))
	}
	want := img.Facts.DeclaredDigest()
	for _, digest := range slices.Sorted(maps.Keys(l.Digests)) {
		mark := t.StateStyle(model.StateDrift).Render("≠")
		if digest != model.UnknownDigest && want != "" && model.SameArtifact(digest, want, img.Registry) {
			mark = t.StateStyle(model.StateInSync).Render("✓")
		}
		name := t.Artifact(digest).Render(model.ShortDigest(digest))
		if digest == model.UnknownDigest {
			name = t.Muted.Render("digest not reported")
		}
		if v := in.versions[digest]; v != "" {
			name += " " + Clean(v)
		}
		out = append(out, fmt.Sprintf("%s %d pod(s) %s", mark, l.Digests[digest], name))
	}
	rollout := fmt.Sprintf("%d/%d updated, %d ready, %d available", l.Updated, l.Desired, l.Ready, l.Available)
	if !l.RolloutComplete {
		rollout += t.StateStyle(model.StateRolling).Render(" (in progress)")
	}
	out = append(out, field(t, "rollout", rollout))
	if l.SpecImage != "" {
		out = append(out, field(t, "spec", Clean(l.SpecImage)))
	}
	return out
}

func controllerLine(c *model.ControllerFacts, t *Theme) string {
	applied := t.StateStyle(model.StateInSync).Render("applied the declaring commit")
	if !c.Applied {
		applied = t.StateStyle(model.StatePending).Render("has not applied the declaring commit")
	}
	sync, health := "out of sync", "unhealthy"
	if c.Synced {
		sync = "synced"
	}
	if c.Healthy {
		health = "healthy"
	}
	return field(t, "controller", fmt.Sprintf("%s %s · %s %s · %s · %s", Clean(c.Kind), Clean(c.Name),
		sync, model.ShortRevision(Clean(c.Revision)), health, applied))
}

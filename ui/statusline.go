package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// progressLine says how far each source has come:
// "git ✓ 0.4s · registry 140/300 · cluster dev ✓ prod-eu ✖ unreachable".
func progressLine(w *model.World, t *Theme) string {
	p := w.Progress
	ok, bad, wait := t.StateStyle(model.StateInSync).Render("✓"), t.Problem.Render("✖"), t.Muted.Render("…")
	parts := []string{gitProgress(p.Git, ok, bad, wait)}
	switch r := p.Registry; {
	case !r.Asked && !p.Expect.Registry:
		// not among the sources (--sources git): nothing to wait for
	case !r.Asked:
		parts = append(parts, "registry "+wait)
	case r.Finished() && len(w.RegistryProblems) > 0:
		parts = append(parts, fmt.Sprintf("registry %s %d of %d failing", bad, len(w.RegistryProblems), r.Total))
	case r.Finished():
		parts = append(parts, fmt.Sprintf("registry %s %d", ok, r.Total))
	default:
		parts = append(parts, fmt.Sprintf("registry %d/%d", r.Done, r.Total))
	}
	if c := clusterProgress(w, ok, bad, wait); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, t.Muted.Render(" · "))
}

func gitProgress(g model.GitProgress, ok, bad, wait string) string {
	switch {
	case !g.Read && g.Failure != "":
		return "git " + bad + " " + Clean(g.Failure)
	case !g.Read:
		return "git " + wait
	case g.Failure != "":
		return "git " + bad + " re-read failed (showing " + model.ShortRevision(g.Commit) + ")"
	}
	return fmt.Sprintf("git %s %s", ok, g.Took.Round(100*time.Millisecond))
}

// clusterProgress lists the clusters in environment order, each ✓, … or
// ✖ with one word of why.
func clusterProgress(w *model.World, ok, bad, wait string) string {
	if len(w.Progress.Clusters) == 0 {
		return ""
	}
	parts := []string{"cluster"}
	for _, e := range w.Environments {
		c, has := w.Progress.Clusters[e.Name]
		switch {
		case !has:
			continue
		case c.Failing:
			parts = append(parts, Clean(e.Name)+" "+bad+" "+failureWord(w, e.Name))
		case c.Synced:
			parts = append(parts, Clean(e.Name)+" "+ok)
		default:
			parts = append(parts, Clean(e.Name)+" "+wait)
		}
	}
	return strings.Join(parts, " ")
}

// failureWord sums up why a cluster failed, from its column's problems.
func failureWord(w *model.World, env string) string {
	for _, p := range w.Problems {
		if p.Env != env || p.App != "" || p.Source != model.SourceCluster {
			continue
		}
		m := strings.ToLower(p.Message)
		for _, word := range []string{"unreachable", "forbidden", "did not answer", "credential", "unauthorized", "timed out", "refused"} {
			if strings.Contains(m, word) {
				return word
			}
		}
		return "failing"
	}
	return "failing"
}

// countsLine counts the cells that need a look, most urgent first.
func countsLine(counts map[model.State]int, t *Theme) string {
	words := map[model.State]string{
		model.StateError: "errors", model.StateDrift: "drift", model.StatePending: "pending",
		model.StateRolling: "rolling", model.StateTagMoved: "tag moved", model.StateBehind: "behind",
	}
	var parts []string
	for _, s := range []model.State{model.StateDrift, model.StatePending, model.StateRolling,
		model.StateTagMoved, model.StateBehind, model.StateError} {
		if n := counts[s]; n > 0 {
			parts = append(parts, t.State(s, fmt.Sprintf("%s %d %s", Glyph(s), n, words[s])))
		}
	}
	if len(parts) == 0 {
		if n := counts[model.StateInSync]; n > 0 {
			return t.State(model.StateInSync, fmt.Sprintf("%s all %d cells in sync", Glyph(model.StateInSync), n))
		}
		return t.Muted.Render("nothing to count yet")
	}
	return strings.Join(parts, t.Muted.Render(" · "))
}

// spread puts left and right on one line of width; the right part gets
// at most half the line, then the left is cut if needed.
func spread(left, right string, width int) string {
	// A message too long for the room left is cut, never dropped: it may
	// be the only place a config problem or read-only's reason shows.
	if ansi.StringWidth(left)+ansi.StringWidth(right)+1 > width {
		right = ansi.Truncate(right, max(width-ansi.StringWidth(left)-1, width/2), "…")
	}
	room := width - ansi.StringWidth(right) - 1
	if room < 1 {
		return ansi.Truncate(left, width, "…")
	}
	left = ansi.Truncate(left, room, "…")
	return left + strings.Repeat(" ", max(width-ansi.StringWidth(left)-ansi.StringWidth(right), 1)) + right
}

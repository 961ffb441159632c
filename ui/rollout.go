package ui

import (
	"fmt"
	"time"

	"github.com/ferryhq/ferry/model"
)

// RolloutText says in a few words how far a change has come in its
// cluster: when its pods became ready (and how long after the commit), or
// how many run it so far. "" when no cluster said.
func RolloutText(r *model.Rollout, committed time.Time) string {
	if r == nil {
		return ""
	}
	switch r.State {
	case model.RolloutDone:
		if r.ReadyAt == nil {
			return "● live"
		}
		layout := "15:04"
		if y1, m1, d1 := r.ReadyAt.Local().Date(); y1 != committed.Local().Year() || m1 != committed.Local().Month() || d1 != committed.Local().Day() {
			layout = "01-02 15:04" // another day than the commit's
		}
		text := "● ready " + r.ReadyAt.Local().Format(layout)
		if after := r.ReadyAt.Sub(committed); after >= 0 {
			text += " (" + shortDuration(after) + " after)"
		}
		return text
	case model.RolloutInProgress:
		return fmt.Sprintf("◐ rolling out %d/%d", r.Pods, r.Desired)
	case model.RolloutNotStarted:
		return "○ not running yet"
	}
	return "? pods report no digest"
}

// shortDuration is a duration in its largest unit or two: 45s, 3m, 2h10m.
func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

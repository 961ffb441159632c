package model

import (
	"strings"
	"time"
)

// HistoryEntry is one change of a cell's declaration in Git: the commit that
// changed the reference of one image, and the reference before and after.
type HistoryEntry struct {
	Commit  string    `json:"commit"`
	When    time.Time `json:"when"`
	Author  string    `json:"author"`
	Subject string    `json:"subject"`
	App     string    `json:"app,omitempty"`
	Env     string    `json:"env,omitempty"`
	Image   string    `json:"image"` // the image's name in the cell
	File    string    `json:"file"`
	From    ImageRef  `json:"from"` // zero when the commit introduced the image
	To      ImageRef  `json:"to"`
	// Committer differs from Author when someone else applied the change
	// (a merge button, a rebase); Merged says it came in through a merge
	// commit on the first-parent line: a pull request.
	Committer string `json:"committer,omitempty"`
	Merged    bool   `json:"merged,omitempty"`
	// Trailers are the commit's Ferry-* lines: who promoted or rolled back
	// what, from what, and why.
	Trailers []Trailer `json:"trailers,omitempty"`
	// Rollout says how far the newest change of a cell has come in its
	// cluster; nil where no cluster was read, or a later change replaced it.
	Rollout *Rollout `json:"rollout,omitempty"`
}

// ParseTrailers reads the Ferry-* trailers of a commit message, in order.
func ParseTrailers(message string) []Trailer {
	var out []Trailer
	for _, line := range strings.Split(message, "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if ok && strings.HasPrefix(key, "Ferry-") && !strings.ContainsAny(key, " \t") {
			out = append(out, Trailer{Key: key, Value: strings.TrimSpace(value)})
		}
	}
	return out
}

package ui

import (
	"context"
	"os/exec"
	"time"

	"github.com/ferryhq/ferry/model"
)

// Backend is what the console asks of the world outside, always from
// inside a tea.Cmd: it never blocks Update. The feed implements it.
type Backend interface {
	// Refresh asks every source again now.
	Refresh()
	// History lists the changes of one cell's declarations, newest first.
	History(ctx context.Context, k model.CellKey) ([]model.HistoryEntry, error)
	// Timeline lists the newest changes of what every environment
	// declares, at most limit.
	Timeline(ctx context.Context, limit int) ([]model.HistoryEntry, error)
	// Tags lists a repository's tags in the registry, newest first.
	Tags(ctx context.Context, repository string) ([]string, error)
}

// K9sTarget is the workload k9s opens on.
type K9sTarget struct {
	Context, Namespace string
	Kind, Name         string // "Deployment", "search-api"; empty when unknown
}

// NoticeMsg is a line of news for the status line, such as a step of the
// demo's simulated controller.
type NoticeMsg struct {
	At   time.Time
	Text string
}

// historyMsg answers one history request; tag ties it to the request, so
// an answer for a detail the user already left is dropped.
type historyMsg struct {
	tag     int
	key     model.CellKey
	entries []model.HistoryEntry
	err     error
}

// flashDoneMsg comes when a changed cell's mark may have expired.
type flashDoneMsg struct{}

// k9sReadyMsg carries the k9s command to run, or why it cannot.
type k9sReadyMsg struct {
	cmd *exec.Cmd
	err error
}

// k9sDoneMsg comes when k9s exits and the console is back.
type k9sDoneMsg struct{ err error }

// actionMsg asks the root to run an action (the palette sends it).
type actionMsg struct{ action string }

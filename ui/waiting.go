package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// slowAfter is when a wait is long enough to name what it waits for.
const slowAfter = 5 * time.Second

type waitTickMsg struct{}

func waitTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return waitTickMsg{} })
}

// onWaitTick names, once a wait grows long, the sources that have not
// answered yet — a slow API server is then named on the progress line,
// not guessed at — and ticks again until every source has answered.
func (c *Console) onWaitTick() tea.Cmd {
	c.waiting = ""
	if c.world.Progress.Settled() {
		return nil
	}
	if waited := c.o.Now().Sub(c.started); waited >= slowAfter {
		if names := c.world.Progress.Waiting(c.world.Environments); len(names) > 0 {
			c.waiting = fmt.Sprintf("waiting %s for %s", waited.Round(time.Second), Clean(strings.Join(names, ", ")))
		}
	}
	return waitTick()
}

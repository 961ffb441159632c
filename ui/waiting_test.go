package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// TestALongWaitNamesTheSlowSource: while a cluster has not answered, the
// progress line says after a while what ferry waits for, and stops once
// it answers.
func TestALongWaitNamesTheSlowSource(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	c := New(Options{Backend: &fakeBackend{}, Now: clk.now, Title: "test"})
	c.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	git, _, _ := synthetic(2, 2)
	for _, u := range []model.Update{model.SourcesUpdate{Clusters: true}, git,
		model.ClusterUpdate{Envs: map[string]model.ClusterProgress{"env00": {Synced: true}, "env01": {Context: "prod-1"}}}} {
		send(c, u)
	}
	progress := func() string { return ansi.Strip(strings.Split(c.View().Content, "\n")[1]) }

	clk.t = clk.t.Add(2 * time.Second)
	if _, next := c.Update(waitTickMsg{}); next == nil || strings.Contains(progress(), "waiting") {
		t.Errorf("after 2s: %q (and the tick must go on)", progress())
	}
	clk.t = clk.t.Add(10 * time.Second)
	c.Update(waitTickMsg{})
	if got := progress(); !strings.Contains(got, "waiting 12s for cluster env01 (context prod-1)") {
		t.Errorf("after 12s the progress line does not name the slow cluster: %q", got)
	}
	send(c, model.ClusterUpdate{Envs: map[string]model.ClusterProgress{"env00": {Synced: true}, "env01": {Synced: true}}})
	if _, next := c.Update(waitTickMsg{}); next != nil || strings.Contains(progress(), "waiting") {
		t.Errorf("every source answered: %q (and the tick must stop)", progress())
	}
}

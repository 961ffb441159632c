package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ferryhq/ferry/model"
)

// BenchmarkView draws the console at 200×60 over 1,000 apps × 12
// environments (target: under 2 ms a frame). The baseline renders every
// row as a table would (what a console that draws everything pays); the
// ratio is reported as x-baseline.
func BenchmarkView(b *testing.B) {
	c := benchConsole(b, 1000, 12, 200, 60)
	var baseline float64
	b.Run("baseline-all-rows", func(b *testing.B) {
		for range b.N {
			_ = StatusTable(c.grid.grid, c.theme, c.view)
		}
		baseline = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("frame", func(b *testing.B) {
		i := 0
		for range b.N {
			// Move so each frame differs, as when a user holds a key.
			c.grid.Move([]int{1, -1}[i%2], 0)
			i++
			_ = c.View()
		}
		per := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if baseline > 0 {
			b.ReportMetric(per/baseline, "x-baseline")
		}
	})
}

// BenchmarkGrid derives the grid of 1,000 apps × 12 environments from the
// world, and applies one cluster update to the console (derive, diff,
// relayout): what each live update costs.
func BenchmarkGrid(b *testing.B) {
	git, reg, cl := synthetic(1000, 12)
	w := &model.World{}
	for _, u := range []model.Update{git, reg, cl} {
		w.Apply(u)
	}
	b.Run("derive", func(b *testing.B) {
		for range b.N {
			_ = w.Grid()
		}
	})
	c := benchConsole(b, 1000, 12, 200, 60)
	b.Run("update", func(b *testing.B) {
		for range b.N {
			send(c, cl)
		}
	})
}

// BenchmarkFirstFrame is the console from nothing to the first frame with
// the grid's skeleton: New, the window size, the Git reading of 1,000 apps
// × 12 environments, and one View.
func BenchmarkFirstFrame(b *testing.B) {
	git, _, _ := synthetic(1000, 12)
	for range b.N {
		c := New(Options{Backend: &fakeBackend{}})
		c.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		send(c, model.SourcesUpdate{Registry: true, Clusters: true})
		send(c, git)
		_ = c.View()
	}
}

func benchConsole(b *testing.B, apps, envs, width, height int) *Console {
	git, reg, cl := synthetic(apps, envs)
	c := New(Options{Backend: &fakeBackend{}})
	c.Update(tea.WindowSizeMsg{Width: width, Height: height})
	for _, u := range []model.Update{model.SourcesUpdate{Registry: true, Clusters: true}, git, reg, cl} {
		send(c, u)
	}
	_ = c.View()
	return c
}

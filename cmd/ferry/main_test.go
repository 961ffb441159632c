package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// TestMain gives ferry its own XDG directories in the tests, so they neither
// read nor litter the user's caches, state and log. Only ferry's view
// changes (the xdg variables, not the environment): the kube test harness
// keeps its binaries in the real user cache, where a hit costs seconds.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ferry-cmd-test-")
	if err != nil {
		panic(err)
	}
	testTemp = dir
	xdg.CacheHome = filepath.Join(dir, "cache")
	xdg.StateHome = filepath.Join(dir, "state")
	xdg.ConfigHome = filepath.Join(dir, "config")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testTemp is the run's own directory, removed at its end.
var testTemp string

package main

import (
	"os"
	"testing"

	"github.com/adrg/xdg"
)

// TestMain gives the tests their own XDG directories, so they neither read
// nor litter the user's caches, state and log.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ferry-cmd-test-")
	if err != nil {
		panic(err)
	}
	for _, v := range []string{"XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"} {
		os.Setenv(v, dir+"/"+v)
	}
	xdg.Reload()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

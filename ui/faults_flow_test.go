package ui_test

import (
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/internal/netwait"
)

// TestRegistryFaultsShowOnTheirCellsAndClearWithoutARestart breaks the
// demo's registry in each way a registry fails over HTTP, in a running
// console: the words are on the cells' detail and the progress line, the
// rest of the console works (the clusters' column, moving, the detail),
// and once the registry answers again a re-read (R) brings every cell
// back — no restart.
func TestRegistryFaultsShowOnTheirCellsAndClearWithoutARestart(t *testing.T) {
	saved := netwait.Current()
	netwait.Set(netwait.Deadlines{Connect: 5 * time.Second, Answer: 500 * time.Millisecond})
	t.Cleanup(func() { netwait.Set(saved) })

	f := startFlow(t, false)
	f.see("registry ✓ 11", "↑ 4.2.0", "staging ✓")
	f.keys("enter")
	f.see("storefront in dev", "digest    sha256:")
	for _, fault := range []struct {
		kind  demo.RegistryFault
		words string
	}{
		{401, "not authorized to read shop/storefront — run docker login"},
		{403, "access to shop/storefront is denied (403 Forbidden)"},
		{404, "tag 1.11.0 not found in shop/storefront"},
		{429, "rate limited (429 Too Many Requests)"},
		{503, "server error (503 Service Unavailable)"},
		{demo.Hang, "accepted the connection but did not answer within 500ms"},
	} {
		f.w.BreakRegistry(fault.kind)
		f.keys("R")
		f.see("storefront in dev  ✖ error", fault.words, "registry ✖ 11 of 11 failing", "staging ✓")
		f.keys("esc", "j") // the grid still moves
		f.see("APP", "row 2/8")
		f.keys("k", "enter")
		f.see("storefront in dev", fault.words)

		f.w.HealRegistry()
		f.keys("R")
		f.see("registry ✓ 11", "digest    sha256:")
	}
	f.keys("esc")
	f.see("↑ 4.2.0") // catalog in prod-us is behind again, as before any fault
}

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

// TestClusterFaultsShowOnTheirColumnAndClearWithoutARestart: a demo
// cluster goes down, then refuses pods by RBAC, then drops its watches, in
// a running console. The fault is on its column in plain words while the
// other columns go on; when it heals the column comes back on its own (no
// key, no restart); after a dropped watch the cells still follow a push.
func TestClusterFaultsShowOnTheirColumnAndClearWithoutARestart(t *testing.T) {
	f := startFlow(t, false)
	f.see("registry ✓ 11", "prod-us ✓", "staging ✓")
	f.keys("/", "catal", "enter", "l", "l", "l", "enter") // catalog in prod-us
	f.see("catalog in prod-us  ↑ behind", "✓ 2 pod(s)")
	for _, fault := range []struct {
		kind           demo.ClusterFault
		column, detail string
	}{
		{demo.ClusterDown, "prod-us ✖ unreachable", `context "demo-prod-us": API server unreachable`},
		{demo.ClusterForbidden, "prod-us ✖ forbidden", "forbidden by RBAC"},
	} {
		if err := f.w.BreakCluster("prod-us", fault.kind); err != nil {
			t.Fatal(err)
		}
		f.see(fault.column, fault.detail, "staging ✓", "prod-eu ✓")
		f.keys("esc", "j") // the grid still moves
		f.see("APP", "row 1/1")
		f.keys("enter")
		if err := f.w.HealCluster("prod-us"); err != nil {
			t.Fatal(err)
		}
		f.see("prod-us ✓", "catalog in prod-us  ↑ behind", "✓ 2 pod(s)")
	}

	if err := f.w.BreakCluster("prod-us", demo.WatchDropped); err != nil {
		t.Fatal(err)
	}
	edit, err := f.w.SetBuild("catalog", "4.2.0", "4.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.w.Push("apps/catalog/overlays/prod-us/kustomization.yaml", "Promote catalog 4.3.0 to prod-us", edit); err != nil {
		t.Fatal(err)
	}
	f.see("catalog in prod-us  ✓ in-sync")
}

package ui

import (
	"slices"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// TestShippingPutsTheCompareLinkOnItsOwnLine: beside the range the link
// wrapped in the review at 160 columns and could not be clicked.
func TestShippingPutsTheCompareLinkOnItsOwnLine(t *testing.T) {
	from, to := "de10cc6710cfabc5d331518769b6fa9c511c1a6e", "a5f64715b4819dd08d0ce82c9d09faf97385442f"
	ch := model.Change{Kind: model.Promote,
		From: model.Identity{Revision: from}, To: model.Identity{Revision: to, Source: "https://github.com/acme/catalog"}}
	want := []string{"ships source commits de10cc6..a5f6471", "https://github.com/acme/catalog/compare/" + from + "..." + to}
	if got := shipping(ch); !slices.Equal(got, want) {
		t.Errorf("promotion: %q, want %q", got, want)
	}
	ch.Kind, ch.From.Revision, ch.To.Revision = model.Rollback, to, from
	if got := shipping(ch); len(got) != 2 || got[0] != "takes out source commits de10cc6..a5f6471" {
		t.Errorf("rollback: %q", got)
	}
	ch.To.Source = "https://git.example.com/acme/catalog"
	if got := shipping(ch); len(got) != 1 {
		t.Errorf("a host without compare pages: %q, want the range alone", got)
	}
}

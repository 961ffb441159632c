package ui

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

// The registry column says why an image has no registry facts: not read,
// failed, still answering, or nothing more to say.
func TestTheRegistryColumnSaysWhyNothingIsResolved(t *testing.T) {
	failed := model.ImageStatus{Facts: model.ImageFacts{Failed: true}}
	waiting := model.ImageStatus{}
	answering := model.RegistryProgress{Asked: true, Done: 140, Total: 300}
	done := model.RegistryProgress{Asked: true, Done: 300, Total: 300}
	for _, tc := range []struct {
		name string
		img  model.ImageStatus
		in   detailInput
		want string
	}{
		{"--sources git", waiting, detailInput{}, "not read: the registry is not among the sources"},
		{"a failure", failed, detailInput{registryRead: true, registry: done}, "not resolved: see the problems below"},
		{"still answering", waiting, detailInput{registryRead: true, registry: answering}, "not resolved yet (the registry answered 140 of 300)"},
		{"answered, nothing for it", waiting, detailInput{registryRead: true, registry: done}, "not resolved"},
	} {
		if got := unresolvedWhy(tc.img, tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// The registry column says why an image has no registry facts: not read,
// failed, still answering, or nothing more to say.
func TestTheRegistryColumnSaysWhyNothingIsResolved(t *testing.T) {
	failed := model.ImageStatus{Facts: model.ImageFacts{Failed: true}}
	waiting := model.ImageStatus{}
	asked := func(done int) detailInput {
		p := model.Progress{Expect: model.SourcesUpdate{Registry: true},
			Registry: model.RegistryProgress{Asked: true, Done: done, Total: 300}}
		return detailInput{progress: p}
	}
	for _, tc := range []struct {
		name string
		img  model.ImageStatus
		in   detailInput
		want string
	}{
		{"--sources git", waiting, detailInput{}, "not read: the registry is not among the sources"},
		{"a failure", failed, asked(300), "not resolved: see the problems below"},
		{"still answering", waiting, asked(140), "not resolved yet (the registry answered 140 of 300)"},
		{"answered, nothing for it", waiting, asked(300), "not resolved"},
	} {
		if got := unresolvedWhy(tc.img, tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The live column says why it shows no pods: the cluster is not read,
// not known yet, has no context, fails, is listing — or none run.
func TestTheLiveColumnSaysWhyItShowsNoPods(t *testing.T) {
	prod := model.CellKey{App: "web", Env: "prod"}
	with := func(clusters map[string]model.ClusterProgress) detailInput {
		return detailInput{key: prod, progress: model.Progress{Expect: model.SourcesUpdate{Clusters: true}, Clusters: clusters}}
	}
	for _, tc := range []struct {
		name string
		in   detailInput
		want string
	}{
		{"--sources git", detailInput{key: prod}, "not read: no cluster is among the sources"},
		{"asked, not announced", with(nil), "not read yet"},
		{"no context", with(map[string]model.ClusterProgress{"dev": {Synced: true}}), "not read: no kubeconfig context for this environment (see the problems)"},
		{"failing", with(map[string]model.ClusterProgress{"prod": {Failing: true}}), "not read: the cluster fails (see the problems)"},
		{"listing", with(map[string]model.ClusterProgress{"prod": {}}), "not read yet: the cluster is still listing"},
		{"answered", with(map[string]model.ClusterProgress{"prod": {Synced: true}}), "no pods of it run here"},
	} {
		if got := noPodsWhy(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Annotations (Argo CD Image Updater's image-list, Flux's setter marker),
// the controller's object and problems reach the detail through Clean: an
// escape sequence in any of them is shown, not obeyed.
func TestTheDetailShowsAnnotationsAndMessagesInert(t *testing.T) {
	const osc52 = "\x1b]52;c;cHduZWQ=\x07"
	cell := &model.Cell{
		State: model.StateError,
		Images: []model.ImageStatus{{Name: "web" + osc52, Declared: &model.DeclaredJSON{
			Image: "ghcr.io/acme/web", File: "apps/web.yaml", Line: 3,
			Updater: "web=ghcr.io/acme/web" + osc52, Setter: `{"$imagepolicy": "flux:web` + osc52 + `"}`,
		}}},
		Problems:   []model.Problem{{Source: "cluster", Message: "denied " + osc52}},
		Controller: &model.ControllerFacts{Kind: "Application", Name: "web" + osc52, Revision: "abc" + osc52},
	}
	out := detailText(detailInput{key: model.CellKey{App: "web", Env: "prod"}, cell: cell, width: 160}, DefaultTheme())
	if strings.Contains(out, "\x1b]52") || strings.Contains(out, "\x07") {
		t.Errorf("an escape sequence reached the detail raw:\n%q", out)
	}
	if n := strings.Count(out, "^[]52;c;cHduZWQ=^G"); n < 5 {
		t.Errorf("the inert form is shown %d times, want one per field at least (name, updater, setter, controller, problem):\n%s", n, out)
	}
}

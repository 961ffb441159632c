package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferryhq/ferry/model"
)

// A registry that is not among the sources is not waited for on the
// progress line; one that is, is.
func TestTheProgressLineWaitsOnlyForTheSourcesAsked(t *testing.T) {
	w := &model.World{}
	w.Progress.Git = model.GitProgress{Read: true}
	if line := progressLine(w, DefaultTheme()); strings.Contains(line, "registry") {
		t.Errorf("--sources git: %q shows the registry", line)
	}
	w.Progress.Expect.Registry = true
	if line := ansi.Strip(progressLine(w, DefaultTheme())); !strings.Contains(line, "registry …") {
		t.Errorf("registry asked, not answered: %q", line)
	}
}

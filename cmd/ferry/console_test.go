package main

import (
	"strings"
	"testing"
)

// TestConsoleOnAPipePrintsTheStatus: `ferry` with stdout not a terminal
// prints the table instead and says why on stderr.
func TestConsoleOnAPipePrintsTheStatus(t *testing.T) {
	r := helmRepo(t)
	out, errOut, code := ferry(t, "--repo", r.Dir, "--sources", "git")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "standard output is not a terminal") {
		t.Errorf("no reason given: %q", errOut)
	}
	for _, want := range []string{"APP", "search", "v0.9.0", "legend:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}

// TestConsoleOutsideARepoOffersTheDemo: one clear sentence, exit 2.
func TestConsoleOutsideARepoOffersTheDemo(t *testing.T) {
	_, errOut, code := ferry(t, "--repo", t.TempDir())
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != 1 || !strings.Contains(errOut, "not a git repository") || !strings.Contains(errOut, "ferry demo") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestConsoleRefusesAnUnknownTheme(t *testing.T) {
	r := helmRepo(t)
	_, errOut, code := ferry(t, "--repo", r.Dir, "--theme", "neon")
	if code != exitFailure || !strings.Contains(errOut, `unknown theme "neon"`) {
		t.Errorf("exit %d: %q", code, errOut)
	}
}

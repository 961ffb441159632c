package ui_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestUIReadsNoSource holds the import rule cmd → ui → model: the UI renders
// model facts and never reaches a source, its library, or the feed that
// starts the sources: facts reach it only as messages. Nor does it commit:
// the Releaser it is handed does.
func TestUIReadsNoSource(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ferryhq/ferry/ui").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/ferryhq/ferry/sources", "github.com/ferryhq/ferry/internal/feed",
		"github.com/ferryhq/ferry/internal/demo", "github.com/ferryhq/ferry/internal/release",
		"github.com/ferryhq/ferry/internal/uirelease", "github.com/ferryhq/ferry/internal/planstore",
		"github.com/go-git/", "k8s.io/",
		"github.com/google/go-containerregistry", "sigs.k8s.io/kustomize",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("ui depends on %s", dep)
			}
		}
	}
}

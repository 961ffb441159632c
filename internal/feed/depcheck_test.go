package feed_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFeedKnowsNoUI: the streaming code lives below the UI; it speaks in
// model updates and never reaches Bubble Tea, Lip Gloss or the ui package.
func TestFeedKnowsNoUI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ferryhq/ferry/internal/feed").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range []string{"charm.land/", "github.com/ferryhq/ferry/ui", "github.com/ferryhq/ferry/keymap"} {
			if strings.HasPrefix(dep, f) {
				t.Errorf("feed depends on %s", dep)
			}
		}
	}
}

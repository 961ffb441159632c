package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAKilledConsoleRestoresItsStagedPlan stages a promotion in a real
// terminal, kills ferry with SIGKILL once the plan is on disk, starts it
// again, and finds the plan restored: nothing staged is lost, and the
// repo was never written.
func TestAKilledConsoleRestoresItsStagedPlan(t *testing.T) {
	bin, dir := buildForTmux(t)
	w := demoWorld(t)
	term := newTmux(t, dir)
	start := "exec env " + xdgEnv(dir) + " " + bin + " --repo " + w.RepoDir + " --sources git,registry"

	term.run("new-session", "-d", "-x", "140", "-y", "30", start)
	term.see("catalog", "registry ✓")
	term.keys("/", "catal", "Enter", "l", "l", "l", "p")
	term.see("staged: promote catalog 4.3.0 to prod-us")
	waitForFile(t, filepath.Join(dir, "state", "ferry", "plans"), "catalog")
	pid := strings.TrimSpace(term.run("display-message", "-p", "#{pane_pid}"))
	if out, err := exec.Command("kill", "-9", pid).CombinedOutput(); err != nil {
		t.Fatalf("kill -9 %s: %v %s", pid, err, out)
	}
	// A terminal of its own for the restart: the first tmux server is
	// still going away with its only pane.
	term = newTmux(t, t.TempDir())
	term.run("new-session", "-d", "-x", "140", "-y", "30", start)
	term.see("restored 1 staged change(s)", "✎ 4.2.0")
	if head := remoteHead(t, w).Hash().String(); head != w.Head {
		t.Errorf("the remote moved to %s: staging writes nothing to the repo", head)
	}
	term.keys("q")
}

// waitForFile waits until a file under dir holds want: the plan is saved
// by a command after the key press, and the kill must come after it.
func waitForFile(t *testing.T, dir, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && strings.Contains(string(data), want) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no file under %s holds %q", dir, want)
		}
		time.Sleep(10 * time.Millisecond) // polling the disk, not pacing the test
	}
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/nettest"
)

// TestConsoleInARealTerminal builds ferry, runs `ferry demo` in tmux and
// reads the screen as a user would: the grid, a detail, help, and a clean
// exit that leaves nothing on the screen but the shell's. .ci/run installs
// tmux and sets FERRY_REQUIRE_TMUX, so CI cannot skip it.
func TestConsoleInARealTerminal(t *testing.T) {
	bin, dir := buildForTmux(t)
	term := newTmux(t, dir)
	// Its own XDG directories: the test neither reads nor writes the user's.
	env := xdgEnv(dir)
	term.run("new-session", "-d", "-x", "120", "-y", "36", "env "+env+" "+bin+" demo --reconcile-delay 10ms --rollout-step 10ms; echo ferry-exited-$?; sleep 600")

	term.see("storefront", "recommendations", "registry ✓", "prod-ap ✖ forbidden", "≠ 1 drift")
	term.keys("j", "j", "l", "l", "Enter")
	term.see("payments in prod-eu", "≠ drift", "history (Git, newest first)", "Promote payments 3.3.0")
	term.keys("Escape")
	term.see("APP", "row 3/8")
	term.keys("?")
	term.see("cell states", "tag-moved")
	term.keys("q")
	screen := term.see("ferry-exited-0")
	if strings.Contains(screen, "APP") || strings.Contains(screen, "klog") {
		t.Errorf("the console left something on the screen:\n%s", screen)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "state", "ferry", "ferry.log")); err != nil || len(data) == 0 {
		t.Errorf("no log file written (library output would have gone to the screen): %v", err)
	}
}

// buildForTmux builds ferry for a terminal test (once per run), or skips
// without tmux (unless CI says the test must run). dir is the test's own.
func buildForTmux(t *testing.T) (bin, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("short: no terminal test")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("FERRY_REQUIRE_TMUX") != "" {
			t.Fatal("tmux is not installed, and FERRY_REQUIRE_TMUX says this test must run")
		}
		t.Skip("tmux is not installed")
	}
	built.Do(func() {
		built.bin = filepath.Join(testTemp, "ferry")
		if out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin, t.TempDir()
}

var built struct {
	sync.Once
	bin string
	err error
}

func newTmux(t *testing.T, dir string) *tmux {
	term := &tmux{t: t, socket: filepath.Join(dir, "tmux.sock")}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", term.socket, "kill-server").Run() })
	return term
}

func xdgEnv(dir string) string {
	return "XDG_CACHE_HOME=" + dir + "/cache XDG_STATE_HOME=" + dir + "/state XDG_CONFIG_HOME=" + dir + "/config"
}

type tmux struct {
	t      *testing.T
	socket string
}

func (m *tmux) run(args ...string) string {
	m.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", m.socket}, args...)...).CombinedOutput()
	if err != nil {
		m.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (m *tmux) keys(keys ...string) {
	for _, k := range keys {
		m.run("send-keys", k)
	}
}

// see waits until the screen shows every text and returns it; the
// deadline only turns a hang into a failure.
func (m *tmux) see(texts ...string) string {
	m.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		screen := m.run("capture-pane", "-p")
		ok := true
		for _, s := range texts {
			ok = ok && strings.Contains(screen, s)
		}
		if ok {
			return screen
		}
		if time.Now().After(deadline) {
			m.t.Fatalf("the screen never showed %q:\n%s", texts, screen)
		}
		time.Sleep(20 * time.Millisecond) // polling the screen, not pacing the test
	}
}

// TestASlowCloneSaysWhatItWaitsFor: on a terminal, a --repo URL whose
// server accepts and never answers is named while ferry waits, then ends in
// one sentence at the answer deadline — never a blank screen.
func TestASlowCloneSaysWhatItWaitsFor(t *testing.T) {
	bin, dir := buildForTmux(t)
	silent := nettest.Silent(t)
	term := newTmux(t, dir)
	term.run("new-session", "-d", "-x", "160", "-y", "20", "env "+xdgEnv(dir)+" "+bin+" --repo http://"+silent+"/shop.git --answer-timeout 7s; echo ferry-exited-$?; sleep 600")
	term.see("ferry: waiting 5s for git: the clone or fetch of http://" + silent + "/shop.git")
	term.see(silent+" accepted the connection but did not answer within 7s", "ferry-exited-2")
}

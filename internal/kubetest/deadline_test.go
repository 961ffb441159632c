package kubetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// flaky starts a shell that exits 255 (as kube-apiserver did under load)
// until it has been started failures times, then serves: it writes the
// file ready checks for and stays up.
func flaky(t *testing.T, failures int) (start func() (*process, error), ready func() error) {
	dir := t.TempDir()
	count, ok := filepath.Join(dir, "count"), filepath.Join(dir, "ok")
	script := `n=$(cat "$1" 2>/dev/null || echo 0); echo $((n+1)) > "$1"
if [ "$n" -ge "$2" ]; then touch "$3"; exec sleep 600; fi
echo "etcdserver: request timed out, attempt $n"; exit 255`
	start = func() (*process, error) {
		return startProcess("flaky", dir, "/bin/sh", "-c", script, "sh", count, fmt.Sprint(failures), ok)
	}
	ready = func() error { _, err := os.Stat(ok); return err }
	return start, ready
}

func TestStartReadyStartsAgainAfterAnExit(t *testing.T) {
	start, ready := flaky(t, 2)
	var lines []string
	logf := func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }
	p, err := startReady(logf, time.Minute, start, ready)
	if err != nil {
		t.Fatal(err)
	}
	defer p.stop()
	// One line per retry, without the log: the log is for failures.
	if len(lines) != 2 || !strings.Contains(lines[0], "flaky exited: exit status 255; starting flaky again") ||
		strings.Contains(lines[0], "etcdserver") {
		t.Errorf("progress lines %q", lines)
	}
}

func TestStartReadyGivesUpWithEveryAttemptsLog(t *testing.T) {
	start, ready := flaky(t, startAttempts)
	_, err := startReady(func(string, ...any) {}, time.Minute, start, ready)
	if err == nil || !strings.Contains(err.Error(), "attempt 3 of 3: flaky exited") ||
		!strings.Contains(err.Error(), "etcdserver: request timed out, attempt 2") {
		t.Errorf("err = %v", err)
	}
}

func TestScaleStretchesDeadlines(t *testing.T) {
	t.Setenv("FERRY_TEST_SLOWDOWN", "2.5")
	if got := Scale(time.Minute); got != 150*time.Second {
		t.Errorf("Scale(1m) = %s", got)
	}
	t.Setenv("FERRY_TEST_SLOWDOWN", "fast")
	if got := Scale(time.Minute); got != time.Minute {
		t.Errorf("Scale(1m) with a bad factor = %s", got)
	}
}

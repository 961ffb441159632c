package kubetest

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Scale stretches a deadline by FERRY_TEST_SLOWDOWN (a factor, default 1):
// on a machine that is busy or slow, the same readiness takes longer, and
// a deadline exists only to turn a hang into a failure. Tests that wait
// on the servers use it too.
func Scale(d time.Duration) time.Duration {
	f, err := strconv.ParseFloat(os.Getenv("FERRY_TEST_SLOWDOWN"), 64)
	if err != nil || f < 1 {
		return d
	}
	return time.Duration(float64(d) * f)
}

// startAttempts is how often a server is started before the harness gives
// up: under load etcd has missed its first deadlines and kube-apiserver
// has exited 255 while etcd was still slow, and both start fine again.
const startAttempts = 3

// startReady starts a process and waits until ready succeeds, starting it
// again when it exits or misses the deadline. Each failed attempt's log
// tail is kept for the error; a later success reports one line per retry.
func startReady(logf func(string, ...any), timeout time.Duration, start func() (*process, error), ready func() error) (*process, error) {
	var errs []error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		p, err := start()
		if err != nil {
			return nil, err
		}
		err = p.waitUntil(timeout, ready)
		if err == nil {
			return p, nil
		}
		p.stop()
		errs = append(errs, fmt.Errorf("attempt %d of %d: %w", attempt, startAttempts, err))
		if attempt < startAttempts {
			first, _, _ := strings.Cut(err.Error(), "\n")
			logf("kubetest: %s; starting %s again", first, p.name)
		}
	}
	return nil, errors.Join(errs...)
}

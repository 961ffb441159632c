//go:build unix

package kustomize

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the test process has used,
// so benchmarks can report cost that does not depend on how busy the
// machine is.
func processCPU() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

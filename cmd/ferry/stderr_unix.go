//go:build unix

package main

import (
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
	"golang.org/x/sys/unix"
)

// quietStderr points file descriptor 2 at the log file while the console
// runs: whatever a library writes to stderr (klog, kustomize's warnings, an
// exec credential plugin's messages) lands in the log, not on the screen.
// Doing it once here, at the descriptor, covers writers that hold their own
// copy of os.Stderr. restore puts the terminal back for the exit message.
func quietStderr() (restore func(), err error) {
	path := filepath.Join(xdg.StateHome, "ferry", "ferry.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	saved, err := unix.Dup(2)
	if err != nil {
		log.Close()
		return nil, err
	}
	if err := unix.Dup2(int(log.Fd()), 2); err != nil {
		log.Close()
		unix.Close(saved)
		return nil, err
	}
	return func() {
		_ = unix.Dup2(saved, 2)
		unix.Close(saved)
		log.Close()
	}, nil
}

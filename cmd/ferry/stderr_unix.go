//go:build unix

package main

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/adrg/xdg"
	"golang.org/x/sys/unix"
)

// quiet counts the callers that want stderr quiet: the first points file
// descriptor 2 at the log file, the last puts the terminal back.
var quiet struct {
	sync.Mutex
	users int
	saved int
	log   *os.File
}

// quietStderr points file descriptor 2 at the log file while sources are
// read and while the console runs: whatever a library writes to stderr
// (klog, kustomize's warnings, an exec credential plugin's messages) lands
// in the log, not on the screen. Doing it once here, at the descriptor,
// covers writers that hold their own copy of os.Stderr. restore puts the
// terminal back (for the exit message and ferry's own notes).
func quietStderr() (restore func(), err error) {
	quiet.Lock()
	defer quiet.Unlock()
	if quiet.users == 0 {
		if err := redirect(); err != nil {
			return nil, err
		}
	}
	quiet.users++
	var once sync.Once
	return func() { once.Do(unquiet) }, nil
}

func redirect() error {
	path := filepath.Join(xdg.StateHome, "ferry", "ferry.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	log, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	saved, err := unix.Dup(2)
	if err != nil {
		log.Close()
		return err
	}
	if err := unix.Dup2(int(log.Fd()), 2); err != nil {
		log.Close()
		unix.Close(saved)
		return err
	}
	quiet.saved, quiet.log = saved, log
	return nil
}

func unquiet() {
	quiet.Lock()
	defer quiet.Unlock()
	quiet.users--
	if quiet.users > 0 {
		return
	}
	_ = unix.Dup2(quiet.saved, 2)
	unix.Close(quiet.saved)
	quiet.log.Close()
}

// toTerminal writes to the terminal stderr was before quietStderr, so a
// note meant for the user (what a slow `ferry status` waits for) reaches
// it while libraries' output goes to the log.
type toTerminal struct{}

func (toTerminal) Write(p []byte) (int, error) {
	quiet.Lock()
	defer quiet.Unlock()
	if quiet.users == 0 {
		return os.Stderr.Write(p)
	}
	return unix.Write(quiet.saved, p)
}

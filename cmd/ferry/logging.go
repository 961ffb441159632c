package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"

	"github.com/adrg/xdg"
)

// logFile is $XDG_STATE_HOME/ferry/ferry.log. Nothing ferry or its
// libraries log may reach the terminal: output written while a console runs
// corrupts its screen, and a status table should hold only the table.
var logFile = sync.OnceValue(func() io.Writer {
	path := filepath.Join(xdg.StateHome, "ferry", "ferry.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return io.Discard
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return io.Discard
	}
	return f
})

// logf writes a debug line to the log file; sources get this function.
var logf = sync.OnceValue(func() func(string, ...any) {
	l := log.New(logFile(), "", log.LstdFlags|log.Lmicroseconds)
	return func(format string, args ...any) { l.Output(2, fmt.Sprintf(format, args...)) }
})

// captureLibraryLogs sends the standard logger (kustomize warns through it)
// to the log file.
func captureLibraryLogs() {
	log.SetOutput(logFile())
}

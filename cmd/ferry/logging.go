package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"

	"github.com/adrg/xdg"
)

// logf writes debug lines to $XDG_STATE_HOME/ferry/ferry.log, never to the
// terminal: output written while a console runs corrupts its screen. Sources
// get this function; nothing else of theirs reaches a file or a terminal.
var logf = sync.OnceValue(func() func(string, ...any) {
	path, err := xdg.StateFile(filepath.Join("ferry", "ferry.log"))
	if err != nil {
		return func(string, ...any) {}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return func(string, ...any) {}
	}
	l := log.New(f, "", log.LstdFlags|log.Lmicroseconds)
	return func(format string, args ...any) { l.Output(2, fmt.Sprintf(format, args...)) }
})

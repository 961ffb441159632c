package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// whileWaiting says on a terminal's stderr, every slowNote, what a long
// operation still waits for — a clone from a server that never answers
// would otherwise be a blank terminal for a minute. stop ends it.
func whileWaiting(what string) (stop func()) {
	if !isTerminal(os.Stderr) {
		return func() {}
	}
	started, done := time.Now(), make(chan struct{})
	go func() {
		tick := time.NewTicker(slowNote)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(toTerminal{}, "ferry: waiting %s for %s\n", time.Since(started).Round(time.Second), what)
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

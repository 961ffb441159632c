// Command ferry is a terminal release console for GitOps: what runs where,
// is it drifting, and how to move it on or back.
//
// This package is the one wiring place: it parses flags, builds the sources
// and hands their facts to the model and the UI.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes: 0 fine, 1 drift or problems found (with --exit-code), 2 ferry
// could not do what was asked.
const (
	exitFindings = 1
	exitFailure  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes ferry with args and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	captureLibraryLogs()
	cmd := newRootCmd(stdout, stderr)
	cmd.SetArgs(args)
	ran, err := cmd.ExecuteC()
	err = explainMissingFlags(ran, err)
	var ex *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ex):
		if ex.err != nil {
			fmt.Fprintln(stderr, "ferry:", ex.err)
		}
		return ex.code
	default:
		fmt.Fprintln(stderr, "ferry:", err)
		return exitFailure
	}
}

// exitError carries an exit code other than 2 out of a command.
type exitError struct {
	code int
	err  error // printed when not nil
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

//go:build !unix

package main

import "os"

// quietStderr leaves stderr alone where descriptors cannot be redirected.
func quietStderr() (restore func(), err error) { return func() {}, nil }

// toTerminal is stderr where it is never redirected.
type toTerminal struct{}

func (toTerminal) Write(p []byte) (int, error) { return os.Stderr.Write(p) }

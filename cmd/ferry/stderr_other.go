//go:build !unix

package main

// quietStderr leaves stderr alone where descriptors cannot be redirected.
func quietStderr() (restore func(), err error) { return func() {}, nil }

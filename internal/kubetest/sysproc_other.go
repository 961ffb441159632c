//go:build !linux

package kubetest

import "syscall"

func childAttrs() *syscall.SysProcAttr { return nil }

// lockFile does not lock outside Linux: concurrent builds only cost time.
func lockFile(string) (func(), error) { return func() {}, nil }

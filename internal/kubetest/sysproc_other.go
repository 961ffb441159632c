//go:build !linux

package kubetest

import "syscall"

func childAttrs() *syscall.SysProcAttr { return nil }

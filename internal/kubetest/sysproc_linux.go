package kubetest

import "syscall"

// childAttrs kills the servers with the test binary, even if it crashes.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

package gitops

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// A server that accepts the connection and never answers: the clone ends
// with an error that says so, within the answer deadline (issue 12's
// hangs). The deadline is shortened for the test; the wait is the
// transport's, not the test's.
func TestACloneFromASilentServerGivesUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()
	saved := AnswerTimeout
	AnswerTimeout = 200 * time.Millisecond
	installHTTP()
	defer func() { AnswerTimeout = saved; installHTTP() }()

	_, err = Clone(context.Background(), "http://"+ln.Addr().String()+"/shop.git", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "cannot clone") || !strings.Contains(err.Error(), "accepted the connection but did not answer within 200ms") {
		t.Errorf("err = %v, want the clone to give up waiting for an answer", err)
	}
}

// Package nettest holds network peers for tests, on loopback only.
package nettest

import (
	"net"
	"testing"
)

// Silent listens on 127.0.0.1 and accepts every connection without ever
// sending a byte: a TLS handshake against it never completes and an HTTP
// request is never answered. It returns "127.0.0.1:PORT"; the listener
// and its connections close when the test ends.
func Silent(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // held open, silent
		}
	}()
	return ln.Addr().String()
}

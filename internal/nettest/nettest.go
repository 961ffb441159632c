// Package nettest holds network peers for tests, on loopback only.
package nettest

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ferryhq/ferry/internal/netwait"
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

// SilentTLS is an HTTPS server on 127.0.0.1 that completes the TLS
// handshake and never answers a request; its Client trusts it. It closes
// when the test ends.
func SilentTLS(t testing.TB) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the abandoned requests are the point
	srv.StartTLS()
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

// Deadlines puts d in force for the test (sources built afterwards obey
// it) and the ones before back when it ends.
func Deadlines(t testing.TB, d netwait.Deadlines) {
	saved := netwait.Current()
	netwait.Set(d)
	t.Cleanup(func() { netwait.Set(saved) })
}

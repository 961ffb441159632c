package demo

import (
	"context"
	"testing"
)

// startWorld starts a world that the test closes when it ends.
func startWorld(t testing.TB, o Options) *World {
	t.Helper()
	w, err := Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	return w
}

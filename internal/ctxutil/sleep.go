// Package ctxutil holds context helpers shared by ferry's long-running parts.
package ctxutil

import (
	"context"
	"time"
)

// Sleep waits d or until ctx ends, whichever comes first; it returns
// ctx.Err() when the context ended the wait.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

package registry

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestFlightSharesOneLookup(t *testing.T) {
	var f flight[int]
	var calls atomic.Int32
	release := make(chan struct{})
	results := make(chan int)
	for range 8 {
		go func() {
			v, _ := f.do(context.Background(), "k", func() (int, error) {
				calls.Add(1)
				<-release
				return 7, nil
			})
			results <- v
		}()
	}
	for f.waiting("k") < 7 {
		time.Sleep(time.Millisecond) // polling until the callers queue up, not timing
	}
	close(release)
	for range 8 {
		if v := <-results; v != 7 {
			t.Errorf("got %d, want 7", v)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d lookups, want 1", n)
	}

	// A leader whose caller gave up does not fail the others: they ask again.
	leaderCtx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go func() {
		_, _ = f.do(leaderCtx, "g", func() (int, error) {
			close(started)
			<-leaderCtx.Done()
			return 0, &Fault{Kind: FaultOther, Message: "lookup cancelled", callerGone: true}
		})
	}()
	<-started
	got := make(chan int)
	go func() {
		v, _ := f.do(context.Background(), "g", func() (int, error) { return 9, nil })
		got <- v
	}()
	for f.waiting("g") < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if v := <-got; v != 9 {
		t.Errorf("after the leader gave up: %d, want 9 from asking again", v)
	}
}

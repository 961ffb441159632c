package model

import (
	"strings"
	"testing"
	"time"
)

func TestAnnotateRolloutsMarksTheNewestChangeOfEachImage(t *testing.T) {
	ready := time.Date(2026, 12, 1, 10, 4, 0, 0, time.UTC)
	older, newer := "sha256:"+strings.Repeat("a", 64), "sha256:"+strings.Repeat("b", 64)
	w := &World{
		Registry: map[string]RegistryFacts{"reg/api:2.0": {Digest: newer}},
		Live: map[ImageKey]LiveFacts{
			{App: "api", Env: "prod", Image: "api"}:     {Digests: map[string]int{newer: 3}, Desired: 3, RolloutComplete: true, ReadyAt: map[string]time.Time{newer: ready}},
			{App: "api", Env: "test", Image: "api"}:     {Digests: map[string]int{older: 2, newer: 1}, Desired: 3},
			{App: "web", Env: "prod", Image: "web"}:     {Digests: map[string]int{older: 2}, Desired: 2, RolloutComplete: true},
			{App: "db", Env: "prod", Image: "db"}:       {Digests: map[string]int{UnknownDigest: 1}, Desired: 1, RolloutComplete: true},
			{App: "cache", Env: "prod", Image: "redis"}: {Digests: map[string]int{older: 1}, Desired: 1, RolloutComplete: true},
		},
	}
	tagged := ImageRef{Repository: "reg/api", Tag: "2.0"}
	pinned := ImageRef{Repository: "reg/x", Digest: newer}
	entries := []HistoryEntry{
		{App: "api", Env: "prod", Image: "api", To: tagged},                                  // resolved through the registry: done
		{App: "api", Env: "test", Image: "api", To: pinned},                                  // one of three pods: in progress
		{App: "web", Env: "prod", Image: "web", To: pinned},                                  // no pod runs it yet
		{App: "db", Env: "prod", Image: "db", To: pinned},                                    // pods without digests
		{App: "api", Env: "prod", Image: "api", To: pinned},                                  // older change: replaced, no rollout
		{App: "gone", Env: "prod", Image: "gone", To: pinned},                                // no cluster read for it
		{App: "cache", Env: "prod", Image: "redis", To: ImageRef{Repository: "r", Tag: "7"}}, // tag the registry never resolved
	}
	w.AnnotateRollouts(entries)
	want := []RolloutState{RolloutDone, RolloutInProgress, RolloutNotStarted, RolloutUnknown, "", "", RolloutUnknown}
	for i, e := range entries {
		got := RolloutState("")
		if e.Rollout != nil {
			got = e.Rollout.State
		}
		if got != want[i] {
			t.Errorf("entry %d (%s/%s): rollout %q, want %q", i, e.App, e.Env, got, want[i])
		}
	}
	if r := entries[0].Rollout; r.ReadyAt == nil || !r.ReadyAt.Equal(ready) || r.Pods != 3 {
		t.Errorf("done rollout = %+v, want 3 pods ready at %s", r, ready)
	}
	if r := entries[1].Rollout; r.Pods != 1 || r.Desired != 3 {
		t.Errorf("rolling = %+v, want 1 of 3", r)
	}
}

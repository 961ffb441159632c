package model

import "time"

// RolloutState is how far a change that entered an environment has come in
// the cluster that runs it.
type RolloutState string

const (
	// RolloutDone: every pod runs the change's artifact and the workload
	// has finished rolling out.
	RolloutDone RolloutState = "done"
	// RolloutInProgress: some pods run it, or the workload is still rolling.
	RolloutInProgress RolloutState = "in progress"
	// RolloutNotStarted: no pod runs it yet.
	RolloutNotStarted RolloutState = "not started"
	// RolloutUnknown: the pods do not say which digest they run, or the
	// change's artifact has no known digest to compare with.
	RolloutUnknown RolloutState = "unknown"
)

// Rollout is the cluster's side of one change: when its pods became ready,
// or how many run it so far.
type Rollout struct {
	State RolloutState `json:"state"`
	// Pods run the change's artifact, of Desired.
	Pods    int `json:"pods"`
	Desired int `json:"desired"`
	// ReadyAt is when the last of those pods became ready (set when done
	// and the pods report it).
	ReadyAt *time.Time `json:"readyAt,omitempty"`
}

// AnnotateRollouts sets the Rollout of the newest change of every cell
// image whose cluster was read: entries are newest first, so an older
// change of the same image is what ran before, and gets none.
func (w *World) AnnotateRollouts(entries []HistoryEntry) {
	seen := map[ImageKey]bool{}
	for i := range entries {
		e := &entries[i]
		k := ImageKey{App: e.App, Env: e.Env, Image: e.Image}
		if seen[k] {
			continue
		}
		seen[k] = true
		if lf, ok := w.Live[k]; ok {
			r := w.rolloutOf(e.To, lf)
			e.Rollout = &r
		}
	}
}

// rolloutOf compares what the pods run with the artifact a change declared.
func (w *World) rolloutOf(to ImageRef, lf LiveFacts) Rollout {
	reg, hasFacts := w.Registry[to.String()]
	want := to.Digest
	if want == "" {
		want = reg.Digest
	}
	r := Rollout{Desired: lf.Desired}
	if want == "" {
		r.State = RolloutUnknown
		return r
	}
	var regp *RegistryFacts
	if hasFacts {
		regp = &reg
	}
	running, unknown := 0, 0
	var readyAt time.Time
	for digest, pods := range lf.Digests {
		running += pods
		switch {
		case digest == UnknownDigest:
			unknown += pods
		case SameArtifact(digest, want, regp):
			r.Pods += pods
			if t := lf.ReadyAt[digest]; t.After(readyAt) {
				readyAt = t
			}
		}
	}
	switch {
	case r.Pods == 0 && unknown > 0:
		r.State = RolloutUnknown
	case r.Pods == 0:
		r.State = RolloutNotStarted
	case r.Pods < running || !lf.RolloutComplete:
		r.State = RolloutInProgress
	default:
		r.State = RolloutDone
		if !readyAt.IsZero() {
			r.ReadyAt = &readyAt
		}
	}
	return r
}

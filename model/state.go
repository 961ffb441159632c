package model

// State is the verdict on one image or cell, spelled as in JSON.
type State string

// The states, most urgent first (see DESIGN.md).
const (
	StateError    State = "error"
	StateDrift    State = "drift"
	StatePending  State = "pending"
	StateRolling  State = "rolling"
	StateTagMoved State = "tag-moved"
	StateBehind   State = "behind"
	StateUnknown  State = "unknown"
	StateInSync   State = "in-sync"
	StateMissing  State = "missing"
)

// urgency orders states; lower is more urgent. Unknown ranks above in-sync:
// a cell is only in sync when every image is known to be.
var urgency = map[State]int{
	StateError: 0, StateDrift: 1, StatePending: 2, StateRolling: 3,
	StateTagMoved: 4, StateBehind: 5, StateUnknown: 6, StateInSync: 7, StateMissing: 8,
}

// AllStates lists every state, most urgent first.
func AllStates() []State {
	return []State{StateError, StateDrift, StatePending, StateRolling,
		StateTagMoved, StateBehind, StateUnknown, StateInSync, StateMissing}
}

// MoreUrgent reports whether s needs attention before t.
func (s State) MoreUrgent(t State) bool { return urgency[s] < urgency[t] }

// MostUrgent returns the most urgent of states, or StateMissing for none.
func MostUrgent(states ...State) State {
	out := StateMissing
	for _, s := range states {
		if s.MoreUrgent(out) {
			out = s
		}
	}
	return out
}

// ImageFacts is everything known about one image of an app in one
// environment: the inputs of ImageState.
type ImageFacts struct {
	Declared   *Declared
	Registry   *RegistryFacts
	Live       *LiveFacts
	Controller *ControllerFacts
	// Failed is true when a source failed for this image or its cell.
	Failed bool
	// UpstreamNewer is true when an upstream environment runs (or declares)
	// a newer artifact of the same image: promotable.
	UpstreamNewer bool
}

// ImageState is the one function that decides an image's state from its
// facts. Git alone cannot say "in sync": that needs the cluster.
func ImageState(f ImageFacts) State {
	switch {
	case f.Failed:
		return StateError
	case f.Declared == nil:
		return StateMissing
	}
	var states []State
	if f.Live != nil {
		states = append(states, f.liveState())
	} else if f.Controller != nil && !f.Controller.Applied {
		states = append(states, StatePending)
	}
	if f.Declared.NextName() != "" {
		states = append(states, StatePending) // hydrated on the -next branch, not yet promoted
	}
	if f.Registry != nil && f.Registry.TagMoved {
		states = append(states, StateTagMoved)
	}
	if f.UpstreamNewer {
		states = append(states, StateBehind)
	}
	if len(states) == 0 {
		return StateUnknown
	}
	return MostUrgent(states...)
}

// liveState compares the pods with the declared artifact.
func (f ImageFacts) liveState() State {
	want := f.DeclaredDigest()
	running, matching, unknown := 0, 0, 0
	for digest, pods := range f.Live.Digests {
		running += pods
		switch {
		case digest == UnknownDigest:
			unknown += pods
		case want != "" && SameArtifact(digest, want, f.Registry):
			matching += pods
		}
	}
	switch {
	case want == "" || (matching == 0 && unknown > 0):
		// Without a digest to compare, or pods that do not report one,
		// ferry does not guess.
		return StateUnknown
	case matching == 0 && running == 0 && f.Live.Desired == 0:
		return StateUnknown
	case matching == 0:
		if f.Controller != nil && (!f.Controller.Applied || !f.Controller.Synced) {
			return StatePending
		}
		return StateDrift
	case matching < running || !f.Live.RolloutComplete:
		return StateRolling
	}
	return StateInSync
}

// DeclaredDigest is the digest Git pins, or the one the registry resolved
// the declared tag to; "" when neither is known.
func (f ImageFacts) DeclaredDigest() string {
	if f.Declared != nil && f.Declared.Ref.Digest != "" {
		return f.Declared.Ref.Digest
	}
	if f.Registry != nil {
		return f.Registry.Digest
	}
	return ""
}

// SameArtifact reports whether two digests name the same artifact: equal, or
// one is a platform child of the other in the index the registry described.
func SameArtifact(a, b string, reg *RegistryFacts) bool {
	if a == b {
		return true
	}
	if reg == nil {
		return false
	}
	index := reg.Digest
	if reg.PlatformOf != "" {
		index = reg.PlatformOf
	}
	inFamily := func(d string) bool {
		if d == index || d == reg.Digest {
			return true
		}
		for _, child := range reg.Platforms {
			if child == d {
				return true
			}
		}
		return false
	}
	return inFamily(a) && inFamily(b) && (a == index || b == index)
}

// Findings are facts worth a note that are not states of their own.
func (f ImageFacts) Findings() []string {
	var out []string
	if f.Registry != nil && f.Registry.PlatformOf != "" {
		out = append(out, "pinned to one platform: "+ShortDigest(f.Registry.Digest)+
			" is a child of index "+ShortDigest(f.Registry.PlatformOf))
	}
	return out
}

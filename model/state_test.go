package model

import "testing"

const (
	dIndex = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	dAmd   = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	dArm   = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
	dOther = "sha256:4444444444444444444444444444444444444444444444444444444444444444"
)

func pinned(d string) *Declared {
	return &Declared{Name: "api", Ref: ImageRef{Repository: "ghcr.io/shop/api", Tag: "v1", Digest: d}}
}

func tagOnly() *Declared {
	return &Declared{Name: "api", Ref: ImageRef{Repository: "ghcr.io/shop/api", Tag: "v1"}}
}

func live(complete bool, digests map[string]int) *LiveFacts {
	n := 0
	for _, c := range digests {
		n += c
	}
	return &LiveFacts{Digests: digests, Desired: n, Ready: n, Updated: n, RolloutComplete: complete}
}

var multiArch = &RegistryFacts{Digest: dIndex, Index: true,
	Platforms: map[string]string{"linux/amd64": dAmd, "linux/arm64": dArm}}

func TestImageState(t *testing.T) {
	synced := &ControllerFacts{Kind: "Application", Synced: true, Applied: true}
	notApplied := &ControllerFacts{Kind: "Application", Synced: false, Applied: false}
	tests := []struct {
		name string
		in   ImageFacts
		want State
	}{
		{"nothing declared", ImageFacts{}, StateMissing},
		{"a source failed", ImageFacts{Declared: pinned(dIndex), Failed: true}, StateError},
		{"git alone cannot tell", ImageFacts{Declared: tagOnly()}, StateUnknown},
		{"git alone sees upstream newer", ImageFacts{Declared: tagOnly(), UpstreamNewer: true}, StateBehind},
		{"in sync by digest", ImageFacts{Declared: pinned(dIndex), Live: live(true, map[string]int{dIndex: 3})}, StateInSync},
		{"in sync: pods report platform digests of the pinned index",
			ImageFacts{Declared: pinned(dIndex), Registry: multiArch, Live: live(true, map[string]int{dAmd: 2, dArm: 1})}, StateInSync},
		{"in sync: git pins a platform child, pods report the index",
			ImageFacts{Declared: pinned(dAmd), Registry: &RegistryFacts{Digest: dAmd, PlatformOf: dIndex,
				Platforms: multiArch.Platforms}, Live: live(true, map[string]int{dIndex: 2})}, StateInSync},
		{"platform digest without registry facts is not assumed equal",
			ImageFacts{Declared: pinned(dIndex), Live: live(true, map[string]int{dAmd: 2})}, StateDrift},
		{"tag resolved by the registry, in sync",
			ImageFacts{Declared: tagOnly(), Registry: &RegistryFacts{Digest: dIndex}, Live: live(true, map[string]int{dIndex: 1})}, StateInSync},
		{"drift: no controller, pods run another digest",
			ImageFacts{Declared: pinned(dIndex), Live: live(true, map[string]int{dOther: 2})}, StateDrift},
		{"drift: controller says synced yet pods differ",
			ImageFacts{Declared: pinned(dIndex), Controller: synced, Live: live(true, map[string]int{dOther: 2})}, StateDrift},
		{"pending: controller has not applied the commit",
			ImageFacts{Declared: pinned(dIndex), Controller: notApplied, Live: live(true, map[string]int{dOther: 2})}, StatePending},
		{"pending without live facts",
			ImageFacts{Declared: pinned(dIndex), Controller: notApplied}, StatePending},
		{"pending: the -next branch holds another artifact, not yet promoted",
			ImageFacts{Declared: withNext(pinned(dIndex), dOther)}, StatePending},
		{"a -next branch that agrees changes nothing",
			ImageFacts{Declared: withNext(pinned(dIndex), dIndex), Live: live(true, map[string]int{dIndex: 3})}, StateInSync},
		{"rolling: mixed digests",
			ImageFacts{Declared: pinned(dIndex), Live: live(false, map[string]int{dIndex: 1, dOther: 2})}, StateRolling},
		{"rolling: all new pods but rollout not complete",
			ImageFacts{Declared: pinned(dIndex), Live: live(false, map[string]int{dIndex: 3})}, StateRolling},
		{"unknown: runtime reports no repo digest",
			ImageFacts{Declared: pinned(dIndex), Live: live(true, map[string]int{UnknownDigest: 2})}, StateUnknown},
		{"tag moved outranks behind",
			ImageFacts{Declared: pinned(dIndex), Registry: &RegistryFacts{Digest: dIndex, TagMoved: true, TagDigest: dOther},
				UpstreamNewer: true}, StateTagMoved},
		{"drift outranks tag moved",
			ImageFacts{Declared: pinned(dIndex), Registry: &RegistryFacts{Digest: dIndex, TagMoved: true},
				Live: live(true, map[string]int{dOther: 1})}, StateDrift},
		{"behind while in sync",
			ImageFacts{Declared: pinned(dIndex), Live: live(true, map[string]int{dIndex: 1}), UpstreamNewer: true}, StateBehind},
		{"error outranks all", ImageFacts{Declared: pinned(dIndex), Failed: true,
			Live: live(true, map[string]int{dOther: 1})}, StateError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ImageState(tt.in); got != tt.want {
				t.Errorf("ImageState = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSameArtifact(t *testing.T) {
	tests := []struct {
		a, b string
		reg  *RegistryFacts
		want bool
	}{
		{dIndex, dIndex, nil, true},
		{dIndex, dAmd, nil, false},
		{dIndex, dAmd, multiArch, true},
		{dArm, dIndex, multiArch, true},
		{dAmd, dArm, multiArch, false}, // two platforms are two manifests
		{dOther, dIndex, multiArch, false},
	}
	for _, tt := range tests {
		if got := SameArtifact(tt.a, tt.b, tt.reg); got != tt.want {
			t.Errorf("SameArtifact(%s, %s) = %v, want %v", ShortDigest(tt.a), ShortDigest(tt.b), got, tt.want)
		}
	}
}

func TestPinnedToOnePlatformFinding(t *testing.T) {
	f := ImageFacts{Declared: pinned(dAmd), Registry: &RegistryFacts{Digest: dAmd, PlatformOf: dIndex}}
	if got := f.Findings(); len(got) != 1 {
		t.Fatalf("findings = %v, want one 'pinned to one platform'", got)
	}
	if got := (ImageFacts{Declared: pinned(dIndex), Registry: multiArch}).Findings(); len(got) != 0 {
		t.Errorf("an index pin has findings %v", got)
	}
}

func TestMostUrgent(t *testing.T) {
	if got := MostUrgent(StateInSync, StateBehind, StateRolling); got != StateRolling {
		t.Errorf("got %s", got)
	}
	if got := MostUrgent(StateInSync, StateUnknown); got != StateUnknown {
		t.Errorf("a cell with an unknown image is not in sync: got %s", got)
	}
	if got := MostUrgent(); got != StateMissing {
		t.Errorf("no images: got %s", got)
	}
}

func withNext(d *Declared, digest string) *Declared {
	next := d.Ref
	next.Digest = digest
	d.Next = &next
	return d
}

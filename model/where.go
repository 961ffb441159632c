package model

import "strings"

// Reach says how far a commit has come in one environment.
type Reach string

const (
	// ReachExactly: the artifact that runs was built from that commit.
	ReachExactly Reach = "exactly"
	// ReachContained: it was built from a later commit that descends from it.
	ReachContained Reach = "contained"
	// ReachNotYet: what runs does not hold the commit.
	ReachNotYet Reach = "not-yet"
	// ReachUnknown: the artifact names no revision, or one the app's
	// source repo does not have.
	ReachUnknown Reach = "unknown"
)

// Revision is the source commit an image's artifact was built from, and
// which truth said so: the pods ("live") when a cluster was read, else the
// artifact Git declares ("declared").
func (img ImageStatus) Revision(digestFacts func(digest string) (RegistryFacts, bool)) (revision, truth string) {
	if img.Live != nil && len(img.Live.Digests) > 0 {
		best, pods := "", 0
		for d, n := range img.Live.Digests {
			if n > pods && d != UnknownDigest {
				best, pods = d, n
			}
		}
		if f, ok := digestFacts(best); ok && f.Revision != "" {
			return f.Revision, "live"
		}
		if img.Registry != nil && SameArtifact(best, img.Facts.DeclaredDigest(), img.Registry) {
			return img.Registry.Revision, "live"
		}
		return "", "live"
	}
	if img.Registry != nil {
		return img.Registry.Revision, "declared"
	}
	return "", "declared"
}

// SameRevision compares a full commit hash with one an image may carry
// abbreviated.
func SameRevision(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(b, a) && len(a) >= 7
}

// FactsOfDigest finds what the registry said of a digest: an artifact
// declared by it, or an index holding it as one platform's manifest.
func (w *World) FactsOfDigest(digest string) (RegistryFacts, bool) {
	for _, f := range w.Registry {
		if f.Digest == digest {
			return f, true
		}
		for _, child := range f.Platforms {
			if child == digest {
				return f, true
			}
		}
	}
	return RegistryFacts{}, false
}

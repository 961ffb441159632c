package model

import (
	"strings"
	"time"
)

// ImageRef is an image reference as written in Git or in a pod spec, split
// into its parts. Repository never carries a tag or a digest.
type ImageRef struct {
	Repository string `json:"repository"`       // e.g. "registry.example.org/shop/search-api"
	Tag        string `json:"tag,omitempty"`    // "" when the reference names no tag
	Digest     string `json:"digest,omitempty"` // "sha256:…", "" when the reference pins no digest
}

// String renders the reference the way a container runtime accepts it.
func (r ImageRef) String() string {
	var b strings.Builder
	b.WriteString(r.Repository)
	if r.Tag != "" {
		b.WriteString(":" + r.Tag)
	}
	if r.Digest != "" {
		b.WriteString("@" + r.Digest)
	}
	return b.String()
}

// IsZero reports whether the reference names nothing.
func (r ImageRef) IsZero() bool { return r == ImageRef{} }

// Identity is everything ferry knows about one artifact: the three names a
// human, a source tree and a registry use for it, plus provenance.
//
// "Version numbers are for humans. Digests are for truth." Identities compare
// by digest (see SameArtifact); Version and Tag are for display.
type Identity struct {
	Repository string    `json:"repository"`
	Tag        string    `json:"tag,omitempty"`
	Digest     string    `json:"digest,omitempty"`
	Version    string    `json:"version,omitempty"`  // org.opencontainers.image.version, else the tag
	Revision   string    `json:"revision,omitempty"` // org.opencontainers.image.revision
	Source     string    `json:"source,omitempty"`   // org.opencontainers.image.source
	Created    time.Time `json:"created,omitzero"`
}

// Ref returns the reference part of the identity.
func (i Identity) Ref() ImageRef {
	return ImageRef{Repository: i.Repository, Tag: i.Tag, Digest: i.Digest}
}

// ShortDigest shortens "sha256:abcdef…" to "sha256:abcdef1" style for display.
func ShortDigest(d string) string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok {
		return d
	}
	if len(hex) > 12 {
		hex = hex[:12]
	}
	return alg + ":" + hex
}

// ShortRevision shortens a commit hash to seven characters.
func ShortRevision(r string) string {
	if len(r) > 7 && isHex(r) {
		return r[:7]
	}
	return r
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

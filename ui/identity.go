package ui

import "github.com/ferryhq/ferry/model"

// IdentityView chooses which of an artifact's three names a cell shows.
type IdentityView int

const (
	ShowVersion IdentityView = iota
	ShowCommit
	ShowDigest
)

// ParseIdentityView reads --show: "version", "commit" or "digest".
func ParseIdentityView(s string) (IdentityView, bool) {
	switch s {
	case "version", "":
		return ShowVersion, true
	case "commit":
		return ShowCommit, true
	case "digest":
		return ShowDigest, true
	}
	return ShowVersion, false
}

// Next cycles version → commit → digest → version.
func (v IdentityView) Next() IdentityView { return (v + 1) % 3 }

// String names the view as --show spells it.
func (v IdentityView) String() string {
	return [...]string{"version", "commit", "digest"}[v%3]
}

// Label names an image the chosen way, falling back to what is known: Git
// alone knows a tag or a digest, the registry adds version and commit. The
// text comes from outside and is cleaned for the terminal.
func Label(img model.ImageStatus, v IdentityView) string {
	return Clean(label(img, v))
}

// ArtifactKey is what colours an image's label: its digest (its commit in
// the commit view), so one artifact has one colour in every environment.
func ArtifactKey(img model.ImageStatus, v IdentityView) string {
	if v == ShowCommit && img.Registry != nil && img.Registry.Revision != "" {
		return img.Registry.Revision
	}
	return img.Facts.DeclaredDigest()
}

func label(img model.ImageStatus, v IdentityView) string {
	d, reg := img.Facts.Declared, img.Registry
	if d == nil {
		return ""
	}
	digest := d.Ref.Digest
	if reg != nil && reg.Digest != "" {
		digest = reg.Digest
	}
	switch v {
	case ShowCommit:
		if reg != nil && reg.Revision != "" {
			return "@" + model.ShortRevision(reg.Revision)
		}
	case ShowDigest:
		if digest != "" {
			return model.ShortDigest(digest)
		}
	}
	switch {
	case reg != nil && reg.Version != "":
		return reg.Version
	case d.Ref.Tag != "":
		return d.Ref.Tag
	case digest != "":
		return model.ShortDigest(digest)
	}
	return "latest"
}

package cluster

import (
	"strings"

	"github.com/ferryhq/ferry/model"
)

// RunningImage is what a container status says about the artifact it runs.
type RunningImage struct {
	// Repository is the repository named in the imageID, "" when the form
	// names none.
	Repository string
	// Digest is the repository (manifest or index) digest, or
	// model.UnknownDigest when the runtime reported none.
	Digest string
}

// runtimePrefixes are the scheme-like prefixes runtimes put before an
// imageID. "docker://" carries a local image (config) ID, never a
// repository digest.
var runtimePrefixes = []string{"docker-pullable://", "containerd://", "cri-o://", "docker://"}

// ParseImageID reads status.containerStatuses[].imageID in every runtime
// form: "docker-pullable://repo@sha256:…", "repo@sha256:…" (containerd,
// CRI-O), "repo:tag@sha256:…", a bare "sha256:…" or hex config ID, or
// "docker://sha256:…". Only a form that names a repository digest yields
// one; everything else is model.UnknownDigest, never a guess.
func ParseImageID(imageID string) RunningImage {
	unknown := RunningImage{Digest: model.UnknownDigest}
	id := strings.TrimSpace(imageID)
	for _, p := range runtimePrefixes {
		if rest, ok := strings.CutPrefix(id, p); ok {
			if p == "docker://" {
				return unknown
			}
			id = rest
			break
		}
	}
	repo, digest, ok := cutLast(id, "@")
	if !ok || repo == "" || !validDigest(digest) {
		// A bare config ID ("sha256:…" or 64 hex digits) names the image
		// on one node, not the artifact in a registry.
		return unknown
	}
	if name, _, hasTag := cutTag(repo); hasTag {
		repo = name
	}
	return RunningImage{Repository: repo, Digest: digest}
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// cutTag splits "host:5000/repo:tag" into repository and tag; a colon
// before the last slash belongs to a registry port.
func cutTag(ref string) (repo, tag string, ok bool) {
	i := strings.LastIndex(ref, ":")
	if i < 0 || strings.Contains(ref[i:], "/") {
		return ref, "", false
	}
	return ref[:i], ref[i+1:], true
}

// validDigest accepts "sha256:<64 hex>" and "sha512:<128 hex>".
func validDigest(d string) bool {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok {
		return false
	}
	want := map[string]int{"sha256": 64, "sha512": 128}[alg]
	if want == 0 || len(hex) != want {
		return false
	}
	for _, c := range hex {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

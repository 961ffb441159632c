package model

import "time"

// RegistryFacts is what the registry says about one declared reference. They
// describe the artifact the declaration pins: a declaration with a tag and a
// digest is described by its digest.
type RegistryFacts struct {
	Digest    string            `json:"digest,omitempty"`
	Index     bool              `json:"index"`
	Platforms map[string]string `json:"platforms,omitempty"` // "linux/amd64" → child digest
	Version   string            `json:"version,omitempty"`
	Revision  string            `json:"revision,omitempty"`
	Source    string            `json:"source,omitempty"`
	Created   *time.Time        `json:"created,omitempty"`
	// TagMoved is true when the declaration pins a digest and names a tag
	// that now resolves to another digest (TagDigest).
	TagMoved  bool   `json:"tagMoved"`
	TagDigest string `json:"tagDigest,omitempty"`
	// PlatformOf is set when Digest is one platform's manifest inside an
	// index: the index digest. A Git pin to it is "pinned to one platform".
	PlatformOf string `json:"platformOf,omitempty"`
}

// UnknownDigest stands for a running container whose imageID carries no
// repository digest (a bare config ID, or a runtime form that says nothing).
const UnknownDigest = "unknown"

// LiveFacts is what one cluster runs for one image of an app.
type LiveFacts struct {
	// Digests counts pods per running digest; UnknownDigest counts pods whose
	// runtime did not report a repository digest.
	Digests   map[string]int `json:"digests"`
	Desired   int            `json:"desired"`
	Ready     int            `json:"ready"`
	Updated   int            `json:"updated"`
	Available int            `json:"available"`
	SpecImage string         `json:"specImage,omitempty"`
	Version   string         `json:"version,omitempty"` // app.kubernetes.io/version label
	// RolloutComplete is false while the workload controller has not
	// observed the latest generation or not all replicas are updated.
	RolloutComplete bool `json:"rolloutComplete"`
	// ReadyAt is, per running digest, when the last of its ready pods
	// became ready: the moment a rollout of that artifact finished.
	ReadyAt map[string]time.Time `json:"readyAt,omitempty"`
}

// ControllerFacts is what a GitOps controller (Argo CD, Flux) says about the
// environment an app is deployed to.
type ControllerFacts struct {
	Kind     string `json:"kind"` // "Application", "Kustomization", "HelmRelease"
	Name     string `json:"name,omitempty"`
	Revision string `json:"revision"` // last applied Git revision
	Synced   bool   `json:"synced"`
	Healthy  bool   `json:"healthy"`
	// Applied is true when Revision contains the Git commit that last
	// changed this cell's declaration (the source decides, it can read
	// history); false means the controller has not applied it yet.
	Applied bool `json:"applied"`
}

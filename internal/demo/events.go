package demo

import (
	"fmt"

	"github.com/ferryhq/ferry/model"
)

// EventKind names a step of the simulated GitOps controller.
type EventKind string

const (
	// CommitSeen: a new commit landed on the remote's branch.
	CommitSeen EventKind = "commit-seen"
	// DeploymentUpdated: the controller applied a new image to a
	// Deployment (or created it); pods follow one by one.
	DeploymentUpdated EventKind = "deployment-updated"
	// PodReplaced: one more pod runs the new image.
	PodReplaced EventKind = "pod-replaced"
	// AppSynced: every pod runs the new image and the Application reports
	// the commit as synced and healthy.
	AppSynced EventKind = "app-synced"
	// SyncSkipped: the Application syncs by hand; the commit stays pending.
	SyncSkipped EventKind = "sync-skipped"
	// ReconcileFailed: the commit could not be applied (broken YAML, an
	// image the registry does not have).
	ReconcileFailed EventKind = "reconcile-failed"
)

// Event is one step of the controller.
type Event struct {
	Kind   EventKind
	Commit string // the commit being applied
	App    string // "" for CommitSeen
	Env    string
	Image  string // the image rolled out
	Digest string // the digest its pods report
	Pod    string // PodReplaced: the new pod
	// Updated of Desired pods run the new image.
	Updated, Desired int
	Err              error
}

func (e Event) String() string {
	where := e.App + "@" + e.Env
	switch e.Kind {
	case CommitSeen:
		return fmt.Sprintf("commit %s landed on main", model.ShortRevision(e.Commit))
	case DeploymentUpdated:
		return fmt.Sprintf("%s: deployment now wants %s", where, e.Image)
	case PodReplaced:
		return fmt.Sprintf("%s: pod %s runs %s (%d/%d)", where, e.Pod, model.ShortDigest(e.Digest), e.Updated, e.Desired)
	case AppSynced:
		return fmt.Sprintf("%s: synced to %s, healthy", where, model.ShortRevision(e.Commit))
	case SyncSkipped:
		return fmt.Sprintf("%s: manual sync, %s stays pending", where, model.ShortRevision(e.Commit))
	}
	return fmt.Sprintf("%s: cannot apply %s: %v", where, model.ShortRevision(e.Commit), e.Err)
}

package model

import (
	"maps"
	"slices"
	"time"
)

// Update is one source's news: the facts it knows now. Sources stream
// updates; World.Apply merges each, replacing only what that source said
// before, so the console and `ferry status` build the same world from the
// same stream. Apply never writes into a map or slice the world held
// before: a copy of the World struct is a snapshot another goroutine may
// read while the world moves on.
type Update interface {
	apply(w *World)
}

// Apply merges one update into the world.
func (w *World) Apply(u Update) { u.apply(w) }

// GitUpdate is a complete reading of the GitOps repo at one commit.
type GitUpdate struct {
	Environments Environments
	Apps         []string
	Declared     []Declared
	// Problems are Git's (Source "git"): files ferry could not read or place.
	Problems []CellProblem
	// Commit is the commit read ("" for a work tree with changes).
	Commit string
	// Took is how long the reading took.
	Took time.Duration
}

func (u GitUpdate) apply(w *World) {
	w.Environments, w.Apps, w.Declared = u.Environments, u.Apps, u.Declared
	w.replaceProblems(SourceGit, u.Problems)
	w.Progress.Git = GitProgress{Read: true, Commit: u.Commit, Took: u.Took, Reads: w.Progress.Git.Reads + 1}
}

// GitFailed says a re-reading of the repo failed; the last reading stays.
type GitFailed struct {
	Problem Problem
}

func (u GitFailed) apply(w *World) {
	w.Progress.Git.Failure = u.Problem.Error()
}

// RegistryUpdate carries the registry's answers for some references, keyed
// by ImageRef.String(), and how far the current round of questions is.
type RegistryUpdate struct {
	Facts    map[string]RegistryFacts
	Problems map[string][]Problem
	Done     int // references answered in this round
	Total    int // references asked in this round
}

func (u RegistryUpdate) apply(w *World) {
	if len(u.Facts)+len(u.Problems) > 0 {
		// Copy on write: a grid being derived from the world as it was
		// keeps reading the old maps.
		w.Registry, w.RegistryProblems = maps.Clone(w.Registry), maps.Clone(w.RegistryProblems)
		if w.Registry == nil {
			w.Registry = map[string]RegistryFacts{}
		}
		if w.RegistryProblems == nil {
			w.RegistryProblems = map[string][]Problem{}
		}
	}
	// An answer replaces everything known of its reference: a registry
	// that recovered clears its old problem.
	for ref, f := range u.Facts {
		w.Registry[ref] = f
		if _, failed := u.Problems[ref]; !failed {
			delete(w.RegistryProblems, ref)
		}
	}
	for ref, ps := range u.Problems {
		if _, ok := u.Facts[ref]; !ok {
			delete(w.Registry, ref)
		}
		w.RegistryProblems[ref] = ps
	}
	w.Progress.Registry = RegistryProgress{Asked: true, Done: u.Done, Total: u.Total}
}

// ClusterUpdate is a complete snapshot of what the clusters run.
type ClusterUpdate struct {
	Live        map[ImageKey]LiveFacts
	Controllers map[CellKey]ControllerFacts
	// Problems are the clusters' (Source "cluster").
	Problems []CellProblem
	// Envs says per environment with a cluster whether it answered.
	Envs map[string]ClusterProgress
}

func (u ClusterUpdate) apply(w *World) {
	w.Live, w.Controllers = u.Live, u.Controllers
	w.replaceProblems(SourceCluster, u.Problems)
	w.Progress.Clusters = u.Envs
}

// SourcesUpdate says which sources will report, before any does: a reader
// can then tell "every source answered" from "some have not begun".
type SourcesUpdate struct {
	Registry bool
	Clusters bool
}

func (u SourcesUpdate) apply(w *World) {
	w.Progress.Expect = u
}

// The sources' names, as Problem.Source spells them.
const (
	SourceGit      = "git"
	SourceRegistry = "registry"
	SourceCluster  = "cluster"
)

// replaceProblems drops the problems one source reported before and keeps
// the new ones.
func (w *World) replaceProblems(source string, ps []CellProblem) {
	kept := slices.DeleteFunc(slices.Clone(w.Problems), func(p CellProblem) bool { return p.Source == source })
	w.Problems = append(kept, ps...)
}

// Progress says how far each source has come, for the console's progress
// line and for `ferry status`, which waits until every source answered.
type Progress struct {
	Expect   SourcesUpdate // the sources that will report
	Git      GitProgress
	Registry RegistryProgress
	// Clusters holds one entry per environment that has a cluster; nil
	// until the clusters are read at all.
	Clusters map[string]ClusterProgress
}

// Settled reports whether every source that will report has answered
// once: before that, cells fill in rather than change.
func (p Progress) Settled() bool {
	if !p.Git.Read || (p.Expect.Registry && !p.Registry.Finished()) {
		return false
	}
	if p.Expect.Clusters && p.Clusters == nil {
		return false
	}
	for _, c := range p.Clusters {
		if !c.Answered() {
			return false
		}
	}
	return true
}

// GitProgress is the state of the repo reading.
type GitProgress struct {
	Read    bool // a reading arrived
	Commit  string
	Took    time.Duration
	Reads   int    // readings so far (the first, then one per branch move)
	Failure string // the last re-reading failed: why (the last good one stays)
}

// RegistryProgress counts the references of the current round.
type RegistryProgress struct {
	Asked       bool
	Done, Total int
}

// Finished reports whether every reference of the round is answered.
func (r RegistryProgress) Finished() bool { return r.Asked && r.Done >= r.Total }

// ClusterProgress is how far one environment's cluster is.
type ClusterProgress struct {
	Synced  bool   // its caches hold a full listing
	Failing bool   // it has not synced and has problems
	Context string // the kubeconfig context read
}

// Answered reports whether the environment said something final for now.
func (c ClusterProgress) Answered() bool { return c.Synced || c.Failing }

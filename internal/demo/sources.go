package demo

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Every app has a source repo of its own, as its images' revision labels
// say: two commits per build (work, then the release the build is made
// from), so "where is my commit?" has real answers on the demo — the same
// build exactly, a later build contains it, an earlier one has not got it.

// sourceRepo is one app's source history, in memory until materialized.
type sourceRepo struct {
	mem       *memory.Storage
	head      plumbing.Hash
	revisions []string // per build: the commit it was built from
}

// writeSources writes every app's source history.
func writeSources() (map[string]*sourceRepo, error) {
	out := map[string]*sourceRepo{}
	for _, app := range appPlans {
		s, err := writeSource(app)
		if err != nil {
			return nil, fmt.Errorf("demo source repo of %s: %w", app.Name, err)
		}
		out[app.Name] = s
	}
	return out, nil
}

func writeSource(app appPlan) (*sourceRepo, error) {
	s := &sourceRepo{mem: memory.NewStorage()}
	for n := 0; n < app.buildCount(); n++ {
		version := app.version(n)
		when := buildTime(n).Add(-2 * time.Hour)
		work := fmt.Sprintf("%s: work towards %s", app.Name, version)
		if err := s.commit(work, map[string]string{"CHANGES": work + "\n"}, when); err != nil {
			return nil, err
		}
		release := fmt.Sprintf("Release %s %s", app.Name, version)
		if n > 0 && version == app.version(n-1) {
			release = fmt.Sprintf("Rebuild %s %s", app.Name, version)
		}
		if err := s.commit(release, map[string]string{"VERSION": version + "\n", "CHANGES": work + "\n"}, when.Add(time.Hour)); err != nil {
			return nil, err
		}
		s.revisions = append(s.revisions, s.head.String())
	}
	return s, nil
}

// commit adds a commit on top of head with these files.
func (s *sourceRepo) commit(message string, files map[string]string, when time.Time) error {
	blobs := map[string][]byte{}
	for name, content := range files {
		blobs[name] = []byte(content)
	}
	tree, err := writeTree(s.mem, blobs)
	if err != nil {
		return err
	}
	who := object.Signature{Name: "Dev Eloper", Email: "dev@ferry-demo.invalid", When: when}
	c := &object.Commit{Author: who, Committer: who, Message: message + "\n", TreeHash: tree}
	if !s.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{s.head}
	}
	s.head, err = writeCommit(s.mem, c)
	return err
}

// materializeSources puts each app's source repo at root/src/<app>.git.
func materializeSources(root string, sources map[string]*sourceRepo) (map[string]string, error) {
	dirs := map[string]string{}
	for app, s := range sources {
		dir := filepath.Join(root, "src", app+".git")
		if _, err := materialize(dir, true, s.mem, s.head); err != nil {
			return nil, err
		}
		dirs[app] = dir
	}
	return dirs, nil
}

package gitops

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// historyDepth bounds how far back LastChanges walks: a GitOps repo's cells
// change often, and an answer "older than N commits" is as good as exact.
const historyDepth = 2000

// LastChanges returns, for each path, the commit on the first-parent line
// from head that last changed it. Paths unchanged within historyDepth commits
// map to the oldest commit walked.
//
// It compares each path's blob hash between a commit and its parent instead
// of using go-git's path-filtered Log, which is orders of magnitude slower on
// long histories (go-git#137).
func (r *Repo) LastChanges(head string, paths []string) (map[string]string, error) {
	defer r.lock()()
	out := make(map[string]string, len(paths))
	c, err := r.git.CommitObject(plumbing.NewHash(head))
	if err != nil {
		return nil, err
	}
	pending := map[string]plumbing.Hash{}
	tree, _ := c.Tree()
	for _, p := range paths {
		pending[p] = blobHash(tree, p)
	}
	for depth := 0; len(pending) > 0 && depth < historyDepth; depth++ {
		parent, err := c.Parent(0)
		if err != nil { // the root commit introduced whatever is still pending
			break
		}
		parentTree, _ := parent.Tree()
		for p, h := range pending {
			if blobHash(parentTree, p) != h {
				out[p] = c.Hash.String()
				delete(pending, p)
			}
		}
		c = parent
	}
	for p := range pending {
		out[p] = c.Hash.String()
	}
	return out, nil
}

// blobHash is the hash of a file in a tree, zero when it does not exist.
func blobHash(t *object.Tree, path string) plumbing.Hash {
	if t == nil {
		return plumbing.ZeroHash
	}
	e, err := t.FindEntry(path)
	if err != nil {
		return plumbing.ZeroHash
	}
	return e.Hash
}

// Contains reports whether revision includes commit (commit is revision or
// one of its ancestors). known is false when revision is not in this repo —
// the controller may have applied something ferry has not fetched.
func (r *Repo) Contains(revision, commit string) (contains, known bool) {
	defer r.lock()()
	rev, err := r.git.CommitObject(plumbing.NewHash(revision))
	if err != nil {
		return false, false
	}
	if revision == commit {
		return true, true
	}
	c, err := r.git.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		return false, false
	}
	ok, err := c.IsAncestor(rev)
	return ok && err == nil, err == nil
}

// Behind counts the commits that commit holds and revision does not: how
// far what runs is behind it. known is false when either is not in the
// repo, or the histories are larger than the walk allows.
func (r *Repo) Behind(revision, commit string) (n int, known bool) {
	defer r.lock()()
	have, ok := r.ancestors(revision, nil)
	if !ok {
		return 0, false
	}
	missing, ok := r.ancestors(commit, have)
	return len(missing), ok
}

// behindWalk bounds Behind's walks.
const behindWalk = 100000

// ancestors collects a commit and its ancestors, not descending into
// commits already in stop.
func (r *Repo) ancestors(from string, stop map[plumbing.Hash]bool) (map[plumbing.Hash]bool, bool) {
	seen := map[plumbing.Hash]bool{}
	queue := []plumbing.Hash{plumbing.NewHash(from)}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if seen[h] || stop[h] {
			continue
		}
		if len(seen) == behindWalk {
			return seen, false
		}
		c, err := r.git.CommitObject(h)
		if err != nil {
			return seen, false
		}
		seen[h] = true
		queue = append(queue, c.ParentHashes...)
	}
	return seen, true
}

package gitops

import (
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/sources/repotree"
)

// repoRefs lets a tree read the repository's other branches: an
// environment may live on one of its own.
type repoRefs struct{ r *Repo }

// Branches lists local branches and remote-tracking ones (origin/env/dev
// as env/dev), each once.
func (rr repoRefs) Branches() []string {
	seen := map[string]bool{}
	defer rr.r.lock()()
	refs, err := rr.r.git.References()
	if err != nil {
		return nil
	}
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		name := ref.Name()
		switch {
		case name.IsBranch():
			seen[name.Short()] = true
		case name.IsRemote():
			if _, branch, ok := strings.Cut(name.Short(), "/"); ok && branch != "HEAD" {
				seen[branch] = true
			}
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// Tree reads a branch: the local one, else origin's.
func (rr repoRefs) Tree(ref string) (*repotree.Tree, error) { return rr.r.BranchTree(ref) }

// BranchTree reads a branch (or any revision): the local one, else
// origin's — an environment branch a clone knows only as origin/<name>.
func (r *Repo) BranchTree(ref string) (*repotree.Tree, error) {
	t, err := r.Tree(ref)
	if err == nil {
		return t, nil
	}
	if remote, rerr := r.Tree("refs/remotes/origin/" + ref); rerr == nil {
		return remote, nil
	}
	return nil, err
}

package gitwrite

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// target is where a commit goes and where it is pushed from: a branch of
// a work tree (pushed to its upstream), of ferry's cached clone (pushed to
// origin), or of a bare repository on disk (nothing to push: the commit is
// already where the controllers read).
type target struct {
	repo *gitops.Repo
	// branch receives the commit; base is the branch it starts from (the
	// same unless a pull-request branch is made).
	branch, base plumbing.ReferenceName
	// remoteBranch is branch's name on the remote; tracking is the local
	// ref that mirrors the remote's base ("" when nothing is pushed).
	remoteBranch, tracking plumbing.ReferenceName
	remote, remoteURL      string
	// checkedOut: the work tree shows branch, so it moves with it.
	checkedOut bool
	newBranch  bool
	// prev is where branch is now: what the next move expects to find.
	prev  plumbing.Hash
	notes []string
}

func newTarget(repo *gitops.Repo, o Options) (*target, error) {
	t := &target{repo: repo}
	err := repo.WithGit(func(r *git.Repository) error {
		head, err := r.Reference(plumbing.HEAD, false)
		if err != nil {
			return fmt.Errorf("repo %s: no HEAD: %w", repo.Origin, err)
		}
		onBranch := head.Type() == plumbing.SymbolicReference
		switch {
		case o.Branch != "":
			t.base = plumbing.NewBranchReferenceName(o.Branch)
		case onBranch:
			t.base = head.Target()
		default:
			return fmt.Errorf("repo %s: HEAD is detached: check out the branch to commit on, or name it", repo.Origin)
		}
		t.branch, t.newBranch = t.base, o.NewBranch != ""
		if t.newBranch {
			t.branch = plumbing.NewBranchReferenceName(o.NewBranch)
			if _, err := r.Reference(t.branch, false); err == nil {
				return fmt.Errorf("repo %s: branch %s exists already: name another", repo.Origin, o.NewBranch)
			}
		}
		t.checkedOut = repo.Root != "" && onBranch && head.Target() == t.branch
		if err := t.trackOrigin(r); err != nil {
			return err
		}
		if err := t.findRemote(r, o.Push); err != nil {
			return err
		}
		ref, err := r.Reference(t.base, true)
		if err != nil {
			return fmt.Errorf("repo %s: no branch %s", repo.Origin, t.base.Short())
		}
		t.prev = ref.Hash()
		return nil
	})
	return t, err
}

// trackOrigin makes a local branch of an environment branch known only as
// origin's (refs/remotes/origin/env/prod), tracking it, as git checkout
// would: the commit goes on it and is pushed back there.
func (t *target) trackOrigin(r *git.Repository) error {
	if _, err := r.Reference(t.base, false); err == nil || t.repo.Root == "" {
		return nil
	}
	remote, err := r.Reference(plumbing.NewRemoteReferenceName("origin", t.base.Short()), true)
	if err != nil {
		return nil // newTarget says the branch is missing
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(t.base, remote.Hash())); err != nil {
		return err
	}
	cfg, err := r.Config()
	if err != nil {
		return err
	}
	name := t.base.Short()
	cfg.Branches[name] = &config.Branch{Name: name, Remote: "origin", Merge: t.base}
	t.note("made local branch " + name + " from origin/" + name)
	return r.SetConfig(cfg)
}

// findRemote learns where branch is pushed.
func (t *target) findRemote(r *git.Repository, push bool) error {
	if !push {
		return nil
	}
	t.remoteBranch = t.branch
	switch {
	case t.repo.IsClone():
		// The cached clone mirrors origin's branches as its own.
		t.remote, t.remoteURL, t.tracking = "origin", t.repo.Origin, t.base
		return nil
	case t.repo.Root == "":
		t.notes = append(t.notes, "committed straight into the bare repository "+t.repo.Origin+": there is nothing to push")
		return nil
	}
	cfg, err := r.Config()
	if err != nil {
		return err
	}
	b := cfg.Branches[t.base.Short()]
	if b == nil || b.Remote == "" || b.Remote == "." || cfg.Remotes[b.Remote] == nil {
		t.notes = append(t.notes, "branch "+t.base.Short()+" has no upstream: the commit stays local (git push -u to share it)")
		return nil
	}
	merge := b.Merge
	if merge == "" {
		merge = t.base
	}
	t.remote = b.Remote
	if urls := cfg.Remotes[b.Remote].URLs; len(urls) > 0 {
		t.remoteURL = urls[0]
	}
	t.tracking = plumbing.NewRemoteReferenceName(b.Remote, merge.Short())
	if !t.newBranch {
		t.remoteBranch = merge
	}
	return nil
}

// note adds what the user should hear, once.
func (t *target) note(notes ...string) {
	for _, n := range notes {
		if !slices.Contains(t.notes, n) {
			t.notes = append(t.notes, n)
		}
	}
}

func (t *target) pushes() bool { return t.remote != "" }

// move points branch at `to`, provided it is still at `from`, and brings
// the work tree along when it shows branch. A file the move would change
// that has uncommitted edits stops it before anything moves.
func (t *target) move(r *git.Repository, from, to plumbing.Hash) error {
	if t.checkedOut {
		paths, err := changedPaths(r, from, to)
		if err != nil {
			return err
		}
		if err := checkUntouched(r, t.repo.Root, from, paths); err != nil {
			return err
		}
	}
	if err := t.setBranch(r, from, to); err != nil {
		return err
	}
	if t.checkedOut {
		if err := syncWorktree(r, t.repo.Root, from, to); err != nil {
			return err
		}
	}
	t.prev = to
	return nil
}

// setBranch moves branch from `from` to `to` only if nobody moved it
// meanwhile; a new branch is made, or removed when `to` is zero.
func (t *target) setBranch(r *git.Repository, from, to plumbing.Hash) error {
	if t.newBranch {
		if to.IsZero() {
			return r.Storer.RemoveReference(t.branch)
		}
		return r.Storer.SetReference(plumbing.NewHashReference(t.branch, to))
	}
	old := plumbing.NewHashReference(t.branch, from)
	err := r.Storer.CheckAndSetReference(plumbing.NewHashReference(t.branch, to), old)
	if errors.Is(err, storage.ErrReferenceHasChanged) {
		return fmt.Errorf("branch %s moved while ferry committed: try again", t.branch.Short())
	}
	return err
}

// undo puts branch back where it was before commit.
func (t *target) undo(commit plumbing.Hash) error {
	return t.repo.WithGit(func(r *git.Repository) error {
		if t.newBranch {
			return t.setBranch(r, commit, plumbing.ZeroHash)
		}
		c, err := r.CommitObject(commit)
		if err != nil {
			return err
		}
		return t.move(r, commit, c.ParentHashes[0])
	})
}

// push sends branch to the remote, which refuses unless it is a fast
// forward.
func (t *target) push(ctx context.Context) error {
	spec := config.RefSpec(t.branch.String() + ":" + t.remoteBranch.String())
	return t.repo.WithGit(func(r *git.Repository) error {
		err := r.PushContext(ctx, &git.PushOptions{
			RemoteName: t.remote,
			RefSpecs:   []config.RefSpec{spec},
			Auth:       auth(t.remoteURL),
		})
		if errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil
		}
		return err
	})
}

// fetch learns the remote's head of base after a refused push. The next
// try starts there, which only works if the local branch holds nothing
// the remote lacks.
func (t *target) fetch(ctx context.Context, base plumbing.Hash) (plumbing.Hash, error) {
	if t.newBranch {
		return base, nil // a new branch's push is not refused for moving
	}
	if t.repo.IsClone() {
		if err := t.repo.Fetch(ctx); err != nil {
			return base, err
		}
	}
	var moved plumbing.Hash
	err := t.repo.WithGit(func(r *git.Repository) error {
		if !t.repo.IsClone() {
			spec := config.RefSpec("+" + t.remoteBranch.String() + ":" + t.tracking.String())
			err := r.FetchContext(ctx, &git.FetchOptions{RemoteName: t.remote, RefSpecs: []config.RefSpec{spec}, Auth: auth(t.remoteURL)})
			if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
				return err
			}
		}
		remote, err := r.Reference(t.tracking, true)
		if err != nil {
			return err
		}
		moved = remote.Hash()
		if local, err := r.Reference(t.branch, true); err == nil {
			t.prev = local.Hash()
		}
		if t.prev == moved {
			return nil
		}
		if ok, err := isAncestor(r, t.prev, moved); err != nil || !ok {
			return fmt.Errorf("local %s has commits %s lacks: pull first", t.branch.Short(), t.remote)
		}
		return nil
	})
	return moved, err
}

func isAncestor(r *git.Repository, ancestor, of plumbing.Hash) (bool, error) {
	a, err := r.CommitObject(ancestor)
	if err != nil {
		return false, err
	}
	b, err := r.CommitObject(of)
	if err != nil {
		return false, err
	}
	return a.IsAncestor(b)
}

// explain turns a push that failed for good into what to do about it.
func (t *target) explain(err error) error {
	where := t.remote
	if t.remoteURL != "" {
		where = t.remoteURL
	}
	return fmt.Errorf("push to %s refused: %s; the branch is as it was", where, pushAdvice(t.remoteURL, err))
}

// compareURL links the pull request a new branch asks for.
func compareURL(remoteURL, base, head string, pr bool) string {
	if !pr {
		return ""
	}
	return model.CompareURL(remoteURL, base, head)
}

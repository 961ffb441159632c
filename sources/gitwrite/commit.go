// Package gitwrite commits a release to the GitOps repo and pushes it:
// objects written directly (no half-written file in the repo, ever), the
// branch moved only if nobody moved it meanwhile, the work tree brought
// along when the branch is checked out, and a push the remote refused
// because it moved retried on its new head with the edits made again.
// Reading stays in sources/gitops; this package only writes.
package gitwrite

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/sources/gitops"
)

// Edit returns the files a release changes when made on the commit base
// (a full hash). It is called again for each try, on the newer head, so
// a change someone else made meanwhile is seen: a field they changed too
// is an error from Edit, and nothing is written.
type Edit func(ctx context.Context, base string) (map[string][]byte, error)

// Options say where the commit goes.
type Options struct {
	// Branch to commit on; "" for the branch HEAD is on.
	Branch string
	// NewBranch, when set, receives the commit instead (a pull-request
	// flow): made from Branch's head, pushed under the same name.
	NewBranch string
	// Push sends the commit to the branch's upstream (a cached clone's
	// origin). Without an upstream the commit stays local, and Result
	// says so.
	Push bool
	// Tries bounds how often a push the remote refused is tried again on
	// its new head (default 3).
	Tries int
}

// Result says where the commit went.
type Result struct {
	Commit string
	Branch string // the branch that holds it
	Remote string // where it was pushed ("" when it was not)
	Pushed bool
	// Retries counts the pushes refused because the remote had moved.
	Retries int
	// CompareURL opens a pull request's comparison on GitHub or GitLab.
	CompareURL string
	// Notes say what the user may want to know: an author ferry had to
	// guess, a branch with no upstream.
	Notes []string
}

// ErrNothingToCommit: the edits change no file.
var ErrNothingToCommit = errors.New("nothing to commit: the repo already declares every change")

// Commit makes one commit of what edit returns, with message, and pushes
// it when asked. When the push fails the branch is put back where it was
// (and the work tree with it): the caller still holds the staged changes
// and can try again.
func Commit(ctx context.Context, repo *gitops.Repo, o Options, message string, edit Edit) (Result, error) {
	t, err := newTarget(repo, o)
	if err != nil {
		return Result{}, err
	}
	res := Result{Branch: t.branch.Short(), Notes: t.notes}
	base := t.prev // the first try starts where the branch is
	tries := o.Tries
	if tries == 0 {
		tries = 3
	}
	for {
		commit, err := t.commit(ctx, base, message, edit)
		if err != nil {
			return res, err
		}
		res.Commit, res.Notes = commit.String(), t.notes
		if !t.pushes() {
			return res, nil
		}
		perr := t.push(ctx)
		if perr == nil {
			res.Remote, res.Pushed = t.remote, true
			res.CompareURL = compareURL(t.remoteURL, t.base.Short(), t.branch.Short(), o.NewBranch != "")
			return res, nil
		}
		if err := t.undo(commit); err != nil {
			return res, fmt.Errorf("%w; and putting %s back failed: %v", perr, t.branch.Short(), err)
		}
		res.Commit = ""
		moved, err := t.fetch(ctx, base)
		if err != nil || moved == base || res.Retries+1 >= tries {
			return res, t.explain(perr)
		}
		res.Retries++
		base = moved
	}
}

// commit writes the edits made on base as one commit, moves the branch
// to it, and brings the work tree along.
func (t *target) commit(ctx context.Context, base plumbing.Hash, message string, edit Edit) (plumbing.Hash, error) {
	files, err := edit(ctx, base.String())
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if len(files) == 0 {
		return plumbing.ZeroHash, ErrNothingToCommit
	}
	var commit plumbing.Hash
	err = t.repo.WithGit(func(r *git.Repository) error {
		sig, notes, err := signature(r)
		if err != nil {
			return err
		}
		t.note(notes...)
		if commit, err = writeCommit(r.Storer, base, files, message, sig); err != nil {
			return err
		}
		return t.move(r, t.prev, commit)
	})
	return commit, err
}

package feed

import (
	"context"
	"time"

	"github.com/ferryhq/ferry/internal/ctxutil"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// RepoGit reads a GitOps repo opened with sources/gitops.
type RepoGit struct {
	Repo     *gitops.Repo
	Ref      string // "" for HEAD
	Worktree bool   // read the work tree with uncommitted changes
	// Read turns a tree into declarations (the wiring keeps kustomize
	// results cached between runs).
	Declarations func(*gitops.Tree) *gitops.Result
	// Applied builds the "did the controller apply it" question for a
	// reading; nil: Git cannot tell.
	Applied func(tree *gitops.Tree, decls []model.Declared) func(app, env, revision string) bool
	// PollInterval is how often a local repo's branch is looked at
	// (default 1s); FetchInterval how often a clone is fetched (default 30s).
	PollInterval  time.Duration
	FetchInterval time.Duration
	Logf          func(format string, args ...any)
}

// Read reads the tree the flags name and what it declares.
func (g *RepoGit) Read(ctx context.Context) (Reading, error) {
	start := time.Now()
	refs := g.Repo.RefsSignature() // before the tree: a branch moving after it is a new reading
	var (
		tree *gitops.Tree
		err  error
	)
	if g.Worktree {
		tree, err = g.Repo.WorktreeTree()
	} else {
		tree, err = g.Repo.Tree(g.Ref)
	}
	if err != nil {
		return Reading{}, err
	}
	res := g.Declarations(tree)
	reading := Reading{
		Update: model.GitUpdate{
			Environments: res.Environments, Apps: res.Apps, Declared: res.Declared,
			Problems: res.Problems, Commit: tree.Commit, Took: time.Since(start),
		},
		Config: res.Config,
		Refs:   refs,
	}
	if g.Applied != nil {
		reading.Applied = g.Applied(tree, res.Declared)
	}
	return reading, nil
}

// Moved polls the branches of a local repo (the one read, and any other:
// an environment may live on its own), and fetches a clone every
// FetchInterval. A work tree read with uncommitted changes moves only when
// the user asks for a refresh.
func (g *RepoGit) Moved(ctx context.Context, since Reading) bool {
	if g.Worktree {
		<-ctx.Done()
		return false
	}
	every := g.PollInterval
	if every <= 0 {
		every = time.Second
	}
	if g.Repo.IsClone() {
		every = g.FetchInterval
		if every <= 0 {
			every = 30 * time.Second
		}
	}
	for ctxutil.Sleep(ctx, every) == nil {
		if g.Repo.IsClone() {
			if err := g.Repo.Fetch(ctx); err != nil {
				g.logf("git: %v", err)
				continue
			}
		}
		now, err := g.Repo.Resolve(g.Ref)
		if (err == nil && now != since.Update.Commit) || g.Repo.RefsSignature() != since.Refs {
			return true
		}
	}
	return false
}

// History walks the first-parent line from head (HEAD for a work tree).
func (g *RepoGit) History(ctx context.Context, head string, decls []model.Declared) ([]model.HistoryEntry, error) {
	if head == "" {
		h, err := g.Repo.Resolve(g.Ref)
		if err != nil {
			return nil, err
		}
		head = h
	}
	return g.Repo.CellHistory(ctx, head, decls, 0)
}

// Timeline walks the first-parent line from head until it has limit
// changes.
func (g *RepoGit) Timeline(ctx context.Context, head string, decls []model.Declared, limit int) ([]model.HistoryEntry, error) {
	return g.Repo.CellHistory(ctx, head, decls, limit)
}

func (g *RepoGit) logf(format string, args ...any) {
	if g.Logf != nil {
		g.Logf(format, args...)
	}
}

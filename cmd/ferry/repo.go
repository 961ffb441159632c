package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/adrg/xdg"
	"github.com/spf13/pflag"

	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/ui"
)

// repoFlags are the flags every command that reads the GitOps repo takes.
type repoFlags struct {
	repo     string
	ref      string
	worktree bool
}

func (f *repoFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.repo, "repo", ".", "GitOps repo: a path (or a directory inside it) or a URL to clone")
	fs.StringVar(&f.ref, "ref", "", "read this branch, tag or commit instead of HEAD")
	fs.BoolVar(&f.worktree, "worktree", false, "read the work tree with uncommitted changes instead of HEAD")
}

// openRepo opens the repo, or clones (or fetches) the URL into the cache.
func (f *repoFlags) openRepo(ctx context.Context) (*gitops.Repo, error) {
	if f.worktree && f.ref != "" {
		return nil, fmt.Errorf("--worktree and --ref exclude each other")
	}
	if gitops.IsRemote(f.repo) {
		defer whileWaiting("git: the clone or fetch of " + ui.Clean(f.repo))()
		return gitops.Clone(ctx, f.repo, filepath.Join(xdg.CacheHome, "ferry"))
	}
	return gitops.Open(f.repo)
}

// open opens or clones the repo and reads the tree the flags ask for.
func (f *repoFlags) open(ctx context.Context) (*gitops.Repo, *gitops.Tree, error) {
	repo, err := f.openRepo(ctx)
	if err != nil {
		return nil, nil, err
	}
	var tree *gitops.Tree
	if f.worktree {
		tree, err = repo.WorktreeTree()
	} else {
		tree, err = repo.Tree(f.ref)
	}
	return repo, tree, err
}

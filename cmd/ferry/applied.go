package main

import (
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// appliedBy answers, for the cluster source, whether a GitOps controller's
// revision already contains the commit that last changed a cell's
// declaration: false makes the cell "pending". A declaration read on an
// environment's own branch (env/dev, develop) is judged on that branch. A
// revision ferry has not fetched, or a work tree with no commit, cannot be
// judged and counts as applied, so ferry never claims "pending" on a guess.
func appliedBy(repo *gitops.Repo, tree *gitops.Tree, decls []model.Declared) func(app, env, rev string) bool {
	head := tree.Commit
	if head == "" {
		head, _ = repo.Head()
	}
	type file struct{ head, path string }
	files := map[model.CellKey][]file{}
	byHead := map[string][]string{}
	for _, d := range decls {
		h := head
		if d.Location.Commit != "" {
			h = d.Location.Commit
		}
		k := model.CellKey{App: d.App, Env: d.Env}
		for _, f := range []string{d.Location.File, d.Inherited} {
			if f != "" {
				files[k] = append(files[k], file{h, f})
				byHead[h] = append(byHead[h], f)
			}
		}
	}
	changed := map[file]string{}
	for h, paths := range byHead {
		last, err := repo.LastChanges(h, paths)
		if err != nil {
			return nil
		}
		for p, c := range last {
			changed[file{h, p}] = c
		}
	}
	return func(app, env, rev string) bool {
		for _, f := range files[model.CellKey{App: app, Env: env}] {
			if contains, known := repo.Contains(rev, changed[f]); known && !contains {
				return false
			}
		}
		return true
	}
}

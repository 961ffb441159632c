package main

import (
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// appliedBy answers, for the cluster source, whether a GitOps controller's
// revision already contains the commit that last changed a cell's
// declaration: false makes the cell "pending". A revision ferry has not
// fetched, or a work tree with no commit, cannot be judged and counts as
// applied, so ferry never claims "pending" on a guess.
func appliedBy(repo *gitops.Repo, tree *gitops.Tree, decls []model.Declared) func(app, env, rev string) bool {
	head := tree.Commit
	if head == "" {
		head, _ = repo.Head()
	}
	files := map[model.CellKey][]string{}
	var all []string
	for _, d := range decls {
		k := model.CellKey{App: d.App, Env: d.Env}
		for _, f := range []string{d.Location.File, d.Inherited} {
			if f != "" {
				files[k] = append(files[k], f)
				all = append(all, f)
			}
		}
	}
	changed, err := repo.LastChanges(head, all)
	if err != nil {
		return nil
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

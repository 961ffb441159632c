package gitops

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// branchFamilies are the prefixes of branches that hold one environment
// each: Kargo's env/<stage>, gitops-promoter's environment/<name> (with
// environment/<name>-next, the hydrated state not yet promoted).
var branchFamilies = []string{"env/", "environment/", "environments/", "stage/", "stages/"}

// nextSuffix marks gitops-promoter's branch of what is about to be promoted.
const nextSuffix = "-next"

// envBranch is an environment read from a branch of its own.
type envBranch struct {
	Env, Branch string
	Next        string // the -next branch, if there is one
}

// envBranches lists the environments that live on branches: those
// ferry.yaml gives a ref, then the branch families found.
func (r *reader) envBranches(branches []string) []envBranch {
	byEnv := map[string]*envBranch{}
	var order []string
	add := func(env string) *envBranch {
		if byEnv[env] == nil {
			byEnv[env] = &envBranch{Env: env}
			order = append(order, env)
		}
		return byEnv[env]
	}
	for _, e := range r.cfg.Environments {
		if e.Ref != "" && e.Name != "" {
			add(e.Name).Branch = e.Ref
		}
	}
	for _, b := range branches {
		name, ok := familyName(b)
		if !ok {
			continue
		}
		base, next := strings.CutSuffix(name, nextSuffix)
		env := r.branchEnv(b, base)
		if env == "" || (byEnv[env] != nil && byEnv[env].Branch != "" && !next && byEnv[env].Branch != b) {
			continue
		}
		if next {
			add(env).Next = b
		} else {
			add(env).Branch = b
		}
	}
	out := make([]envBranch, 0, len(order))
	for _, env := range order {
		out = append(out, *byEnv[env])
	}
	return out
}

func familyName(branch string) (string, bool) {
	for _, prefix := range branchFamilies {
		if name, ok := strings.CutPrefix(branch, prefix); ok && name != "" && !strings.Contains(name, "/") {
			return name, true
		}
	}
	return "", false
}

// branchEnv is the environment a family branch stands for; with
// environments in ferry.yaml, an unlisted one is reported.
func (r *reader) branchEnv(branch, name string) string {
	if r.layout.configured == nil {
		return name
	}
	if env := r.layout.configuredEnv(name); env != "" {
		return env
	}
	if !r.unknown[name] {
		r.unknown[name] = true
		r.problem("", "", model.Problem{Source: "git", Message: fmt.Sprintf(
			"branch %s looks like environment %q, which ferry.yaml does not list; it is not read", branch, name)})
	}
	return ""
}

// readBranches reads the environments that live on branches: what the
// branch declares replaces what the tree read declares for them, and a
// -next branch that declares something else makes the image pending.
func (r *reader) readBranches() {
	if r.t.Refs == nil {
		return
	}
	for _, eb := range r.envBranches(r.t.Refs.Branches()) {
		r.seen("", eb.Env)
		r.envByPath[eb.Env] = true
		if eb.Branch != "" {
			if decls, ok := r.readBranch(eb.Env, eb.Branch); ok {
				r.keep(func(_ int, d model.Declared) bool { return d.Env != eb.Env })
				r.res.refs[eb.Env] = eb.Branch
				for _, d := range decls {
					r.declare(d.Declared, d.unit)
				}
			}
		}
		if eb.Next != "" {
			if next, ok := r.readBranch(eb.Env, eb.Next); ok {
				r.markNext(eb.Env, next)
			}
		}
	}
}

// branchDecl is a declaration read on a branch and the unit it came from.
type branchDecl struct {
	model.Declared
	unit string
}

// readBranch reads one environment's branch with the tree's ferry.yaml:
// every file belongs to env unless its path names another environment.
// The branch's files are reported as branch:path.
func (r *reader) readBranch(env, branch string) ([]branchDecl, bool) {
	tree, err := r.t.Refs.Tree(branch)
	if err != nil {
		r.problem("", env, model.Problem{Source: "git", Message: fmt.Sprintf("environment %s lives on branch %s, which cannot be read: %v", env, branch, err)})
		return nil, false
	}
	sub := newReader(tree, r.cfg)
	sub.layout.forced = env
	if tree.Commit == "" || tree.Commit != r.t.Commit {
		sub.reportSkipped() // the branch's own files left out, with its name
	}
	sub.readTree()
	sub.keep(func(_ int, d model.Declared) bool { return d.Env == env })
	sub.reportDeclared()
	prefix := branch + ":"
	if tree.Commit != "" && tree.Commit == r.t.Commit {
		prefix = "" // the branch is the tree read (Git Flow's main when main is read)
	}
	r.mergeReports(sub.files, prefix)
	for _, p := range sub.res.Problems {
		if p.Env == env || p.Env == "" {
			if p.File != "" {
				p.File = prefix + p.File
			}
			r.res.Problems = append(r.res.Problems, p)
		}
	}
	for app := range sub.appsSeen {
		r.appsSeen[app] = true
	}
	out := make([]branchDecl, len(sub.res.Declared))
	for i, d := range sub.res.Declared {
		d.Location.Branch, d.Location.Commit = branch, tree.Commit
		out[i] = branchDecl{d, sub.unitOf[i]}
	}
	return out, true
}

// markNext compares what a -next branch declares with what the
// environment declares: a different reference becomes Declared.Next, an
// image only the -next branch has is declared from it, pending.
func (r *reader) markNext(env string, next []branchDecl) {
	type key struct{ app, name string }
	at := map[key]int{}
	for i, d := range r.res.Declared {
		if d.Env == env {
			at[key{d.App, d.Name}] = i
		}
	}
	for _, n := range next {
		ref := n.Ref
		i, ok := at[key{n.App, n.Name}]
		switch {
		case !ok:
			n.Next = &ref
			r.declare(n.Declared, n.unit)
		case r.res.Declared[i].Ref != ref:
			r.res.Declared[i].Next = &ref
		}
	}
}

// mergeReports adds a branch's file reports under their branch:path.
func (r *reader) mergeReports(from reports, prefix string) {
	paths := make([]string, 0, len(from))
	for p := range from {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := from[p]
		r.files.get(prefix+p, f.Kind)
		for _, c := range f.Cells {
			r.files.fed(prefix+p, c.App, c.Env)
		}
		for _, u := range f.Uses {
			r.files.used(prefix+p, u)
		}
		for _, why := range f.Reasons {
			r.files.because(prefix+p, why)
		}
	}
}

// Refs returns, per environment read from a branch of its own, that
// branch: what a console follows to see the environment move.
func (r *Result) Refs() map[string]string { return r.refs }

// Package release turns a staged plan into what a release captain reviews
// and commits: the edits on the repo as it is now, checked before anything
// is written — the environment read again yields exactly the new
// reference, the registry has the digest (an index, never one platform's
// child) — and the unified diff. The console and `ferry promote` share it.
package release

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitedit"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/repotree"
)

// Describe asks the registry about references: facts or problems per
// ImageRef.String(). The feed's resolver answers from what it knows.
type Describe func(ctx context.Context, refs []model.ImageRef) (map[string]model.RegistryFacts, map[string][]model.Problem)

// Releaser previews and commits plans on one repo.
type Releaser struct {
	Repo     *gitops.Repo
	Ref      string // the branch ("" for HEAD)
	Read     func(*repotree.Tree) *gitops.Result
	Describe Describe // nil: digests are not checked against a registry
}

// Preview is a plan applied to the repo's head, checked, as a diff.
type Preview struct {
	Base string // the commit the edits apply to
	// Branch is the environment branch the plan writes ("" for the
	// branch read): Kargo's env/<name>, Git Flow's develop.
	Branch  string
	Applied *gitedit.Applied
	Diff    string
	// Blocking problems: the plan cannot be committed until they are gone.
	Blocking []string
	// Notes per change, from the edit (a tag-only layout, …).
	Notes []string
}

// Preview applies the plan on the head of the branch it writes and checks
// the result.
func (r *Releaser) Preview(ctx context.Context, plan model.Plan) (*Preview, error) {
	return r.PreviewAt(ctx, plan, "")
}

// PreviewAt applies the plan on the commit rev names ("" for the head of
// the branch the plan writes) and checks the result: a commit's every try
// is previewed again on the head it is made on.
func (r *Releaser) PreviewAt(ctx context.Context, plan model.Plan, rev string) (*Preview, error) {
	plan, missing := r.pinDigests(ctx, plan)
	if len(missing) > 0 {
		return &Preview{Blocking: missing}, nil
	}
	read, err := r.Repo.Tree(r.Ref)
	if err != nil {
		return nil, err
	}
	decls := r.Read(read).Declared
	branch, err := branchOf(decls, plan)
	if err != nil {
		return &Preview{Base: read.Commit, Blocking: []string{err.Error()}}, nil
	}
	edit := read
	switch {
	case branch != "":
		if edit, err = r.Repo.BranchTree(firstNonEmpty(rev, branch)); err != nil {
			return nil, err
		}
	case rev != "":
		if read, err = r.Repo.Tree(rev); err != nil {
			return nil, err
		}
		decls, edit = r.Read(read).Declared, read
	}
	p := &Preview{Base: edit.Commit, Branch: branch}
	applied, err := gitedit.Apply(edit.Read, decls, plan.Changes)
	if err != nil {
		p.Blocking = append(p.Blocking, err.Error())
		return p, nil
	}
	p.Applied = applied
	p.Diff = diff(applied)
	for _, c := range plan.Changes {
		for _, n := range applied.Notes[c.Key()] {
			p.Notes = append(p.Notes, fmt.Sprintf("%s in %s: %s", c.App, c.Env, n))
		}
	}
	p.Blocking = append(p.Blocking, r.readBack(read, edit, branch, applied, plan)...)
	p.Blocking = append(p.Blocking, r.checkRegistry(ctx, plan)...)
	return p, nil
}

// pinDigests completes a change picked by tag alone (a version chosen from
// the registry's list) with the digest the tag names now, so a promotion
// always pins the artifact it was reviewed with.
func (r *Releaser) pinDigests(ctx context.Context, plan model.Plan) (model.Plan, []string) {
	var refs []model.ImageRef
	for _, c := range plan.Changes {
		if c.To.Digest == "" && c.To.Tag != "" && c.Kind == model.Promote {
			refs = append(refs, model.ImageRef{Repository: c.To.Repository, Tag: c.To.Tag})
		}
	}
	if len(refs) == 0 || r.Describe == nil {
		return plan, nil
	}
	facts, problems := r.Describe(ctx, refs)
	plan = plan.Clone()
	var out []string
	for i, c := range plan.Changes {
		if c.To.Digest != "" || c.To.Tag == "" || c.Kind != model.Promote {
			continue
		}
		key := model.ImageRef{Repository: c.To.Repository, Tag: c.To.Tag}.String()
		for _, p := range problems[key] {
			out = append(out, fmt.Sprintf("%s in %s: %s: %s", c.App, c.Env, key, p.Message))
		}
		if f, ok := facts[key]; ok {
			plan.Changes[i].To.Digest = f.Digest
			plan.Changes[i].To.Revision = firstNonEmpty(c.To.Revision, f.Revision)
		}
	}
	return plan, out
}

// branchOf is the one branch a plan writes: "" when its environments are
// on the branch read, the environment branch otherwise. A release is one
// commit on one branch, so a plan over several is refused.
func branchOf(decls []model.Declared, plan model.Plan) (string, error) {
	branches := map[string]bool{}
	for _, c := range plan.Changes {
		for _, d := range decls {
			if d.App == c.App && d.Env == c.Env && d.Name == c.Image {
				branches[d.Location.Branch] = true
			}
		}
	}
	if len(branches) > 1 {
		var names []string
		for b := range branches {
			names = append(names, firstNonEmpty(b, "the branch read"))
		}
		slices.Sort(names)
		return "", fmt.Errorf("the staged changes write %s: a release is one commit on one branch, so stage them one branch at a time", strings.Join(names, " and "))
	}
	for b := range branches {
		return b, nil
	}
	return "", nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// readBack reads the edited tree as discovery does: every change must
// declare exactly its new reference there.
func (r *Releaser) readBack(read, edit *repotree.Tree, branch string, applied *gitedit.Applied, plan model.Plan) []string {
	edited := withEdits(edit, applied)
	if branch != "" {
		// The branch read again as the reading finds it: through its refs.
		shown := *read
		shown.Refs = editedRefs{Refs: read.Refs, branch: branch, tree: edited}
		edited = &shown
	}
	after := r.Read(edited)
	byKey := map[model.ImageKey]model.ImageRef{}
	held := map[model.ImageKey]bool{}
	for _, d := range after.Declared {
		k := model.ImageKey{App: d.App, Env: d.Env, Image: d.Name}
		byKey[k], held[k] = d.Ref, d.Location.Held()
	}
	var out []string
	for _, c := range plan.Changes {
		if slices.ContainsFunc(applied.Unchanged, func(u model.Change) bool { return u.Key() == c.Key() }) {
			continue
		}
		got, ok := byKey[c.Key()]
		want := applied.Written[c.Key()]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s in %s: after the edit the environment no longer declares image %s", c.App, c.Env, c.Image))
		case c.Kind == model.Hold && !held[c.Key()]:
			out = append(out, fmt.Sprintf("%s in %s: after the edit Flux image automation would still write the field", c.App, c.Env))
		case c.Kind == model.Resume && held[c.Key()]:
			out = append(out, fmt.Sprintf("%s in %s: after the edit the field is still held", c.App, c.Env))
		case want.Tag != "" && got.Tag != want.Tag, want.Digest != "" && got.Digest != want.Digest, want.Digest == "" && got.Digest != "":
			out = append(out, fmt.Sprintf("%s in %s: after the edit the environment declares %s, not the %s staged",
				c.App, c.Env, got, refOf(c.To)))
		}
	}
	return out
}

// withEdits is the tree with the edited files in place.
func withEdits(t *repotree.Tree, applied *gitedit.Applied) *repotree.Tree {
	files := map[string][]byte{}
	for _, p := range t.Paths() {
		files[p], _ = t.Read(p)
	}
	for f, data := range applied.Files() {
		files[f] = data
	}
	out := repotree.NewTree(t.Commit, files)
	out.Refs = t.Refs
	return out
}

// editedRefs shows the edited tree for one branch, the repository's own
// for the others.
type editedRefs struct {
	repotree.Refs
	branch string
	tree   *repotree.Tree
}

func (e editedRefs) Tree(ref string) (*repotree.Tree, error) {
	if ref == e.branch {
		return e.tree, nil
	}
	return e.Refs.Tree(ref)
}

// checkRegistry asks the registry for every digest to be written: it must
// exist, and a multi-arch artifact is pinned by its index.
func (r *Releaser) checkRegistry(ctx context.Context, plan model.Plan) []string {
	if r.Describe == nil {
		return nil
	}
	var refs []model.ImageRef
	for _, c := range plan.Changes {
		if c.To.Digest != "" {
			refs = append(refs, model.ImageRef{Repository: c.To.Repository, Digest: c.To.Digest})
		}
	}
	facts, problems := r.Describe(ctx, refs)
	var out []string
	for _, ref := range refs {
		key := ref.String()
		for _, p := range problems[key] {
			out = append(out, fmt.Sprintf("%s: %s", ref, p.Message))
		}
		if f, ok := facts[key]; ok && f.PlatformOf != "" {
			out = append(out, fmt.Sprintf("%s is one platform of index %s: promote the index", model.ShortDigest(ref.Digest), model.ShortDigest(f.PlatformOf)))
		}
	}
	return out
}

func refOf(i model.Identity) model.ImageRef {
	return model.ImageRef{Repository: i.Repository, Tag: i.Tag, Digest: i.Digest}
}

// diff is the unified diff of every edited file.
func diff(a *gitedit.Applied) string {
	var b strings.Builder
	for _, e := range a.Edits {
		b.WriteString(udiff.Unified("a/"+e.File, "b/"+e.File, string(e.Before), string(e.After)))
	}
	return b.String()
}

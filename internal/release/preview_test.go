package release

import (
	"context"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
)

const digestB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

func overlayRepo(t *testing.T) *gitops.Repo {
	t.Helper()
	repo, _ := overlayWorkTree(t)
	return repo
}

func overlayWorkTree(t *testing.T) (*gitops.Repo, *testrepo.Repo) {
	t.Helper()
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("apps/search/base/kustomization.yaml", "resources:\n  - deployment.yaml\n")
	r.Write("apps/search/base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/shop/search-api:1.0.0\n")
	for _, env := range []string{"dev", "prod"} {
		r.Write("apps/search/overlays/"+env+"/kustomization.yaml", "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.0.0 # "+env+"\n")
	}
	r.Commit("search in dev and prod")
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo, r
}

func promoteProd() model.Plan {
	return model.Plan{Changes: []model.Change{{Kind: model.Promote, App: "search", Env: "prod", Image: "api", FromEnv: "dev",
		From: model.Identity{Repository: "ghcr.io/shop/search-api", Tag: "1.0.0"},
		To:   model.Identity{Repository: "ghcr.io/shop/search-api", Tag: "1.1.0", Digest: digestB}}}}
}

func TestPreviewIsTheCheckedDiff(t *testing.T) {
	r := &Releaser{Repo: overlayRepo(t), Read: gitops.Read}
	p, err := r.Preview(context.Background(), promoteProd())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 0 {
		t.Fatalf("blocking: %v", p.Blocking)
	}
	for _, want := range []string{
		"--- a/apps/search/overlays/prod/kustomization.yaml",
		"-    newTag: 1.0.0 # prod",
		"+    newTag: 1.1.0 # prod",
		"+    digest: " + digestB,
	} {
		if !strings.Contains(p.Diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, p.Diff)
		}
	}
	if strings.Contains(p.Diff, "overlays/dev") {
		t.Errorf("the diff touches dev:\n%s", p.Diff)
	}
}

func TestPreviewBlocksWhatTheRegistryRefuses(t *testing.T) {
	r := &Releaser{Repo: overlayRepo(t), Read: gitops.Read,
		Describe: func(_ context.Context, refs []model.ImageRef) (map[string]model.RegistryFacts, map[string][]model.Problem) {
			return map[string]model.RegistryFacts{refs[0].String(): {Digest: digestB, PlatformOf: "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}}, nil
		}}
	p, err := r.Preview(context.Background(), promoteProd())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 1 || !strings.Contains(p.Blocking[0], "one platform of index sha256:cccccccccccc: promote the index") {
		t.Errorf("blocking = %v", p.Blocking)
	}
}

func TestPreviewOfADigestOnlyLayoutPinsTheDigestAndPasses(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("apps/search/base/kustomization.yaml", "resources:\n  - deployment.yaml\n")
	r.Write("apps/search/base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/shop/search-api:1.0.0\n")
	r.Write("apps/search/overlays/dev/kustomization.yaml", "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.0.0\n")
	r.Write("apps/search/overlays/prod/kustomization.yaml", "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    digest: sha256:"+strings.Repeat("a", 64)+"\n")
	r.Commit("prod pins by digest only")
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	plan := promoteProd()
	plan.Changes[0].From = model.Identity{Repository: "ghcr.io/shop/search-api", Digest: "sha256:" + strings.Repeat("a", 64)}
	p, err := (&Releaser{Repo: repo, Read: gitops.Read}).Preview(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 0 || !strings.Contains(p.Diff, "+    digest: "+digestB) || strings.Contains(p.Diff, "newTag") {
		t.Errorf("blocking %v, diff:\n%s", p.Blocking, p.Diff)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "pinned by digest only") {
		t.Errorf("notes = %q", p.Notes)
	}
}

func webDeployment(image string) string {
	return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: " + image + "\n"
}

// Git Flow: staging lives on develop. Its promotion is previewed and
// committed on develop; the branch read (master) does not move.
func TestAnEnvironmentOnABranchOfItsOwnIsCommittedThere(t *testing.T) {
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	config := "environments:\n  - name: staging\n    ref: develop\n  - name: production\n    ref: master\n"
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("ferry.yaml", config)
	r.Write("deploy/web.yaml", webDeployment("ghcr.io/acme/web:2.0.0"))
	master := r.Commit("production runs 2.0.0")
	r.CommitOnBranch("develop", map[string]string{"ferry.yaml": config, "deploy/web.yaml": webDeployment("ghcr.io/acme/web:2.1.0")})
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rel := &Releaser{Repo: repo, Read: gitops.Read}
	staging := declared(t, repo, "staging")
	if staging.Location.Branch != "develop" {
		t.Fatalf("staging declared %+v, want on branch develop", staging)
	}
	id := func(tag string) model.Identity { return model.Identity{Repository: "ghcr.io/acme/web", Tag: tag} }
	plan := model.Plan{Changes: []model.Change{{Kind: model.Promote, App: staging.App, Env: "staging", Image: staging.Name,
		From: id("2.1.0"), To: id("2.2.0"), Location: staging.Location}}}
	p, err := rel.Preview(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 0 || p.Branch != "develop" || !strings.Contains(p.Diff, "+          image: ghcr.io/acme/web:2.2.0") {
		t.Fatalf("blocking %q, branch %q, diff:\n%s", p.Blocking, p.Branch, p.Diff)
	}
	res, err := rel.Commit(context.Background(), plan, Message{}, gitwrite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Branch != "develop" {
		t.Errorf("committed on %q, want develop", res.Branch)
	}
	if head, _ := repo.Head(); head != master {
		t.Errorf("master moved to %s", head)
	}
	if after := declared(t, repo, "staging"); after.Ref.Tag != "2.2.0" {
		t.Errorf("staging now declares %s", after.Ref)
	}
	both := model.Plan{Changes: append(plan.Changes, model.Change{Kind: model.Promote, App: staging.App, Env: "production", Image: staging.Name,
		From: id("2.0.0"), To: id("2.2.0")})}
	if p, _ := rel.Preview(context.Background(), both); len(p.Blocking) != 1 || !strings.Contains(p.Blocking[0], "one commit on one branch") {
		t.Errorf("a plan over develop and master: blocking %q", p.Blocking)
	}
}

// Kargo renders each environment into a branch of its own; in a clone the
// branch may be known only as origin's. The promotion is committed on a
// local branch made from it and pushed back there.
func TestAnEnvironmentBranchKnownOnlyAsOriginsIsPushedBack(t *testing.T) {
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("kargo/stages.yaml", "apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata: {name: dev}\nspec:\n  requestedFreight: [{origin: {kind: Warehouse, name: web}, sources: {direct: true}}]\n---\n"+
		"apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata: {name: prod}\nspec:\n  requestedFreight: [{origin: {kind: Warehouse, name: web}, sources: {stages: [dev]}}]\n")
	r.Commit("stages")
	r.CommitOnBranch("env/dev", map[string]string{"web/deployment.yaml": webDeployment("ghcr.io/acme/web:1.1.0")})
	r.CommitOnBranch("env/prod", map[string]string{"web/deployment.yaml": webDeployment("ghcr.io/acme/web:1.0.0")})
	bare := r.BareRemote()
	if err := r.Git.Storer.RemoveReference(plumbing.NewBranchReferenceName("env/prod")); err != nil {
		t.Fatal(err)
	}
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	prod := declared(t, repo, "prod")
	if prod.Location.Branch != "env/prod" {
		t.Fatalf("prod declared %+v", prod)
	}
	id := func(tag string) model.Identity { return model.Identity{Repository: "ghcr.io/acme/web", Tag: tag} }
	plan := model.Plan{Changes: []model.Change{{Kind: model.Promote, App: prod.App, Env: "prod", Image: prod.Name, FromEnv: "dev",
		From: id("1.0.0"), To: id("1.1.0"), Location: prod.Location}}}
	res, err := (&Releaser{Repo: repo, Read: gitops.Read}).Commit(context.Background(), plan, Message{}, gitwrite.Options{Push: true})
	if err != nil {
		t.Fatal(err)
	}
	remote, _ := git.PlainOpen(bare)
	ref, err := remote.Reference(plumbing.NewBranchReferenceName("env/prod"), true)
	if err != nil || ref.Hash().String() != res.Commit || !res.Pushed {
		t.Errorf("remote env/prod = %v (%v), result %+v", ref, err, res)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "made local branch env/prod from origin/env/prod") {
		t.Errorf("notes = %q", res.Notes)
	}
}

// A version picked from the registry's tag list comes without a digest:
// the review pins the digest the tag names now.
func TestPreviewPinsTheDigestOfAVersionPickedByTag(t *testing.T) {
	r := &Releaser{Repo: overlayRepo(t), Read: gitops.Read,
		Describe: func(_ context.Context, refs []model.ImageRef) (map[string]model.RegistryFacts, map[string][]model.Problem) {
			// The tag first; then, as for every promotion, the digest to be written.
			return map[string]model.RegistryFacts{refs[0].String(): {Digest: digestB}}, nil
		}}
	plan := promoteProd()
	plan.Changes[0].To.Digest = ""
	p, err := r.Preview(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 0 || !strings.Contains(p.Diff, "+    digest: "+digestB) {
		t.Errorf("blocking %q, diff:\n%s", p.Blocking, p.Diff)
	}
}

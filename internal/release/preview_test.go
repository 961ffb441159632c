package release

import (
	"context"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
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

func TestPreviewRefusesAnEnvironmentOnABranchOfItsOwn(t *testing.T) {
	deployment := func(image string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: " + image + "\n"
	}
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("ferry.yaml", "environments:\n  - name: staging\n    ref: develop\n  - name: production\n    ref: master\n")
	r.Write("deploy/web.yaml", deployment("ghcr.io/acme/web:2.0.0"))
	r.Commit("production runs 2.0.0")
	r.CommitOnBranch("develop", map[string]string{"ferry.yaml": "environments:\n  - name: staging\n    ref: develop\n  - name: production\n    ref: master\n",
		"deploy/web.yaml": deployment("ghcr.io/acme/web:2.1.0")})
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rel := &Releaser{Repo: repo, Read: gitops.Read}
	tree, _ := repo.Tree("")
	var staging model.Declared
	for _, d := range gitops.Read(tree).Declared {
		if d.Env == "staging" {
			staging = d
		}
	}
	if staging.Location.Branch != "develop" {
		t.Fatalf("staging declared %+v, want on branch develop", staging)
	}
	plan := model.Plan{Changes: []model.Change{{Kind: model.Promote, App: staging.App, Env: "staging", Image: staging.Name,
		From: model.Identity{Repository: "ghcr.io/acme/web", Tag: "2.1.0"}, To: model.Identity{Repository: "ghcr.io/acme/web", Tag: "2.2.0"}}}}
	p, err := rel.Preview(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocking) != 1 || !strings.Contains(p.Blocking[0], "is declared on branch develop") || p.Diff != "" {
		t.Errorf("blocking %q, diff %q", p.Blocking, p.Diff)
	}
}

package gitops_test

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

func deployment(name, image string) string {
	return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
		"\nspec:\n  template:\n    spec:\n      containers:\n        - name: " + name + "\n          image: " + image + "\n"
}

func readRepo(t *testing.T, r *testrepo.Repo) *gitops.Result {
	t.Helper()
	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	return gitops.Read(tree)
}

func byCell(res *gitops.Result) map[string]model.Declared {
	out := map[string]model.Declared{}
	for _, d := range res.Declared {
		out[d.App+"/"+d.Env+"/"+d.Name] = d
	}
	return out
}

// Kargo renders each stage into env/<stage>; gitops-promoter into
// environment/<name>, with environment/<name>-next for what is about to be
// promoted: each environment is read from its branch, and a -next branch
// that says otherwise makes the image pending.
func TestEnvironmentBranches(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("kargo/stages.yaml", `apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: {name: dev}
spec:
  requestedFreight: [{origin: {kind: Warehouse, name: web}, sources: {direct: true}}]
---
apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: {name: prod}
spec:
  requestedFreight: [{origin: {kind: Warehouse, name: web}, sources: {stages: [dev]}}]
`)
	r.Write("src/web/deployment.yaml", deployment("web", "ghcr.io/acme/web:0.0.1"))
	r.Commit("sources and stages")
	devCommit := r.CommitOnBranch("env/dev", map[string]string{"web/deployment.yaml": deployment("web", "ghcr.io/acme/web:1.1.0")})
	r.CommitOnBranch("env/prod", map[string]string{"manifests.yaml": deployment("web", "ghcr.io/acme/web:1.0.0")})
	r.CommitOnBranch("environment/staging", map[string]string{"web.yaml": deployment("web", "ghcr.io/acme/web:1.0.5")})
	r.CommitOnBranch("environment/staging-next", map[string]string{
		"web.yaml": deployment("web", "ghcr.io/acme/web:1.1.0"), "api.yaml": deployment("api", "ghcr.io/acme/api:0.1.0")})

	res := readRepo(t, r)
	cells := byCell(res)
	for key, want := range map[string]struct{ ref, branch, next string }{
		"web/dev/web":     {"ghcr.io/acme/web:1.1.0", "env/dev", ""},
		"web/prod/web":    {"ghcr.io/acme/web:1.0.0", "env/prod", ""},
		"web/staging/web": {"ghcr.io/acme/web:1.0.5", "environment/staging", "ghcr.io/acme/web:1.1.0"},
		"api/staging/api": {"ghcr.io/acme/api:0.1.0", "environment/staging-next", "ghcr.io/acme/api:0.1.0"},
	} {
		d, ok := cells[key]
		next := ""
		if d.Next != nil {
			next = d.Next.String()
		}
		if !ok || d.Ref.String() != want.ref || d.Location.Branch != want.branch || next != want.next {
			t.Errorf("%s = %s on %q next %q, want %+v", key, d.Ref, d.Location.Branch, next, want)
		}
	}
	if len(res.Declared) != 4 {
		t.Errorf("declared %d, want 4 (the main branch's sources declare nothing): %v", len(res.Declared), res.Declared)
	}
	if d := cells["web/dev/web"]; d.Location.Commit != devCommit || d.Location.File != "web/deployment.yaml" {
		t.Errorf("dev location %+v, want commit %s", d.Location, devCommit)
	}
	var got []string
	for _, e := range res.Environments {
		got = append(got, e.Name+"@"+e.Ref)
	}
	if want := []string{"dev@env/dev", "staging@environment/staging", "prod@env/prod"}; !equalStrings(got, want) {
		t.Errorf("environments %v, want %v", got, want)
	}
}

// Git Flow: ferry.yaml names the branch of each environment.
func TestGitFlowBranchesFromFerryYAML(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("ferry.yaml", "environments:\n  - name: staging\n    ref: develop\n  - name: production\n    ref: master\n")
	r.Write("deploy/web.yaml", deployment("web", "ghcr.io/acme/web:2.0.0"))
	r.Commit("production runs 2.0.0")
	r.CommitOnBranch("develop", map[string]string{"deploy/web.yaml": deployment("web", "ghcr.io/acme/web:2.1.0")})
	res := readRepo(t, r)
	cells := byCell(res)
	if d := cells["web/staging/web"]; d.Ref.String() != "ghcr.io/acme/web:2.1.0" || d.Location.Branch != "develop" {
		t.Errorf("staging %+v", d)
	}
	if d := cells["web/production/web"]; d.Ref.String() != "ghcr.io/acme/web:2.0.0" || d.Location.Branch != "master" {
		t.Errorf("production %+v", d)
	}
	if len(res.Declared) != 2 || len(res.Problems) > 0 {
		t.Errorf("declared %v problems %v", res.Declared, res.Problems)
	}
	for _, f := range res.NotPlaced() {
		t.Errorf("not placed: %+v", f)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestABranchsFilesLeftOutAreNamed: a file an environment's branch holds
// that the tree leaves out (its YAML past the limits) is a problem named
// with the branch, as on the branch read.
func TestABranchsFilesLeftOutAreNamed(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("ferry.yaml", "environments:\n  - name: dev\n    branch: env/dev\n")
	r.Commit("dev lives on its branch")
	deep := strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n"
	r.CommitOnBranch("env/dev", map[string]string{"web/deployment.yaml": deployment("web", "ghcr.io/acme/web:1.1.0"), "web/deep.yaml": deep})
	res := readRepo(t, r)
	for _, p := range res.Problems {
		if p.File == "env/dev:web/deep.yaml" && strings.Contains(p.Message, "not read") {
			return
		}
	}
	t.Errorf("the branch's refused file is not named: %v", res.Problems)
}

package gitops_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/gitops"
)

// TestSymbolicLinksAreFollowedInsideTheRepoAndNamedOutsideIt: an overlay
// whose base is a link to a shared folder is read through it, in a commit
// and in the work tree alike; a link out of the repo is a problem that
// says so, not a base that "does not exist".
func TestSymbolicLinksAreFollowedInsideTheRepoAndNamedOutsideIt(t *testing.T) {
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("shared/web-base/kustomization.yaml", "resources: [deployment.yaml]\n")
	r.Write("shared/web-base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0\n")
	for env, tag := range map[string]string{"dev": "1.1", "prod": "1.0"} {
		r.Write("apps/web/"+env+"/kustomization.yaml", "resources: [../base]\nimages:\n  - name: ghcr.io/acme/web\n    newTag: \""+tag+"\"\n")
	}
	r.Write("apps/api/prod/kustomization.yaml", "resources: [../base]\n")
	link := func(at, target string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(r.Dir, at)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(r.Dir, at)); err != nil {
			t.Fatal(err)
		}
	}
	link("apps/web/base", "../../shared/web-base")
	link("apps/api/base", "/srv/elsewhere/api-base")
	r.Commit("web's overlays share a linked base; api's base lives outside the repo")

	repo, err := gitops.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, read := range map[string]func() (*gitops.Tree, error){
		"commit": func() (*gitops.Tree, error) { return repo.Tree("") }, "work tree": repo.WorktreeTree,
	} {
		tree, err := read()
		if err != nil {
			t.Fatal(err)
		}
		res := gitops.Read(tree)
		tags := map[string]string{}
		for _, d := range res.Declared {
			if d.App == "web" {
				tags[d.Env] = d.Ref.Tag
			}
		}
		if tags["dev"] != "1.1" || tags["prod"] != "1.0" {
			t.Errorf("%s: web through its linked base: %v (problems %v)", name, tags, res.Problems)
		}
		said := map[string]string{}
		for _, p := range res.Problems {
			said[p.File] = p.Message
		}
		// go-git stores an absolute target relative to the root
		// ("/../../srv/…"); the words name what Git holds.
		if m := said["apps/api/base"]; !strings.Contains(m, "srv/elsewhere/api-base, outside the repo: ferry reads only the repo's own files") {
			t.Errorf("%s: the link out of the repo is not named: %q (problems %v)", name, m, res.Problems)
		}
		if m := said["apps/api/prod/kustomization.yaml"]; !strings.Contains(m, "resource ../base not read (apps/api/base is a symbolic link to") {
			t.Errorf("%s: the overlay's build error does not say its base is a link out of the repo: %q", name, m)
		}
	}
}

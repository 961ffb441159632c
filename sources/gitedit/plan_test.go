package gitedit

import (
	"errors"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

func readFrom(files map[string][]byte) func(string) ([]byte, bool) {
	return func(p string) ([]byte, bool) { b, ok := files[p]; return b, ok }
}

func TestApplyFindsEachImageAgainAndRefusesConflicts(t *testing.T) {
	files := map[string][]byte{}
	for p, s := range kustomizeTree("resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.0.0\n") {
		files[p] = []byte(s)
	}
	decls := gitops.Read(gitops.NewTree("c1", files)).Declared
	promote := func(env, from, to string) model.Change {
		return model.Change{Kind: model.Promote, App: "search", Env: env, Image: "api",
			From: model.Identity{Repository: "ghcr.io/shop/search-api", Tag: from},
			To:   model.Identity{Repository: "ghcr.io/shop/search-api", Tag: to, Digest: digestB}}
	}
	applied, err := Apply(readFrom(files), decls, []model.Change{promote("prod", "1.0.0", "1.1.0"), promote("dev", "1.0.0", "1.1.0")})
	if err != nil {
		t.Fatal(err)
	}
	if len(applied.Edits) != 2 || applied.Edits[0].File != "apps/search/overlays/dev/kustomization.yaml" ||
		!strings.Contains(string(applied.Edits[1].After), "newTag: 1.1.0\n    digest: "+digestB) {
		t.Fatalf("edits = %+v", applied.Edits)
	}

	// Someone moved prod to 1.0.5 meanwhile: the staged 1.0.0 → 1.1.0 conflicts.
	files["apps/search/overlays/prod/kustomization.yaml"] = []byte(strings.Replace(
		string(files["apps/search/overlays/prod/kustomization.yaml"]), "1.0.0", "1.0.5", 1))
	decls = gitops.Read(gitops.NewTree("c2", files)).Declared
	_, err = Apply(readFrom(files), decls, []model.Change{promote("prod", "1.0.0", "1.1.0")})
	var conflict *ConflictError
	if !errors.Is(err, ErrConflict) || !errors.As(err, &conflict) || conflict.Now.Tag != "1.0.5" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "now declares ghcr.io/shop/search-api:1.0.5, not ghcr.io/shop/search-api:1.0.0") {
		t.Errorf("message = %q", err)
	}

	// A change the repo already declares is nothing to do.
	same := promote("prod", "1.0.0", "1.0.5")
	same.To.Digest = ""
	applied, err = Apply(readFrom(files), decls, []model.Change{same})
	if err != nil || len(applied.Unchanged) != 1 || len(applied.Edits) != 0 {
		t.Errorf("a promotion to what prod declares: %v, %+v", err, applied)
	}
}

package gitedit

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// A hold rolls the image back and makes its Flux marker inert, keeping
// the policy it named; a resume makes the marker live again and leaves the
// artifact alone. Reading the file again sees the field held, then not.
func TestHoldAndResumeTurnTheFluxMarker(t *testing.T) {
	manifest := strings.Replace(base, "image: ghcr.io/shop/search-api:1.0.0",
		`image: ghcr.io/shop/search-api:1.1.0 # {"$imagepolicy": "flux-system:search"}`, 1)
	files := map[string][]byte{"envs/prod/search/deployment.yaml": []byte(manifest)}
	read := func(p string) ([]byte, bool) { b, ok := files[p]; return b, ok }
	d := declaredIn(t, files, "prod")
	if d.Location.Setter == "" || d.Location.Held() {
		t.Fatalf("the marker was not read: %+v", d.Location)
	}
	id := func(tag string) model.Identity { return model.Identity{Repository: d.Ref.Repository, Tag: tag} }
	hold := model.Change{Kind: model.Hold, App: "search", Env: "prod", Image: d.Name, From: id("1.1.0"), To: id("1.0.0"), Location: d.Location}
	applied, err := Apply(read, []model.Declared{d}, []model.Change{hold})
	if err != nil {
		t.Fatal(err)
	}
	held := string(applied.Edits[0].After)
	if want := strings.Replace(manifest, `1.1.0 # {"$imagepolicy"`, `1.0.0 # {"$ferry-held-imagepolicy"`, 1); held != want {
		t.Fatalf("held file:\n%s\nwant:\n%s", held, want)
	}
	files["envs/prod/search/deployment.yaml"] = []byte(held)
	after := declaredIn(t, files, "prod")
	if !after.Location.Held() || after.Ref.Tag != "1.0.0" {
		t.Fatalf("read again: %s held %v", after.Ref, after.Location.Held())
	}
	resume := model.Change{Kind: model.Resume, App: "search", Env: "prod", Image: d.Name, From: id("1.0.0"), To: id("1.0.0"), Location: after.Location}
	applied, err = Apply(read, []model.Declared{after}, []model.Change{resume})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(applied.Edits[0].After), strings.Replace(manifest, "1.1.0", "1.0.0", 1); got != want {
		t.Errorf("resumed file:\n%s\nwant:\n%s", got, want)
	}
	original := func(string) ([]byte, bool) { return []byte(manifest), true }
	if _, err := Apply(original, []model.Declared{d}, []model.Change{resume}); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Errorf("resuming a field that is not held: %v", err)
	}
}

// An image Argo CD Image Updater follows is held by the Application's
// <alias>.ignore-tags annotation, written below its image-list; resume
// takes the line out again, leaving the file as it was.
func TestHoldAndResumeTellArgoCDImageUpdater(t *testing.T) {
	app := "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: search-prod\n  annotations:\n" +
		"    argocd-image-updater.argoproj.io/image-list: api=ghcr.io/shop/search-api\n" +
		"    argocd-image-updater.argoproj.io/write-back-method: git\n" +
		"spec:\n  source:\n    path: apps/search/overlays/prod\n  destination:\n    namespace: search-prod\n"
	files := map[string][]byte{}
	for p, s := range kustomizeTree("resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.1.0\n") {
		files[p] = []byte(s)
	}
	files["argocd/search-prod.yaml"] = []byte(app)
	read := func(p string) ([]byte, bool) { b, ok := files[p]; return b, ok }
	d := declaredIn(t, files, "prod")
	if d.Location.UpdaterAlias() != "api" || d.Location.UpdaterFile != "argocd/search-prod.yaml" || d.Location.Held() {
		t.Fatalf("updater not read: %+v", d.Location)
	}
	id := func(tag string) model.Identity { return model.Identity{Repository: d.Ref.Repository, Tag: tag} }
	applied, err := Apply(read, []model.Declared{d}, []model.Change{{Kind: model.Hold, App: "search", Env: "prod", Image: d.Name,
		From: id("1.1.0"), To: id("1.0.0"), Location: d.Location}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range applied.Edits {
		files[e.File] = e.After
	}
	wantApp := strings.Replace(app, "search-api\n", "search-api\n    argocd-image-updater.argoproj.io/api.ignore-tags: \"*\" # held by ferry; ferry resume lifts it\n", 1)
	if got := string(files["argocd/search-prod.yaml"]); got != wantApp {
		t.Fatalf("held Application:\n%s\nwant:\n%s", got, wantApp)
	}
	held := declaredIn(t, files, "prod")
	if !held.Location.Held() || held.Ref.Tag != "1.0.0" {
		t.Fatalf("read again: %s held %v", held.Ref, held.Location.Held())
	}
	applied, err = Apply(read, []model.Declared{held}, []model.Change{{Kind: model.Resume, App: "search", Env: "prod", Image: d.Name,
		From: id("1.0.0"), To: id("1.0.0"), Location: held.Location}})
	if err != nil {
		t.Fatal(err)
	}
	if len(applied.Edits) != 1 || string(applied.Edits[0].After) != app {
		t.Errorf("resumed: %d edits, Application:\n%s", len(applied.Edits), applied.Edits[0].After)
	}
}

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

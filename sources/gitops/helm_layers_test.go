package gitops

import (
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

func layerOf(t *testing.T, file, src string) valuesLayer {
	t.Helper()
	docs, perr := repotree.ParseDocs(file, []byte(src))
	if perr != nil {
		t.Fatal(perr)
	}
	return valuesLayer{File: file, Kind: model.KindHelmValues, Images: repotree.FindValuesImages(docs[0].Root)}
}

func TestMergeLayersFieldByField(t *testing.T) {
	for _, tc := range []struct {
		name, defaults, env string
		ref, inherited      string
		fields              map[string]model.Position
	}{
		{"tag over a whole default", "image: ghcr.io/a/b:1.0\n", "image:\n  tag: \"2.0\"\n",
			"ghcr.io/a/b:2.0", "", map[string]model.Position{"tag": {Line: 2, Column: 8}}},
		{"whole over parts", "image:\n  repository: ghcr.io/a/b\n  tag: \"1.0\"\n", "image: ghcr.io/a/c@sha256:5555555555555555555555555555555555555555555555555555555555555555\n",
			"ghcr.io/a/c@sha256:5555555555555555555555555555555555555555555555555555555555555555", "", map[string]model.Position{"image": {Line: 1, Column: 8}}},
		{"registry joins repository", "image:\n  registry: r.example:5000\n  repository: a/b\n", "image:\n  digest: sha256:5555555555555555555555555555555555555555555555555555555555555555\n",
			"r.example:5000/a/b@sha256:5555555555555555555555555555555555555555555555555555555555555555", "", map[string]model.Position{"digest": {Line: 2, Column: 11}}},
		{"nothing overridden", "image:\n  repository: ghcr.io/a/b\n  tag: \"1.0\"\n", "replicas: 2\n",
			"ghcr.io/a/b:1.0", "defaults.yaml", map[string]model.Position{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			layers := []valuesLayer{layerOf(t, "defaults.yaml", tc.defaults), layerOf(t, "env.yaml", tc.env)}
			merged := mergeLayers(layers)
			if len(merged) != 1 {
				t.Fatalf("%d images", len(merged))
			}
			d, prob := merged[0].declared(layers, 1, "app", "dev")
			if prob != nil {
				t.Fatal(prob)
			}
			if d.Ref.String() != tc.ref || d.Inherited != tc.inherited || d.Location.File != "env.yaml" ||
				!equalFields(d.Location.Fields, tc.fields) {
				t.Errorf("got %s inherited %q at %s %v", d.Ref, d.Inherited, d.Location.File, d.Location.Fields)
			}
		})
	}
}

func TestMergeLayersSkipsBlankImages(t *testing.T) {
	merged := mergeLayers([]valuesLayer{layerOf(t, "env.yaml", "image:\n  tag: \"\"\n  pullPolicy: Always\n")})
	if len(merged) != 1 || !merged[0].empty() {
		t.Errorf("a blank image should merge to empty: %+v", merged)
	}
}

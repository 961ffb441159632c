package gitedit

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

const (
	digestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	digestB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

const base = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search-api
  labels:
    app.kubernetes.io/name: search
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/shop/search-api:1.0.0
`

func kustomizeTree(overlay string) map[string]string {
	return map[string]string{
		"apps/search/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
		"apps/search/base/deployment.yaml":    base,
		"apps/search/overlays/dev/kustomization.yaml": "resources:\n  - ../../base\n" +
			"images:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.0.0\n",
		"apps/search/overlays/prod/kustomization.yaml": overlay,
	}
}

// editCase edits the one image of app search in prod and checks the file
// byte for byte, then reads the tree again: it declares the new reference.
type editCase struct {
	name  string
	files map[string]string
	file  string
	to    model.ImageRef
	want  string // the whole file after the edit
	notes string
}

func TestEditsAreByteExact(t *testing.T) {
	to := model.ImageRef{Tag: "1.1.0", Digest: digestB}
	cases := []editCase{
		{name: "kustomize entry with tag and digest", file: "apps/search/overlays/prod/kustomization.yaml", to: to,
			files: kustomizeTree("resources:\n  - ../../base\n# prod follows staging\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: \"1.0.0\" # pinned\n    digest: " + digestA + "\n"),
			want:  "resources:\n  - ../../base\n# prod follows staging\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: \"1.1.0\" # pinned\n    digest: " + digestB + "\n"},
		{name: "kustomize entry gains a digest, CRLF kept", file: "apps/search/overlays/prod/kustomization.yaml", to: to,
			files: kustomizeTree("resources:\r\n- ../../base\r\nimages:\r\n- name: ghcr.io/shop/search-api\r\n  newTag: 1.0.0\r\n\r\n"),
			want:  "resources:\r\n- ../../base\r\nimages:\r\n- name: ghcr.io/shop/search-api\r\n  newTag: 1.1.0\r\n  digest: " + digestB + "\r\n\r\n"},
		{name: "bare CR line endings (yaml.v3 counts a lone CR as a line)", file: "apps/search/overlays/prod/kustomization.yaml", to: to,
			files: kustomizeTree("resources:\r- ../../base\rimages:\r- name: ghcr.io/shop/search-api\r  newTag: 1.0.0\r  digest: " + digestA + "\r"),
			want:  "resources:\r- ../../base\rimages:\r- name: ghcr.io/shop/search-api\r  newTag: 1.1.0\r  digest: " + digestB + "\r"},
		{name: "inherit-only overlay gains an images entry", file: "apps/search/overlays/prod/kustomization.yaml", to: to,
			files: kustomizeTree("resources:\n  - ../../base\nreplicas:\n  - name: search-api\n    count: 3\n"),
			want: "resources:\n  - ../../base\nreplicas:\n  - name: search-api\n    count: 3\n" +
				"images:\n  - name: ghcr.io/shop/search-api\n    newTag: 1.1.0\n    digest: " + digestB + "\n"},
		{name: "a tag that reads as a number is quoted", file: "apps/search/overlays/prod/kustomization.yaml",
			to:    model.ImageRef{Tag: "1.10"},
			files: kustomizeTree("resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: v1.0\n"),
			want:  "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/shop/search-api\n    newTag: \"1.10\"\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runEditCase(t, tc) })
	}
}

func TestEditsOfManifestsAndValues(t *testing.T) {
	to := model.ImageRef{Tag: "1.1.0", Digest: digestB}
	manifest := strings.Replace(base, "image: ghcr.io/shop/search-api:1.0.0", "image: 'ghcr.io/shop/search-api:1.0.0' # set by hand", 1)
	values := "# prod values\nreplicas: 3\nimage:\n  repository: ghcr.io/shop/search-api\n  tag: 1.0.0   # keep\n"
	// The fuzzer's find: yaml.v3 places an anchored node at its anchor.
	anchored := "image:\n  repository: ghcr.io/shop/search-api\n  tag: &version !!str 1.0.0\nsidecar:\n  tag: *version\n"
	cases := []editCase{
		{name: "a plain manifest's image string", file: "envs/prod/search/deployment.yaml", to: to,
			files: map[string]string{"envs/prod/search/deployment.yaml": manifest},
			want:  strings.Replace(manifest, "'ghcr.io/shop/search-api:1.0.0'", "'ghcr.io/shop/search-api:1.1.0@"+digestB+"'", 1)},
		{name: "helm values with a tag only", file: "environments/prod/search/values.yaml", to: to,
			files: map[string]string{
				"charts/search/Chart.yaml":             "apiVersion: v2\nname: search\nversion: 0.1.0\n",
				"charts/search/values.yaml":            "image:\n  repository: ghcr.io/shop/search-api\n  tag: 0.9.0\n",
				"environments/prod/search/values.yaml": values,
			},
			want:  strings.Replace(values, "tag: 1.0.0   # keep", "tag: 1.1.0   # keep", 1),
			notes: "not pinned by digest: this layout declares a tag only"},
		{name: "an anchored and tagged value keeps its anchor and tag", file: "environments/prod/search/values.yaml", to: to,
			files: map[string]string{
				"charts/search/Chart.yaml":             "apiVersion: v2\nname: search\nversion: 0.1.0\n",
				"charts/search/values.yaml":            "image:\n  repository: ghcr.io/shop/search-api\n  tag: 0.9.0\n",
				"environments/prod/search/values.yaml": anchored,
			},
			want:  strings.Replace(anchored, "&version !!str 1.0.0", "&version !!str 1.1.0", 1),
			notes: "not pinned by digest: this layout declares a tag only"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runEditCase(t, tc) })
	}
}

func runEditCase(t *testing.T, tc editCase) {
	t.Helper()
	files := map[string][]byte{}
	for p, s := range tc.files {
		files[p] = []byte(s)
	}
	d := declaredIn(t, files, "prod")
	got, notes, err := EditImage(files[d.Location.File], d, tc.to)
	if err != nil {
		t.Fatal(err)
	}
	if d.Location.File != tc.file {
		t.Fatalf("declared in %s, want %s", d.Location.File, tc.file)
	}
	if string(got) != tc.want {
		t.Fatalf("edited file:\n%q\nwant:\n%q", got, tc.want)
	}
	if strings.Join(notes, "; ") != tc.notes {
		t.Errorf("notes = %q, want %q", notes, tc.notes)
	}
	files[d.Location.File] = got
	after := declaredIn(t, files, "prod")
	if after.Ref.Tag != tc.to.Tag || (tc.notes == "" && after.Ref.Digest != tc.to.Digest) {
		t.Errorf("read again: %s, want tag %s digest %s", after.Ref, tc.to.Tag, tc.to.Digest)
	}
}

// declaredIn reads the tree and returns search's one image in env.
func declaredIn(t *testing.T, files map[string][]byte, env string) model.Declared {
	t.Helper()
	res := gitops.Read(gitops.NewTree("0000000", files))
	for _, d := range res.Declared {
		if d.App == "search" && d.Env == env {
			return d
		}
	}
	t.Fatalf("search is not declared in %s: %+v (problems %+v)", env, res.Declared, res.Problems)
	return model.Declared{}
}

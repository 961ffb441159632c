package repotree

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestFindValuesImagesInListsAndAliases(t *testing.T) {
	src := `defaults:
  image: &img
    repository: ghcr.io/shop/base
    tag: "1.0"
worker:
  image: *img
sidecars:
  - name: proxy
    image: envoyproxy/envoy:v1.30
  - image:
      repository: ghcr.io/shop/log
      tag: "2"
`
	docs, perr := ParseDocs("values.yaml", []byte(src))
	if perr != nil {
		t.Fatal(perr)
	}
	var got []string
	for _, img := range FindValuesImages(docs[0].Root) {
		got = append(got, img.Name+"@"+img.Path+"="+Value(img.Repository)+Value(img.Whole)+":"+Value(img.Tag))
	}
	want := []string{
		"defaults@defaults.image=ghcr.io/shop/base:1.0",
		"worker@worker.image=ghcr.io/shop/base:1.0", // the alias reads as the anchored node
		"proxy@sidecars[0].image=envoyproxy/envoy:v1.30:",
		"sidecars[1]@sidecars[1].image=ghcr.io/shop/log:2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An alias bomb must not hang discovery: the walk is bounded.
func TestFindValuesImagesBoundsAliasExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 {image: {repository: x, tag: \"1\"}}\n")
	for i := 1; i <= 40; i++ {
		prev := "l" + itoa(i-1)
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " {a: *" + prev + ", b: *" + prev + "}\n")
	}
	// Not through ParseDocs, which refuses the bomb: the walk holds on its
	// own for nodes parsed elsewhere.
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(FindValuesImages(doc.Content[0])); n == 0 || n > maxValuesVisits {
		t.Errorf("found %d images, want some but at most %d", n, maxValuesVisits)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// A chart may keep an image under its own name (redis.repository +
// redis.tag); a chart repository URL is not one.
func TestFindValuesImagesUnderTheirOwnName(t *testing.T) {
	src := "redis:\n  repository: docker.io/bitnami/redis\n  tag: 7.2.4\nchart:\n  repository: https://charts.example.org\n  tag: 1.0.0\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	imgs := FindValuesImages(doc.Content[0])
	if len(imgs) != 1 || imgs[0].Name != "redis" || imgs[0].Path != "redis" || imgs[0].Tag.Line != 3 {
		t.Fatalf("images %+v", imgs)
	}
}

// An alias cycle that did not come through CheckYAML (a document built by
// hand) ends the walk at MaxDepth instead of running on.
func TestFindValuesImagesEndsAnAliasCycle(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("base: &img\n  image: *img\n  other:\n    image: {repository: r.example/x, tag: \"1\"}\n"), &doc); err != nil {
		t.Fatal(err)
	}
	images := FindValuesImages(doc.Content[0])
	if !slices.ContainsFunc(images, func(img ValuesImage) bool { return img.Path == "base.other.image" }) {
		t.Fatalf("base.other.image not found among %d images", len(images))
	}
	for _, img := range images {
		if n := strings.Count(img.Path, "."); n > MaxDepth+1 {
			t.Errorf("an image %d levels deep: the walk followed the cycle past the bound", n)
		}
	}
}

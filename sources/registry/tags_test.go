package registry

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestTagsNewestFirst(t *testing.T) {
	tr := newTestRegistry(t)
	for _, v := range []string{"1.2.0", "1.10.0", "v1.9.1", "2.0.0-rc.1"} {
		tr.push(t, "shop/app:"+v, plainImage(t))
	}
	jan := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	mar := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tr.push(t, "shop/app:main-abc", annotatedImage(t, map[string]string{keyCreated: jan.Format(time.RFC3339)}, nil))
	def := annotatedImage(t, nil, map[string]string{keyCreated: mar.Format(time.RFC3339)}) // a label this time
	defDigest := tr.push(t, "shop/app:main-def", def)
	tr.push(t, "shop/app:latest", def)
	tr.push(t, "shop/app:nightly", plainImage(t)) // no created anywhere: sorts last
	tr.arm()

	o := Options{CacheDir: t.TempDir(), Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}, TagPageSize: 2}
	tags, err := New(o).Tags(context.Background(), tr.host+"/shop/app")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tag := range tags {
		names = append(names, tag.Name)
	}
	want := []string{"2.0.0-rc.1", "1.10.0", "v1.9.1", "1.2.0", "latest", "main-def", "main-abc", "nightly"}
	if !slices.Equal(names, want) {
		t.Errorf("tags %v, want %v", names, want)
	}
	if tags[5].Digest != defDigest || tags[5].Created == nil || !tags[5].Created.Equal(mar) {
		t.Errorf("main-def: %+v, want digest %s created %s", tags[5], defDigest, mar)
	}
	if tags[0].Digest != "" {
		t.Errorf("version tags need no lookup, got digest for %s", tags[0].Name)
	}
	// Four pages of two, then the registry repeats itself and listing stops.
	if n := tr.count("GET tags"); n != 5 {
		t.Errorf("%d tag list requests, want 5 (paged by 2)", n)
	}
	if n, byTag := tr.count("HEAD manifest")+tr.count("GET manifest"), tr.tagAsks(); n != 4 || byTag != 4 {
		t.Errorf("%d manifest requests (%d by tag), want 4: one GET by tag per non-version tag", n, byTag)
	}
}

func TestTagsOfMissingRepository(t *testing.T) {
	tr := newTestRegistry(t)
	tr.arm()
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true }, Keychain: &countingKeychain{}}
	_, err := New(o).Tags(context.Background(), tr.host+"/shop/nothing")
	f, ok := err.(*Fault)
	if !ok || f.Kind != FaultNotFound || f.Message != "registry "+tr.host+": repository shop/nothing not found" {
		t.Errorf("err = %v, want a not-found fault naming the repository", err)
	}
}

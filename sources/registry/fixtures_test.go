package registry

import (
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

var (
	created1 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	created2 = time.Date(2026, 4, 2, 8, 30, 0, 0, time.UTC)
)

func identity(version, revision, source string, created time.Time) map[string]string {
	return map[string]string{
		keyVersion: version, keyRevision: revision, keySource: source,
		keyCreated: created.Format(time.RFC3339),
	}
}

// plainImage is a small random image with neither annotations nor labels.
func plainImage(t testing.TB) v1.Image {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func labeledImage(t testing.TB, labels map[string]string) v1.Image {
	t.Helper()
	img, err := mutate.Config(plainImage(t), v1.Config{Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func annotatedImage(t testing.TB, annotations, labels map[string]string) v1.Image {
	t.Helper()
	return mutate.Annotations(labeledImage(t, labels), annotations).(v1.Image)
}

// platformIndex builds an index of the images, one per platform, after an
// attestation manifest like BuildKit writes (it must not count as a platform).
func platformIndex(t testing.TB, annotations map[string]string, children map[string]v1.Image, order ...string) v1.ImageIndex {
	t.Helper()
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
		Add: plainImage(t),
		Descriptor: v1.Descriptor{
			Platform:    &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest"},
		},
	})
	for _, p := range order {
		plat, err := v1.ParsePlatform(p)
		if err != nil {
			t.Fatal(err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: children[p], Descriptor: v1.Descriptor{Platform: plat}})
	}
	if annotations != nil {
		idx = mutate.Annotations(idx, annotations).(v1.ImageIndex)
	}
	return idx
}

type digester interface{ Digest() (v1.Hash, error) }

func digestOf(t testing.TB, d digester) string {
	t.Helper()
	h, err := d.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// push writes an image or index under host/repo:tag and returns its digest.
func (tr *testRegistry) push(t testing.TB, repoTag string, artifact digester) string {
	t.Helper()
	ref, err := name.NewTag(tr.host+"/"+repoTag, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	switch a := artifact.(type) {
	case v1.ImageIndex:
		err = remote.WriteIndex(ref, a)
	case v1.Image:
		err = remote.Write(ref, a)
	}
	if err != nil {
		t.Fatalf("push %s: %v", repoTag, err)
	}
	return digestOf(t, artifact)
}

// world is what the fact tests push: one of each kind of artifact.
type world struct {
	labeled, both, plain             string // single-platform images
	index, amd64, arm64              string // annotated multi-arch index and its children
	mixed                            string // index without annotations; its first platform has labels
	movedFrom, movedTo               string // shop/moving:v1 before and after it moved
	labeledIdentity, bothAnnotations map[string]string
	mixedChildLabels                 map[string]string
	indexAnnotations                 map[string]string
	bothLabels                       map[string]string
}

func pushWorld(t testing.TB, tr *testRegistry) world {
	t.Helper()
	w := world{
		labeledIdentity:  identity("1.4.0", "abc1234def5678", "https://github.com/shop/labels", created1),
		bothAnnotations:  identity("5.0.0", "5555555aaaa", "https://github.com/shop/both", created2),
		bothLabels:       identity("0.0.1-label", "label", "https://label.example", created1),
		indexAnnotations: identity("2.0.0", "2222222bbbb", "https://github.com/shop/multi", created2),
		mixedChildLabels: identity("3.1.0", "3333333cccc", "https://github.com/shop/mixed", created1),
	}
	w.labeled = tr.push(t, "shop/labels:1.4.0", labeledImage(t, w.labeledIdentity))
	w.both = tr.push(t, "shop/both:5.0.0", annotatedImage(t, w.bothAnnotations, w.bothLabels))
	w.plain = tr.push(t, "shop/plain:latest", plainImage(t))

	amd64, arm64 := plainImage(t), plainImage(t)
	w.amd64, w.arm64 = digestOf(t, amd64), digestOf(t, arm64)
	w.index = tr.push(t, "shop/multi:2.0.0", platformIndex(t, w.indexAnnotations,
		map[string]v1.Image{"linux/amd64": amd64, "linux/arm64/v8": arm64}, "linux/amd64", "linux/arm64/v8"))

	w.mixed = tr.push(t, "shop/mixed:3.1.0", platformIndex(t, nil,
		map[string]v1.Image{"linux/arm64": labeledImage(t, w.mixedChildLabels), "linux/amd64": plainImage(t)},
		"linux/arm64", "linux/amd64"))

	w.movedFrom = tr.push(t, "shop/moving:v1", plainImage(t))
	w.movedTo = tr.push(t, "shop/moving:v1", plainImage(t)) // the tag moves after Git pinned it
	return w
}

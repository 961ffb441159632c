package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The OCI annotation (and label) keys ferry reads an identity from.
const (
	keyVersion  = "org.opencontainers.image.version"
	keyRevision = "org.opencontainers.image.revision"
	keySource   = "org.opencontainers.image.source"
	keyCreated  = "org.opencontainers.image.created"
)

// build is one pushed build of an app, as the registry holds it.
type build struct {
	Version  string
	Revision string // the source commit, 40 hex digits
	Digest   string // manifest digest, or index digest for a multi-arch build
	Index    bool
	// Platform is the linux/amd64 manifest digest of an index (runtimes
	// report it in the platform form), else Digest.
	Platform string
}

// platforms of a multi-arch build.
var platforms = []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}}

// buildSpec is what makes one build: everything is derived from the seed.
type buildSpec struct {
	App      appPlan
	N        int
	Seed     int64
	Revision string
}

// seedFor derives a stable random source for one thing of the world.
func seedFor(seed int64, parts ...any) rand.Source {
	h := fnv.New64a()
	fmt.Fprint(h, seed)
	for _, p := range parts {
		fmt.Fprint(h, "/", p)
	}
	return rand.NewSource(int64(h.Sum64()))
}

// identity is the version/revision/source/created set of a build.
func (s buildSpec) identity() map[string]string {
	return map[string]string{
		keyVersion:  s.App.version(s.N),
		keyRevision: s.Revision,
		keySource:   "https://github.com/ferry-demo/" + s.App.Name,
		keyCreated:  buildTime(s.N).Format("2006-01-02T15:04:05Z"),
	}
}

// image makes the image of one platform: one small random layer and a
// config carrying the platform, the creation time, and labels when the
// app's style says so.
func (s buildSpec) image(p v1.Platform) (v1.Image, error) {
	layer, err := random.Layer(512, types.OCILayer,
		random.WithSource(seedFor(s.Seed, "layer", s.App.Name, s.N, p.Architecture)))
	if err != nil {
		return nil, err
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.AppendLayers(base, layer)
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = p.OS, p.Architecture
	cfg.Created = v1.Time{Time: buildTime(s.N)}
	cfg.Config.Cmd = []string{"/" + s.App.Name}
	if s.App.Style == labelled {
		cfg.Config.Labels = s.identity()
	}
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		return nil, err
	}
	if s.App.Style == annotated && !s.App.MultiArch {
		img = mutate.Annotations(img, s.identity()).(v1.Image)
	}
	return img, nil
}

// index makes a multi-arch build: an OCI index over one image per platform,
// annotated on the index when the app's style says so.
func (s buildSpec) index() (v1.ImageIndex, error) {
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range platforms {
		img, err := s.image(p)
		if err != nil {
			return nil, err
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &p},
		})
	}
	if s.App.Style == annotated {
		idx = mutate.Annotations(idx, s.identity()).(v1.ImageIndex)
	}
	return idx, nil
}

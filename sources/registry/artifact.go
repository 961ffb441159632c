package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The OCI keys ferry reads, from annotations first and labels second.
const (
	keyVersion  = "org.opencontainers.image.version"
	keyRevision = "org.opencontainers.image.revision"
	keySource   = "org.opencontainers.image.source"
	keyCreated  = "org.opencontainers.image.created"
)

// readArtifact reads what a fetched manifest or index says about its
// artifact: platforms, then identity from annotations, then (only if they
// lack some) from config labels or the first platform's manifest.
func (run *run) readArtifact(ctx context.Context, t target, desc *remote.Descriptor, depth int) (artifact, error) {
	a := artifact{MediaType: string(desc.MediaType)}
	switch {
	case desc.MediaType.IsIndex():
		return run.indexArtifact(ctx, t, desc, a, depth)
	case desc.MediaType.IsSchema1():
		return a, nil // no annotations, no labels ferry can read
	}
	var m v1.Manifest
	if err := json.Unmarshal(desc.Manifest, &m); err != nil {
		return artifact{}, errors.New("manifest is not valid JSON")
	}
	a.identify(m.Annotations)
	if a.complete() || !isImageConfig(m.Config.MediaType) {
		return a, nil
	}
	// Labels live in the config blob: one more GET, only when needed.
	img, err := desc.Image()
	if err != nil {
		return artifact{}, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return artifact{}, err
	}
	a.identify(cfg.Config.Labels)
	if a.Created == nil && !cfg.Created.IsZero() && cfg.Created.Year() > 1980 {
		created := cfg.Created.UTC()
		a.Created = &created // reproducible builds stamp 1970: that says nothing
	}
	return a, nil
}

// indexArtifact reads an index: its children per platform, and its identity
// from its annotations, else from its first platform's manifest.
func (run *run) indexArtifact(ctx context.Context, t target, desc *remote.Descriptor, a artifact, depth int) (artifact, error) {
	im, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
	if err != nil {
		return artifact{}, errors.New("index manifest is not valid JSON")
	}
	a.Index = true
	a.Platforms = platforms(im.Manifests)
	a.identify(im.Annotations)
	first, ok := firstPlatform(im.Manifests)
	if a.complete() || !ok || depth > 1 {
		return a, nil
	}
	child, err := run.artifactAt(ctx, t, first.Digest.String(), depth+1)
	if err != nil {
		return artifact{}, err
	}
	a.adopt(child)
	return a, nil
}

func platforms(children []v1.Descriptor) map[string]string {
	out := map[string]string{}
	for _, c := range children {
		if key, ok := platformKey(c); ok && out[key] == "" {
			out[key] = c.Digest.String()
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// platformKey is "os/arch[/variant]"; attestations ("unknown/unknown") and
// children without a platform are no platform.
func platformKey(c v1.Descriptor) (string, bool) {
	p := c.Platform
	if p == nil || p.OS == "" || p.OS == "unknown" || c.Annotations["vnd.docker.reference.type"] != "" {
		return "", false
	}
	key := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		key += "/" + p.Variant
	}
	return key, true
}

func firstPlatform(children []v1.Descriptor) (v1.Descriptor, bool) {
	for _, c := range children {
		if _, ok := platformKey(c); ok {
			return c, true
		}
	}
	return v1.Descriptor{}, false
}

func isImageConfig(mt types.MediaType) bool {
	return mt == types.OCIConfigJSON || mt == types.DockerConfigJSON
}

// identify fills what is still missing from a set of annotations or labels.
func (a *artifact) identify(kv map[string]string) {
	fillString(&a.Version, kv[keyVersion])
	fillString(&a.Revision, kv[keyRevision])
	fillString(&a.Source, kv[keySource])
	if a.Created == nil && kv[keyCreated] != "" {
		if t, err := time.Parse(time.RFC3339, kv[keyCreated]); err == nil {
			t = t.UTC()
			a.Created = &t
		}
	}
}

// adopt fills what is still missing from another artifact's identity.
func (a *artifact) adopt(b artifact) {
	fillString(&a.Version, b.Version)
	fillString(&a.Revision, b.Revision)
	fillString(&a.Source, b.Source)
	if a.Created == nil {
		a.Created = b.Created
	}
}

func (a artifact) complete() bool {
	return a.Version != "" && a.Revision != "" && a.Source != "" && a.Created != nil
}

func fillString(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

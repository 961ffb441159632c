// Package imageref parses image references with go-containerregistry's name
// package into model.ImageRef, so that every source reads a reference the way
// registries and container runtimes do.
package imageref

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/ferryhq/ferry/model"
)

// Parse splits a reference such as "ghcr.io/shop/api:v1.2@sha256:…" into
// repository, tag and digest. The repository is kept as written (no
// "index.docker.io/library/" is added), so it matches what Git holds; a
// reference with neither tag nor digest has an empty tag.
func Parse(ref string) (model.ImageRef, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return model.ImageRef{}, fmt.Errorf("empty image reference")
	}
	invalid := func(err error) (model.ImageRef, error) {
		return model.ImageRef{}, fmt.Errorf("invalid image reference %q: %s", ref, err)
	}
	named, digest, hasDigest := strings.Cut(ref, "@")
	if hasDigest {
		if _, err := name.NewDigest(ref, name.WeakValidation); err != nil {
			return invalid(err)
		}
	}
	tagged, err := name.NewTag(named, name.WeakValidation, name.WithDefaultTag(""))
	if err != nil {
		return invalid(err)
	}
	tag := tagged.TagStr()
	repo := named
	if tag != "" {
		repo = strings.TrimSuffix(named, ":"+tag)
	}
	return model.ImageRef{Repository: repo, Tag: tag, Digest: digest}, nil
}

// ParseParts builds a reference from separately declared fields (Helm's
// image.registry / repository / tag / digest, kustomize's newName / newTag /
// digest) and validates it as a whole.
func ParseParts(registry, repository, tag, digest string) (model.ImageRef, error) {
	repo := repository
	if registry != "" {
		repo = strings.TrimSuffix(registry, "/") + "/" + repository
	}
	ref := repo
	if tag != "" {
		ref += ":" + tag
	}
	if digest != "" {
		ref += "@" + digest
	}
	return Parse(ref)
}

// Registry returns the registry host of a repository as go-containerregistry
// resolves it ("index.docker.io" for Docker Hub short names).
func Registry(repository string) string {
	r, err := name.NewRepository(repository, name.WeakValidation)
	if err != nil {
		return ""
	}
	return r.RegistryStr()
}

package cluster_test

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// FuzzParseImageID feeds imageID strings in every runtime's form and
// mangled ones: a digest comes back only with a repository, only as
// written at the end of the input, and never for a docker:// config ID.
func FuzzParseImageID(f *testing.F) {
	for _, seed := range []string{
		"docker-pullable://registry.example.org/shop/api@" + digestA,
		"localhost:5000/api:1.2@" + digestA,
		"containerd://ghcr.io/x/y@" + digestA,
		"cri-o://quay.io/a/b@sha512:" + strings.Repeat("ab", 64),
		configC, configC[len("sha256:"):], "docker://" + configC,
		"", "@" + digestA, "repo@sha256:short", "a@b@" + digestA,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got := cluster.ParseImageID(id)
		if got.Digest == model.UnknownDigest {
			if got.Repository != "" {
				t.Fatalf("%q: repository %q without a digest", id, got.Repository)
			}
			return
		}
		trimmed := strings.TrimSpace(id)
		if got.Repository == "" || strings.HasPrefix(trimmed, "docker://") ||
			!strings.HasSuffix(trimmed, "@"+got.Digest) || !strings.Contains(trimmed, got.Repository) {
			t.Fatalf("%q: parsed as %+v", id, got)
		}
	})
}

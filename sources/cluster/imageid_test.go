package cluster_test

import (
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

func TestParseImageID(t *testing.T) {
	a, c := digestA, configC
	for _, tc := range []struct {
		id, repo, digest string
	}{
		{"docker-pullable://registry.example.org/shop/api@" + a, "registry.example.org/shop/api", a},
		{"registry.example.org/shop/api@" + a, "registry.example.org/shop/api", a},
		{"docker.io/library/nginx@" + a, "docker.io/library/nginx", a},
		{"localhost:5000/api:1.2@" + a, "localhost:5000/api", a},
		{"localhost:5000/api@" + a, "localhost:5000/api", a},
		{"containerd://ghcr.io/x/y@" + a, "ghcr.io/x/y", a},
		{c, "", model.UnknownDigest},                   // bare config ID
		{c[len("sha256:"):], "", model.UnknownDigest},  // hex only
		{"docker://" + c, "", model.UnknownDigest},     // local image ID
		{"", "", model.UnknownDigest},                  // not started
		{"repo@sha256:short", "", model.UnknownDigest}, // malformed digest
		{"@" + a, "", model.UnknownDigest},             // digest without repository
	} {
		got := cluster.ParseImageID(tc.id)
		if got.Repository != tc.repo || got.Digest != tc.digest {
			t.Errorf("ParseImageID(%q) = %+v, want %s %s", tc.id, got, tc.repo, tc.digest)
		}
	}
}

func TestGitRevision(t *testing.T) {
	commit := "0123456789abcdef0123456789abcdef01234567"
	for in, want := range map[string]string{
		"main@sha1:" + commit: commit,
		"sha1:" + commit:      commit,
		"main/" + commit:      commit,
		commit:                commit,
		"1.4.0":               "1.4.0",
	} {
		if got := cluster.GitRevision(in); got != want {
			t.Errorf("GitRevision(%q) = %q, want %q", in, got, want)
		}
	}
}

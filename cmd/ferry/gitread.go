package main

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"

	"github.com/ferryhq/ferry/sources/gitops"
)

// readGit reads what every environment declares. Kustomize build results
// are kept between runs in the XDG cache: a build costs milliseconds per
// overlay, and most overlays do not change between two `ferry status`.
func readGit(tree *gitops.Tree, cache bool) *gitops.Result {
	if !cache {
		return gitops.Read(tree)
	}
	path := filepath.Join(xdg.CacheHome, "ferry", "kustomize-builds.gob")
	if data, err := os.ReadFile(path); err == nil {
		if err := gitops.ReadBuildCache(bytes.NewReader(data)); err != nil {
			logf()("kustomize build cache %s not used: %v", path, err)
		}
	}
	res := gitops.Read(tree)
	var buf bytes.Buffer
	if err := gitops.WriteBuildCache(&buf); err == nil {
		writeAtomically(path, buf.Bytes())
	}
	return res
}

// writeAtomically replaces a cache file so that a concurrent reader sees the
// old or the new file, never half of one. Failure only costs speed.
func writeAtomically(path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		logf()("cache %s: %v", path, err)
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		logf()("cache %s: %v", path, err)
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		logf()("cache %s: %v", path, err)
	}
}

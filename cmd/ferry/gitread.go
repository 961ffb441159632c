package main

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"

	"github.com/ferryhq/ferry/internal/fsutil"
	"github.com/ferryhq/ferry/sources/gitops"
)

// readGit reads what every environment declares. Kustomize build results
// are kept between runs in the XDG cache: a build costs milliseconds per
// overlay, and most overlays do not change between two `ferry status`.
//
// Kustomize prints deprecation warnings straight to os.Stderr: descriptor 2
// goes to the log while it reads, for every command that reads the repo.
func readGit(tree *gitops.Tree, cache bool) *gitops.Result {
	if restore, err := quietStderr(); err == nil {
		defer restore()
	}
	if !cache {
		res := gitops.Read(tree)
		lastReading.Store(res)
		return res
	}
	path := filepath.Join(xdg.CacheHome, "ferry", "kustomize-builds.gob")
	if data, err := os.ReadFile(path); err == nil {
		if err := gitops.ReadBuildCache(bytes.NewReader(data)); err != nil {
			logf()("kustomize build cache %s not used: %v", path, err)
		}
	}
	res := gitops.Read(tree)
	lastReading.Store(res)
	var buf bytes.Buffer
	if err := gitops.WriteBuildCache(&buf); err == nil {
		if err := fsutil.WriteAtomic(path, buf.Bytes()); err != nil {
			logf()("kustomize build cache %s not written: %v", path, err)
		}
	}
	return res
}

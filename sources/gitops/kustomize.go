package gitops

import (
	"io"

	"github.com/ferryhq/ferry/sources/kustomize"
)

// PrebuildOverlays builds the overlays in dirs on several goroutines and
// keeps the results, so that reading the tree finds them built.
func PrebuildOverlays(t *Tree, dirs []string) { kustomize.Prebuild(t, dirs) }

// WriteBuildCache saves the kustomize build results of this process, so the
// next run builds only overlays whose inputs changed.
func WriteBuildCache(w io.Writer) error { return kustomize.WriteCache(w) }

// ReadBuildCache loads results saved by WriteBuildCache; a cache from
// another ferry build is an error and nothing is loaded.
func ReadBuildCache(r io.Reader) error { return kustomize.ReadCache(r) }

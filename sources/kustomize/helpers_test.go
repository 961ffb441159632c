package kustomize

import (
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/sources/repotree"
)

// loadTreeDir reads a fixture directory into a Tree, as the repo reader
// would from a commit.
func loadTreeDir(t testing.TB, dir string) *repotree.Tree {
	t.Helper()
	return repotree.NewTree("fixture", testrepo.Files(t, dir))
}

package repotree

import (
	"path"
	"sort"
	"strings"
)

// Tree is a read-only snapshot of the repo's files at one commit (or of the
// work tree): repo-relative slash paths to contents. Everything ferry reads
// from Git is read from a Tree, so discovery and kustomize builds never touch
// the disk or the object store twice.
type Tree struct {
	// Commit is the commit hash the tree was read from, or "" for a dirty
	// work tree.
	Commit string
	// Refs reads the other branches and tags of the repository the tree
	// came from (an environment may live on a branch of its own); nil for
	// a tree made in memory.
	Refs Refs
	// Skipped are the files left out for their size (path → bytes), and
	// Refused the YAML files left out for going past a limit of CheckYAML:
	// the reader reports them, so nothing vanishes without a word.
	Skipped map[string]int64
	Refused map[string]Exceeded
	// BrokenLinks are the symbolic links that could not be followed (out
	// of the repo, dangling, looping), with why; the others are read as
	// what they point to (FollowLinks).
	BrokenLinks map[string]string
	files       map[string][]byte
	paths       []string
}

// Refs reads other branches and tags of a repository.
type Refs interface {
	// Branches lists the branch names, local and remote-tracking alike.
	Branches() []string
	// Tree reads the tree a branch, tag or commit names.
	Tree(ref string) (*Tree, error)
}

// MaxFileSize bounds what ferry reads of one file: GitOps repos hold YAML,
// and a stray binary should not cost memory.
const MaxFileSize = 4 << 20

// NewTree builds a tree from file contents; used by the repo reader and by
// tests. Files over MaxFileSize, and YAML files past CheckYAML's limits,
// are left out (Skipped, Refused) however the tree is made, so that no
// reader, kustomize and Helm included, ever sees them. files is not
// changed: a tree that leaves some out holds a copy.
func NewTree(commit string, files map[string][]byte) *Tree {
	t := &Tree{Commit: commit, files: files, paths: make([]string, 0, len(files)),
		Skipped: map[string]int64{}, Refused: map[string]Exceeded{}}
	for p, data := range files {
		if t.keep(p, data) {
			t.paths = append(t.paths, p)
		}
	}
	if len(t.paths) < len(files) {
		t.files = make(map[string][]byte, len(t.paths))
		for _, p := range t.paths {
			t.files[p] = files[p]
		}
	}
	sort.Strings(t.paths)
	return t
}

// keep reports whether a file is within the limits, recording why not.
func (t *Tree) keep(p string, data []byte) bool {
	if len(data) > MaxFileSize {
		t.Skipped[p] = int64(len(data))
		return false
	}
	if !ReadsAsYAML(p) {
		return true
	}
	if e := CheckYAML(data); e != nil {
		t.Refused[p] = *e
		return false
	}
	return true
}

// Read returns a file's contents.
func (t *Tree) Read(p string) ([]byte, bool) {
	b, ok := t.files[path.Clean(p)]
	return b, ok
}

// Has reports whether a file exists.
func (t *Tree) Has(p string) bool {
	_, ok := t.files[path.Clean(p)]
	return ok
}

// Paths returns every file path in sorted order.
func (t *Tree) Paths() []string { return t.paths }

// Files returns the contents map; callers must not modify it.
func (t *Tree) Files() map[string][]byte { return t.files }

// Under returns the files below dir ("" for the whole tree), sorted.
func (t *Tree) Under(dir string) []string {
	if dir == "" || dir == "." {
		return t.paths
	}
	prefix := strings.TrimSuffix(dir, "/") + "/"
	i := sort.SearchStrings(t.paths, prefix)
	j := i
	for j < len(t.paths) && strings.HasPrefix(t.paths[j], prefix) {
		j++
	}
	return t.paths[i:j]
}

// ReadsAsYAML reports whether a reader parses the file as YAML: YAML,
// JSON (kustomize patches, values schemas) and kustomize's Kustomization.
func ReadsAsYAML(p string) bool {
	return IsYAML(p) || strings.HasSuffix(p, ".json") || path.Base(p) == "Kustomization"
}

// IsYAML reports whether a path names a YAML file.
func IsYAML(p string) bool {
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")
}

package gitops

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/sources/repotree"
)

// maxFileSize is the tree's limit, checked here before a file is read.
const maxFileSize = repotree.MaxFileSize

// Repo is an opened GitOps repository: a local work tree, or a bare clone in
// ferry's cache of a remote URL.
type Repo struct {
	git *git.Repository
	// Root is the work tree's top directory ("" for a cached clone).
	Root string
	// Origin is what the user named: a path or a URL.
	Origin string
}

// Open opens the repository that contains path (path may be a subdirectory).
func Open(path string) (*Repo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("repo %s: no such directory", path)
	}
	r, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// A bare repository (a remote on disk) has no .git to detect.
		if bare, berr := git.PlainOpen(abs); berr == nil {
			return &Repo{git: withOpenPacks(bare, abs, ""), Origin: path}, nil
		}
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("repo %s: not a git repository (nor is any parent directory); name one with --repo, or try `ferry demo`", path)
	}
	if err != nil {
		return nil, fmt.Errorf("repo %s: %w", path, err)
	}
	root := ""
	if wt, err := r.Worktree(); err == nil {
		root = wt.Filesystem.Root()
		r = withOpenPacks(r, filepath.Join(root, ".git"), root)
	}
	return &Repo{git: r, Root: root, Origin: path}, nil
}

// IsRemote reports whether s names a remote repository rather than a path.
func IsRemote(s string) bool {
	return strings.Contains(s, "://") || scpLike.MatchString(s)
}

var scpLike = regexp.MustCompile(`^[\w.-]+@[\w.-]+:`)

// Clone opens a cached bare clone of url under cacheDir, cloning it the first
// time and fetching it on later runs.
func Clone(ctx context.Context, url, cacheDir string) (*Repo, error) {
	sum := sha256.Sum256([]byte(url))
	dir := filepath.Join(cacheDir, "repos", hex.EncodeToString(sum[:8]))
	r, err := git.PlainOpen(dir)
	if err == nil {
		err = fetch(ctx, r)
	} else {
		r, err = git.PlainCloneContext(ctx, dir, true, &git.CloneOptions{URL: url, Tags: git.AllTags})
		if err != nil {
			os.RemoveAll(dir)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("repo %s: cannot clone: %s", url, ExplainTransport(url, err))
	}
	return &Repo{git: withOpenPacks(r, dir, ""), Origin: url}, nil
}

// fetch brings a cached bare clone's branches and tags up to date.
func fetch(ctx context.Context, r *git.Repository) error {
	err := r.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []config.RefSpec{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"},
		Force:    true,
	})
	if errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil
	}
	return err
}

// ExplainTransport turns go-git's transport errors on url into advice
// that names the host and what is missing. Push (sources/gitwrite) and
// clone and fetch say the same.
func ExplainTransport(url string, err error) string {
	host := HostOf(url)
	switch {
	case strings.Contains(err.Error(), "SSH_AUTH_SOCK"):
		return fmt.Sprintf("%s is reached over SSH and no ssh-agent is running: start one and ssh-add your key, or use an https URL with a token", host)
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		return fmt.Sprintf("%s refused the credentials (%s): ferry uses go-git, which reads neither ~/.ssh/config nor git credential helpers — use an ssh-agent key, a token in FERRY_GIT_TOKEN, or one in the URL", host, OneLine(err))
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return "repository not found on " + host
	case errors.Is(err, syscall.ECONNREFUSED):
		return host + " refused the connection: nothing listens there — is the URL right and the server up?"
	}
	if words, ok := netwait.Current().Explain(host, err); ok {
		return words
	}
	return OneLine(err)
}

// OneLine is an error's text on one line: a server's answer that go-git
// quotes may end in a newline or hold several.
func OneLine(err error) string {
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

// HostOf names the host of a Git URL (https, ssh or scp-like).
func HostOf(url string) string {
	if m := scpHost.FindStringSubmatch(url); m != nil {
		return m[1]
	}
	if _, rest, ok := strings.Cut(url, "://"); ok {
		host, _, _ := strings.Cut(rest, "/")
		if _, h, ok := strings.Cut(host, "@"); ok {
			host = h
		}
		return host
	}
	return "the remote"
}

var scpHost = regexp.MustCompile(`^[\w.-]+@([\w.-]+):`)

// Head returns the commit HEAD points at.
func (r *Repo) Head() (string, error) {
	defer r.lock()()
	h, err := r.git.Head()
	if err != nil {
		return "", fmt.Errorf("repo %s: no HEAD commit: %w", r.Origin, err)
	}
	return h.Hash().String(), nil
}

// Tree reads the files of the commit ref names ("" for HEAD): a branch, tag,
// short or full hash, or any revision go-git resolves.
func (r *Repo) Tree(ref string) (*repotree.Tree, error) {
	defer r.lock()()
	rev := ref
	if rev == "" {
		rev = "HEAD"
	}
	hash, err := r.git.ResolveRevision(plumbing.Revision(rev))
	switch {
	case err != nil && ref == "" && r.empty():
		return nil, fmt.Errorf("repo %s has no commits yet: commit the deploy configuration first", r.Origin)
	case err != nil && ref == "":
		return nil, fmt.Errorf("repo %s: HEAD names no commit (%v): check out a branch", r.Origin, err)
	case err != nil:
		return nil, fmt.Errorf("repo %s: cannot resolve --ref %q: %w", r.Origin, rev, err)
	}
	commit, err := r.git.CommitObject(*hash)
	if err != nil {
		return nil, fmt.Errorf("repo %s: commit %s: %w", r.Origin, hash, err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("repo %s: tree of %s: %w", r.Origin, hash, err)
	}
	files, skipped, links := map[string][]byte{}, map[string]int64{}, map[string]string{}
	err = tree.Files().ForEach(func(f *object.File) error {
		if f.Mode == filemode.Symlink {
			target, err := f.Contents()
			links[f.Name] = target
			return err
		}
		if !f.Mode.IsFile() {
			return nil
		}
		if f.Size > maxFileSize {
			skipped[f.Name] = f.Size
			return nil
		}
		rd, err := f.Reader()
		if err != nil {
			return err
		}
		defer rd.Close()
		b, err := io.ReadAll(rd)
		files[f.Name] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("repo %s: reading %s: %w", r.Origin, hash, err)
	}
	broken := repotree.FollowLinks(files, links)
	t := repotree.NewTree(hash.String(), files)
	t.Refs, t.BrokenLinks = repoRefs{r}, broken
	maps.Copy(t.Skipped, skipped)
	return t, nil
}

// empty reports whether the repository has no branch at all (git init,
// nothing committed).
func (r *Repo) empty() bool {
	refs, err := r.git.References()
	if err != nil {
		return false
	}
	any := false
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Name().IsBranch() || ref.Name().IsRemote() {
			any = true
		}
		return nil
	})
	return !any
}

// WorktreeTree reads the files of the work tree as they are on disk,
// uncommitted changes included (--worktree). The .git directory is skipped.
func (r *Repo) WorktreeTree() (*repotree.Tree, error) {
	if r.Root == "" {
		return nil, fmt.Errorf("repo %s: --worktree needs a local checkout", r.Origin)
	}
	files, skipped, links := map[string][]byte{}, map[string]int64{}, map[string]string{}
	err := filepath.WalkDir(r.Root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(r.Root, p)
		if d.Type()&os.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			links[filepath.ToSlash(rel)] = filepath.ToSlash(target)
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > maxFileSize {
			skipped[filepath.ToSlash(rel)] = info.Size()
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("repo %s: reading the work tree: %w", r.Origin, err)
	}
	broken := repotree.FollowLinks(files, links)
	t := repotree.NewTree("", files)
	t.Refs, t.BrokenLinks = repoRefs{r}, broken
	maps.Copy(t.Skipped, skipped)
	return t, nil
}

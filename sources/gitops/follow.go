package gitops

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Resolve returns the commit a ref names now ("" for HEAD): the cheap
// question a console asks every second to learn that a branch moved,
// without reading a tree.
func (r *Repo) Resolve(ref string) (string, error) {
	defer r.lock()()
	rev := ref
	if rev == "" {
		rev = "HEAD"
	}
	hash, err := r.git.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return "", fmt.Errorf("repo %s: cannot resolve %q: %w", r.Origin, rev, err)
	}
	return hash.String(), nil
}

// IsClone reports whether the repo is ferry's cached clone of a URL, which
// only learns of new commits by fetching.
func (r *Repo) IsClone() bool { return r.Root == "" && IsRemote(r.Origin) }

// Fetch brings a cached clone up to date with its remote.
func (r *Repo) Fetch(ctx context.Context) error {
	defer r.lock()()
	if err := fetch(ctx, r.git); err != nil {
		return fmt.Errorf("repo %s: cannot fetch: %s", r.Origin, ExplainTransport(r.Origin, err))
	}
	return nil
}

// withOpenPacks reopens a repository whose objects live in dotGit with its
// packfiles kept open: go-git otherwise opens the packfile again for every
// object it reads, which made a walk over 5,000 commits spend most of its
// time in open(2). Where dotGit is not a plain directory (a worktree's
// .git file), the repository is returned as it was.
func withOpenPacks(r *git.Repository, dotGit, workTree string) *git.Repository {
	if info, err := os.Stat(dotGit); err != nil || !info.IsDir() {
		return r
	}
	st := filesystem.NewStorageWithOptions(osfs.New(dotGit), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
	var wt billy.Filesystem
	if workTree != "" {
		wt = osfs.New(workTree)
	}
	reopened, err := git.Open(st, wt)
	if err != nil {
		return r
	}
	return reopened
}

// Git returns the go-git repository, for the packages that write to it
// (sources/gitwrite): reading stays here, writing has its own package.
// go-git is not safe for concurrent use: call it inside WithGit.
func (r *Repo) Git() *git.Repository { return r.git }

// WithGit runs fn with the repository to itself: the console reads it from
// several goroutines (the feed, the clusters' applied check, history).
func (r *Repo) WithGit(fn func(*git.Repository) error) error {
	defer r.lock()()
	return fn(r.git)
}

// repoLocks holds one lock per Repo. go-git's packfile reader is not safe
// for concurrent use (its scanner seeks a shared file), and ferry keeps the
// packfiles open for speed, so every call into go-git takes the lock.
var repoLocks sync.Map // *Repo → *sync.Mutex

func (r *Repo) lock() (unlock func()) {
	m, _ := repoLocks.LoadOrStore(r, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// RefsSignature sums every branch head, local and remote-tracking: it
// changes when any branch moves, so a console follows the environments
// that live on branches of their own, not only the branch it reads.
func (r *Repo) RefsSignature() string {
	defer r.lock()()
	refs, err := r.git.References()
	if err != nil {
		return ""
	}
	var lines []string
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if n := ref.Name(); n.IsBranch() || n.IsRemote() {
			lines = append(lines, n.String()+" "+ref.Hash().String())
		}
		return nil
	})
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:8])
}

// OriginURL is the first URL of a work tree's "origin" remote ("" when it
// has none; a cached clone's origin is its Origin).
func (r *Repo) OriginURL() string {
	defer r.lock()()
	remote, err := r.git.Remote("origin")
	if err != nil || len(remote.Config().URLs) == 0 {
		return ""
	}
	return remote.Config().URLs[0]
}

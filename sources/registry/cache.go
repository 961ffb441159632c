package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ferryhq/ferry/internal/fsutil"
)

// artifact is what a digest names, as far as ferry needs it. A digest never
// changes content, so an artifact is cached forever.
type artifact struct {
	MediaType string            `json:"mediaType"`
	Index     bool              `json:"index"`
	Platforms map[string]string `json:"platforms,omitempty"`
	Version   string            `json:"version,omitempty"`
	Revision  string            `json:"revision,omitempty"`
	Source    string            `json:"source,omitempty"`
	Created   *time.Time        `json:"created,omitempty"`
}

// tagEntry is what a tag resolved to, and when: it expires after TagTTL.
type tagEntry struct {
	Digest   string    `json:"digest"`
	Resolved time.Time `json:"resolved"`
	gen      int64     // the store's generation when it was learned; 0 when read from disk
}

// repoFile is the cache of one repository: one small JSON file, so a run
// touches one file per repository rather than one per tag and digest
// (creating files is what costs on a busy disk). Layout ("v1" lets a later
// format start afresh):
//
//	<dir>/v1/repos/<sha256 of "host/repo">.json
type repoFile struct {
	Repository string              `json:"repository"` // for people reading the cache
	Tags       map[string]tagEntry `json:"tags,omitempty"`
	Artifacts  map[string]artifact `json:"artifacts,omitempty"`
}

// tagKeep is how long a tag entry is kept after it stopped being fresh: it
// is useless then, but a run with a longer TTL may still want it.
const tagKeep = 24 * time.Hour

var digestPattern = regexp.MustCompile(`^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$`)

// cacheStore is a Resolver's memory, backed by the disk cache: each
// repository's file is read at its first use in the Resolver's lifetime,
// kept in memory, and written when a Stream is done with the repository if
// something was learned. Files are replaced atomically and merged with what another ferry
// process wrote meanwhile; a lost entry only costs a lookup. Without a
// directory it is memory only.
type cacheStore struct {
	dir  string // "" disables the disk cache
	logf func(string, ...any)
	gen  atomic.Int64 // tag entries of another generation are forgotten (Refresh)

	mu    sync.Mutex
	repos map[string]*cachedRepo
}

type cachedRepo struct {
	once  sync.Once
	mu    sync.Mutex
	file  repoFile
	dirty bool
}

func newCacheStore(dir string, logf func(string, ...any)) *cacheStore {
	return &cacheStore{dir: dir, logf: logf, repos: map[string]*cachedRepo{}}
}

func (s *cacheStore) repo(key string) *cachedRepo {
	s.mu.Lock()
	c := s.repos[key]
	if c == nil {
		c = &cachedRepo{}
		s.repos[key] = c
	}
	s.mu.Unlock()
	c.once.Do(func() { c.file = s.read(key) })
	return c
}

func (s *cacheStore) artifact(repoKey, digest string) (artifact, bool) {
	c := s.repo(repoKey)
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.file.Artifacts[digest]
	return a, ok
}

func (s *cacheStore) putArtifact(repoKey, digest string, a artifact) {
	c := s.repo(repoKey)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.file.Artifacts[digest] = a
	c.dirty = true
}

// tag returns the digest a tag was last known to name, and whether that
// answer is fresh: younger than ttl and not forgotten by forgetTags.
func (s *cacheStore) tag(repoKey, tag string, ttl time.Duration, now time.Time) (string, bool) {
	c := s.repo(repoKey)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.file.Tags[tag]
	if !ok || !digestPattern.MatchString(e.Digest) {
		return "", false
	}
	age := now.Sub(e.Resolved)
	return e.Digest, e.gen == s.gen.Load() && age >= 0 && age < ttl
}

// forgetTags makes every tag answer known so far stale; the digests they
// named stay, as hints for a HEAD.
func (s *cacheStore) forgetTags() { s.gen.Add(1) }

func (s *cacheStore) putTag(repoKey, tag, digest string, now time.Time) {
	c := s.repo(repoKey)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.file.Tags[tag] = tagEntry{Digest: digest, Resolved: now.UTC(), gen: s.gen.Load()}
	c.dirty = true
}

// flushWriters bounds the files written at once: a cold Stream learns
// about hundreds of repositories, and writing their files one by one kept
// Stream from returning for a good part of a second after its answers.
const flushWriters = 8

// flush writes what was learned and not written yet, one file per
// repository. Lookups go on meanwhile: only the repository being written
// waits.
func (s *cacheStore) flush(ttl time.Duration, now time.Time) {
	if s.dir == "" {
		return
	}
	s.mu.Lock()
	repos := maps.Clone(s.repos)
	s.mu.Unlock()
	sem := make(chan struct{}, flushWriters)
	var wg sync.WaitGroup
	for key, c := range repos {
		if !c.isDirty() {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s.flushRepo(key, c, ttl, now)
		})
	}
	wg.Wait()
}

// flushKey writes one repository's file, if it learned something.
func (s *cacheStore) flushKey(key string, ttl time.Duration, now time.Time) {
	if s.dir == "" {
		return
	}
	s.mu.Lock()
	c := s.repos[key]
	s.mu.Unlock()
	if c != nil {
		s.flushRepo(key, c, ttl, now)
	}
}

func (c *cachedRepo) isDirty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dirty
}

// flushRepo merges a repository's entries with its file (what another
// process wrote meanwhile) and replaces the file; c.mu keeps two flushes of
// one repository apart.
func (s *cacheStore) flushRepo(key string, c *cachedRepo, ttl time.Duration, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return
	}
	merged := s.read(key) // what another process wrote meanwhile
	maps.Copy(merged.Artifacts, c.file.Artifacts)
	maps.Copy(merged.Tags, c.file.Tags)
	maps.DeleteFunc(merged.Tags, func(_ string, e tagEntry) bool { return now.Sub(e.Resolved) > ttl+tagKeep })
	s.write(s.path(key), merged)
	c.dirty = false
}

func (s *cacheStore) path(repoKey string) string {
	sum := sha256.Sum256([]byte(repoKey))
	return filepath.Join(s.dir, "v1", "repos", hex.EncodeToString(sum[:])+".json")
}

// read loads a repository's file; a missing, broken or foreign file reads
// as empty.
func (s *cacheStore) read(repoKey string) repoFile {
	empty := repoFile{Repository: repoKey, Tags: map[string]tagEntry{}, Artifacts: map[string]artifact{}}
	if s.dir == "" {
		return empty
	}
	data, err := os.ReadFile(s.path(repoKey))
	if err != nil {
		return empty
	}
	var f repoFile
	if err := json.Unmarshal(data, &f); err != nil || f.Repository != repoKey {
		s.logf("registry cache: ignoring unreadable entry for %s: %v", repoKey, err)
		return empty
	}
	if f.Tags == nil {
		f.Tags = map[string]tagEntry{}
	}
	if f.Artifacts == nil {
		f.Artifacts = map[string]artifact{}
	}
	return f
}

// write replaces a file atomically; a cache that cannot be written only
// costs lookups next time, so failures are logged, not returned.
func (s *cacheStore) write(path string, v any) {
	data, err := json.Marshal(v)
	if err == nil {
		err = fsutil.WriteAtomic(path, data)
	}
	if err != nil {
		s.logf("registry cache: cannot write %s: %v", path, err)
	}
}

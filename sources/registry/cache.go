package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"time"
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
	Ref      string    `json:"ref"` // host/repo:tag, for people reading the cache
	Digest   string    `json:"digest"`
	Resolved time.Time `json:"resolved"`
}

// diskCache keeps one small JSON file per entry, written atomically, so
// concurrent ferry processes never see half a file and a broken entry costs
// one lookup, not the cache. Layout (v1 lets a later format start afresh):
//
//	<dir>/v1/artifacts/sha256/<hex>.json
//	<dir>/v1/tags/<sha256 of host/repo:tag>.json
type diskCache struct {
	dir  string // "" disables the cache
	logf func(string, ...any)
}

var digestPattern = regexp.MustCompile(`^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$`)

func (c diskCache) artifactPath(digest string) (string, bool) {
	if c.dir == "" || !digestPattern.MatchString(digest) {
		return "", false
	}
	alg, hexDigest := digest[:6], digest[7:]
	return filepath.Join(c.dir, "v1", "artifacts", alg, hexDigest+".json"), true
}

func (c diskCache) tagPath(ref string) (string, bool) {
	if c.dir == "" {
		return "", false
	}
	sum := sha256.Sum256([]byte(ref))
	return filepath.Join(c.dir, "v1", "tags", hex.EncodeToString(sum[:])+".json"), true
}

func (c diskCache) artifact(digest string) (artifact, bool) {
	var a artifact
	path, ok := c.artifactPath(digest)
	return a, ok && c.read(path, &a)
}

func (c diskCache) putArtifact(digest string, a artifact) {
	if path, ok := c.artifactPath(digest); ok {
		c.write(path, a)
	}
}

// tag returns the cached digest of host/repo:tag if it is younger than ttl.
func (c diskCache) tag(ref string, ttl time.Duration, now time.Time) (string, bool) {
	var e tagEntry
	path, ok := c.tagPath(ref)
	if !ok || !c.read(path, &e) || e.Ref != ref || !digestPattern.MatchString(e.Digest) {
		return "", false
	}
	age := now.Sub(e.Resolved)
	return e.Digest, age >= 0 && age < ttl
}

func (c diskCache) putTag(ref, digest string, now time.Time) {
	if path, ok := c.tagPath(ref); ok {
		c.write(path, tagEntry{Ref: ref, Digest: digest, Resolved: now.UTC()})
	}
}

func (c diskCache) read(path string, v any) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	if err := json.Unmarshal(data, v); err != nil {
		c.logf("registry cache: ignoring unreadable entry %s: %v", path, err)
		return false
	}
	return true
}

// write replaces an entry atomically; a cache that cannot be written only
// costs lookups next time, so failures are logged, not returned.
func (c diskCache) write(path string, v any) {
	data, err := json.Marshal(v)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	var tmp *os.File
	if err == nil {
		tmp, err = os.CreateTemp(filepath.Dir(path), ".entry-*")
	}
	if err == nil {
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}
	if err != nil {
		c.logf("registry cache: cannot write %s: %v", path, err)
	}
}

// Package planstore keeps a console user's staged release plan on disk, so
// that a crash, a killed process or a closed terminal never loses staged
// changes: the plan is written after every edit and read back when the
// same repository is opened again.
//
// There is one JSON file per repository, named after its origin (the path
// or URL the user opened), under $XDG_STATE_HOME/ferry/plans by default.
// Every write is atomic and durable (fsutil.WriteAtomic): a reader, or the
// next start after a crash, sees the previous plan or the new one, never
// half of one. A file that cannot be read is left where it is, untouched.
package planstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/adrg/xdg"

	"github.com/ferryhq/ferry/internal/fsutil"
	"github.com/ferryhq/ferry/model"
)

// version is the file format Save writes and the only one Load accepts.
const version = 1

// Store is the file one repository's staged plan is kept in.
type Store struct {
	// Path is the JSON file.
	Path string
	// origin is the canonical origin For was given, recorded in the file;
	// Save falls back to the plan's Repo when it is "".
	origin string
}

// file is the on-disk form.
type file struct {
	Version int        `json:"version"`
	Saved   time.Time  `json:"saved"`
	Origin  string     `json:"origin"`
	Plan    model.Plan `json:"plan"`
}

// scpLike matches the scp-style Git address user@host:path.
var scpLike = regexp.MustCompile(`^[^/@:]+@[^/:]+:`)

// isURL reports whether origin is a URL rather than a local path.
func isURL(origin string) bool {
	return strings.Contains(origin, "://") || scpLike.MatchString(origin)
}

// For returns the store of the repository the user opened, origin (a path
// or a URL), in dir; dir "" means $XDG_STATE_HOME/ferry/plans. A relative
// path is made absolute first, so the same repository opened from
// different working directories shares one file.
func For(origin, dir string) Store {
	if dir == "" {
		dir = filepath.Join(xdg.StateHome, "ferry", "plans")
	}
	canon := origin
	if !isURL(origin) {
		if abs, err := filepath.Abs(origin); err == nil {
			canon = abs
		}
	}
	sum := sha256.Sum256([]byte(canon))
	name := slug(canon) + "-" + hex.EncodeToString(sum[:])[:12] + ".json"
	return Store{Path: filepath.Join(dir, name), origin: canon}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// slug is the last path element of origin, safe in a file name, without
// a trailing ".git": "git@github.com:acme/shop-gitops.git" → "shop-gitops".
func slug(origin string) string {
	s := strings.TrimRight(origin, `/\`)
	if i := strings.LastIndexAny(s, `/\:`); i >= 0 {
		s = s[i+1:]
	}
	s = unsafeChars.ReplaceAllString(s, "-")
	s = strings.TrimSuffix(s, ".git")
	if s == "" || s == "." || s == ".." {
		s = "repo"
	}
	return s
}

// Save writes the plan, replacing the file atomically and durably. An
// empty plan removes the file; a file already gone is fine.
func (s Store) Save(p model.Plan) error {
	if p.Empty() {
		if err := os.Remove(s.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("plan file %s: %w", s.Path, err)
		}
		return nil
	}
	origin := s.origin
	if origin == "" {
		origin = p.Repo
	}
	data, err := json.MarshalIndent(file{
		Version: version,
		Saved:   time.Now().UTC().Truncate(time.Second),
		Origin:  origin,
		Plan:    p,
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("plan file %s: %w", s.Path, err)
	}
	if err := fsutil.WriteAtomic(s.Path, append(data, '\n')); err != nil {
		return fmt.Errorf("plan file %s: %w", s.Path, err)
	}
	return nil
}

// Load reads the plan back with the time it was saved. A missing file is
// an empty plan, a zero time and no error. A file that is not valid JSON
// or has an unknown version is an error, and the file is left in place so
// that nothing staged is lost.
func (s Store) Load() (model.Plan, time.Time, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return model.Plan{}, time.Time{}, nil
	}
	if err != nil {
		return model.Plan{}, time.Time{}, fmt.Errorf("plan file %s: %w; staged plan not restored", s.Path, err)
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return model.Plan{}, time.Time{}, notRestored(s.Path, fmt.Errorf("not a valid plan: %w", err))
	}
	if f.Version != version {
		return model.Plan{}, time.Time{}, notRestored(s.Path, fmt.Errorf("unknown version %d (this ferry reads version %d)", f.Version, version))
	}
	return f.Plan, f.Saved, nil
}

func notRestored(path string, err error) error {
	return fmt.Errorf("plan file %s: %w; staged plan not restored, the file is left in place", path, err)
}

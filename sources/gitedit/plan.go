package gitedit

import (
	"errors"
	"fmt"
	"sort"

	"github.com/ferryhq/ferry/model"
)

// ErrConflict marks a change whose field someone else changed since it was
// staged: re-applying it would undo their change.
var ErrConflict = errors.New("changed since it was staged")

// ConflictError names the change and what the file declares now.
type ConflictError struct {
	Change model.Change
	Now    model.ImageRef
}

func (e *ConflictError) Error() string {
	c := e.Change
	return fmt.Sprintf("%s in %s: %s now declares %s, not %s as when it was staged; look at both before you stage again",
		c.App, c.Env, c.Location.File, e.Now, refOf(c.From))
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// Applied is a plan turned into file edits on one reading of the repo.
type Applied struct {
	Edits []Edit // one per file, in file order
	// Unchanged are the changes the repo already declares: nothing to do.
	Unchanged []model.Change
	// Notes per change (by image) say what an edit could not do as asked.
	Notes map[model.ImageKey][]string
	// Written per change is the tag and digest the edit writes: the
	// reference asked for, less what the layout has no room for.
	Written map[model.ImageKey]model.ImageRef
}

// Files returns the edited files' new contents.
func (a *Applied) Files() map[string][]byte {
	out := make(map[string][]byte, len(a.Edits))
	for _, e := range a.Edits {
		out[e.File] = e.After
	}
	return out
}

// Apply turns changes into edits against what the repo declares now
// (decls, from reading the commit the edit goes on). The changes are
// semantic: each finds its image again by app, environment and name, so a
// plan staged on an older commit applies on a newer one, unless someone
// changed the same field meanwhile (a *ConflictError).
func Apply(read func(path string) ([]byte, bool), decls []model.Declared, changes []model.Change) (*Applied, error) {
	byKey := map[model.ImageKey]model.Declared{}
	for _, d := range decls {
		byKey[model.ImageKey{App: d.App, Env: d.Env, Image: d.Name}] = d
	}
	out := &Applied{Notes: map[model.ImageKey][]string{}, Written: map[model.ImageKey]model.ImageRef{}}
	perFile := map[string][]splice{}
	for _, c := range changes {
		d, ok := byKey[c.Key()]
		if !ok {
			return nil, fmt.Errorf("%s in %s: the repo no longer declares image %s", c.App, c.Env, c.Image)
		}
		to := refOf(c.To)
		if c.Kind == model.Resume || c.Kind == model.Hold {
			if err := holdSplices(read, d.Location, c.Kind == model.Hold, perFile); err != nil {
				return nil, fmt.Errorf("%s in %s: %w", c.App, c.Env, err)
			}
			if c.Kind == model.Resume {
				out.Written[c.Key()] = d.Ref
				continue
			}
		}
		switch {
		case sameRef(d.Ref, to) && c.Kind == model.Hold:
			out.Written[c.Key()] = d.Ref // held where it is
			continue
		case sameRef(d.Ref, to):
			out.Unchanged = append(out.Unchanged, c)
			continue
		case !sameRef(d.Ref, refOf(c.From)):
			return nil, &ConflictError{Change: c, Now: d.Ref}
		}
		data, ok := read(d.Location.File)
		if !ok && d.Location.Kind != model.KindKustomizeAddImages {
			return nil, fmt.Errorf("%s: not in the repo", d.Location.File)
		}
		w, err := splicesFor(data, d, to)
		if err != nil {
			return nil, fmt.Errorf("%s in %s: %s: %w", c.App, c.Env, d.Location.File, err)
		}
		perFile[d.Location.File] = append(perFile[d.Location.File], w.splices...)
		out.Written[c.Key()] = w.ref
		if len(w.notes) > 0 {
			out.Notes[c.Key()] = w.notes
		}
	}
	files := make([]string, 0, len(perFile))
	for f := range perFile {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		before, _ := read(f)
		out.Edits = append(out.Edits, Edit{File: f, Before: before, After: apply(before, perFile[f])})
	}
	return out, nil
}

func refOf(i model.Identity) model.ImageRef {
	return model.ImageRef{Repository: i.Repository, Tag: i.Tag, Digest: i.Digest}
}

// sameRef compares what a promotion writes: the tag and the digest (the
// repository is not rewritten).
func sameRef(a, b model.ImageRef) bool { return a.Tag == b.Tag && a.Digest == b.Digest }

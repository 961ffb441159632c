package model

import (
	"errors"
	"fmt"
)

// ErrNothingToDo says a promotion or rollback would change nothing.
var ErrNothingToDo = errors.New("nothing to do")

// Promotion builds the changes that bring the artifacts fromEnv declares
// (and runs, when in sync) to app in env: per image, the upstream digest
// pinned, with upstream's tag kept as the human name. Build once, promote
// the same artifact.
func (g *Grid) Promotion(app, env, fromEnv string) ([]Change, error) {
	here, up := g.Cell(app, env), g.Cell(app, fromEnv)
	switch {
	case env == fromEnv:
		return nil, fmt.Errorf("%s in %s: promote from another environment: %w", app, env, ErrNothingToDo)
	case here == nil || up == nil:
		return nil, fmt.Errorf("%s is not in %s and %s", app, env, fromEnv)
	case len(up.Images) == 0:
		return nil, fmt.Errorf("%s declares no image of %s to promote", fromEnv, app)
	case len(here.Images) == 0:
		return nil, fmt.Errorf("%s is not declared in %s: ferry promotes into existing declarations only", app, env)
	}
	var out []Change
	for _, img := range here.Images {
		src, ok := imageNamed(up, img.Name)
		if !ok {
			continue
		}
		c, err := promotion(img, src)
		if err != nil {
			return nil, fmt.Errorf("%s in %s: %w", app, env, err)
		}
		c.App, c.Env, c.FromEnv = app, env, fromEnv
		if identical(c.From, c.To) {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s in %s already declares what %s does: %w", app, env, fromEnv, ErrNothingToDo)
	}
	return out, nil
}

func imageNamed(c *Cell, name string) (ImageStatus, bool) {
	for _, img := range c.Images {
		if img.Name == name {
			return img, true
		}
	}
	return ImageStatus{}, false
}

func promotion(here, up ImageStatus) (Change, error) {
	d := here.Facts.Declared
	if d == nil || up.Facts.Declared == nil {
		return Change{}, errors.New("an image without a declaration")
	}
	if d.ReadOnly != "" {
		return Change{}, fmt.Errorf("image %s cannot be written: %s", here.Name, d.ReadOnly)
	}
	digest := up.Facts.DeclaredDigest()
	if digest == "" {
		return Change{}, fmt.Errorf("the registry has not resolved what %s declares for image %s: no digest to pin yet", up.Facts.Declared.Env, up.Name)
	}
	to := identityOf(up)
	to.Repository, to.Digest = d.Ref.Repository, digest
	if up.Facts.Registry != nil && up.Facts.Registry.PlatformOf != "" {
		// Upstream pins one platform's manifest: promote the index.
		to.Digest = up.Facts.Registry.PlatformOf
	}
	return Change{Kind: Promote, Image: here.Name, From: identityOf(here), To: to, Location: d.Location}, nil
}

// identityOf names what a declaration declares: its tag and digest as
// written, with the version and commit the registry knows.
func identityOf(img ImageStatus) Identity {
	d := img.Facts.Declared
	id := Identity{Repository: d.Ref.Repository, Tag: d.Ref.Tag, Digest: d.Ref.Digest}
	if r := img.Facts.Registry; r != nil {
		id.Version, id.Revision, id.Source = r.Version, r.Revision, r.Source
		if r.Created != nil {
			id.Created = *r.Created
		}
	}
	return id
}

// identical compares what a change writes.
func identical(a, b Identity) bool { return a.Tag == b.Tag && a.Digest == b.Digest }

// Rollback builds the change that declares an earlier artifact of one
// image of a cell: to, as the cell's history wrote it then (version names
// it for humans when the registry described it).
func (g *Grid) Rollback(app, env, image string, to ImageRef, version string) (Change, error) {
	if to.IsZero() {
		return Change{}, fmt.Errorf("no earlier artifact of image %s to roll back to", image)
	}
	return g.Pin(Rollback, app, env, image, to, version)
}

// Pin builds the change that declares the artifact to (a tag, a digest or
// both) for one image of a cell: a rollback, or a promotion of a version
// picked by hand rather than taken from upstream.
func (g *Grid) Pin(kind ChangeKind, app, env, image string, to ImageRef, version string) (Change, error) {
	here := g.Cell(app, env)
	if here == nil {
		return Change{}, fmt.Errorf("%s is not in %s", app, env)
	}
	img, ok := imageNamed(here, image)
	if !ok || img.Facts.Declared == nil {
		return Change{}, fmt.Errorf("%s in %s has no image %s", app, env, image)
	}
	d := img.Facts.Declared
	if d.ReadOnly != "" {
		return Change{}, fmt.Errorf("image %s cannot be written: %s", img.Name, d.ReadOnly)
	}
	c := Change{Kind: kind, App: app, Env: env, Image: img.Name, From: identityOf(img), Location: d.Location,
		To: Identity{Repository: d.Ref.Repository, Tag: to.Tag, Digest: to.Digest, Version: version}}
	if identical(c.From, c.To) {
		return Change{}, fmt.Errorf("%s in %s already declares %s: %w", app, env, c.To.Name(), ErrNothingToDo)
	}
	return c, nil
}

// Resume builds the change that lifts ferry's hold on one image of a
// cell: its Flux marker made live again, the artifact left as it is.
func (g *Grid) Resume(app, env, image string) (Change, error) {
	here := g.Cell(app, env)
	if here == nil {
		return Change{}, fmt.Errorf("%s is not in %s", app, env)
	}
	for _, img := range here.Images {
		if (image == "" || img.Name == image) && img.Facts.Declared != nil && img.Facts.Declared.Location.Held() {
			id := identityOf(img)
			return Change{Kind: Resume, App: app, Env: env, Image: img.Name, From: id, To: id, Location: img.Facts.Declared.Location}, nil
		}
	}
	return Change{}, fmt.Errorf("%s in %s holds no image against automation: %w", app, env, ErrNothingToDo)
}

// Train builds one release of every app that is behind fromEnv in env:
// the console's P and `ferry promote --all-behind`.
func (g *Grid) Train(env, fromEnv string) []Change {
	var out []Change
	for _, r := range g.Apps {
		if cell := r.Cells[env]; cell == nil || cell.State != StateBehind {
			continue
		}
		if cs, err := g.Promotion(r.Name, env, fromEnv); err == nil {
			out = append(out, cs...)
		}
	}
	return out
}

// Artifacts lists the distinct artifacts a cell's history declared for an
// image, newest first: the first is what it declares now.
func Artifacts(history []HistoryEntry, image string) []HistoryEntry {
	var out []HistoryEntry
	seen := map[ImageRef]bool{}
	for _, e := range history {
		if e.Image != image || seen[e.To] {
			continue
		}
		seen[e.To] = true
		out = append(out, e)
	}
	return out
}

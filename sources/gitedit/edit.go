package gitedit

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// splice replaces data[start:end] with text.
type splice struct {
	start, end int
	text       string
}

// Edit is what a change does to one file.
type Edit struct {
	File   string
	Before []byte
	After  []byte
	// Notes say what the edit could not do as asked, such as a tag-only
	// layout that cannot pin a digest.
	Notes []string
}

// EditImage rewrites one declaration in data so it declares to: the tag
// and digest scalars at the location change, a digest (or an images:
// entry, or a values key) is added where the layout has room for one and
// the declaration lacks it. Nothing else in the file changes.
func EditImage(data []byte, d model.Declared, to model.ImageRef) ([]byte, []string, error) {
	w, err := splicesFor(data, d, to)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", d.Location.File, err)
	}
	return apply(data, w.splices), w.notes, nil
}

// written is one declaration's edit: the splices, what they make the
// declaration say (a layout without a digest field keeps no digest), and
// notes on what could not be written as asked.
type written struct {
	splices []splice
	ref     model.ImageRef // the tag and digest written ("" where the layout has no room)
	notes   []string
}

func splicesFor(data []byte, d model.Declared, to model.ImageRef) (written, error) {
	loc := d.Location
	switch {
	case d.ReadOnly != "":
		return written{}, fmt.Errorf("cannot be written: %s", d.ReadOnly)
	case loc.Kind == model.KindKustomizeAddImages:
		s, err := addImagesEntry(data, d.Ref.Repository, to)
		return written{splices: []splice{s}, ref: to}, err
	case loc.Fields["image"] != (model.Position{}):
		s, err := wholeImage(data, loc.Fields["image"], to)
		return written{splices: []splice{s}, ref: to}, err
	}
	return partsOf(data, d, to)
}

// partsOf edits a declaration written in parts: a tag (newTag, tag, or a
// tag-only values key) and a digest. A declaration with neither a tag nor
// a digest ferry can write (its fields come from a file the environment
// inherits) is an error: an edit that writes nothing must never pass.
func partsOf(data []byte, d model.Declared, to model.ImageRef) (written, error) {
	loc := d.Location
	var w written
	add := func(s splice, err error) error {
		if err == nil {
			w.splices = append(w.splices, s)
		}
		return err
	}
	tagKey := firstField(loc, "newTag", "tag")
	if to.Tag != "" {
		var err error
		switch {
		case tagKey != "":
			err = add(replaceField(data, loc, tagKey, to.Tag))
			w.ref.Tag = to.Tag
		case loc.FieldPaths["tag"] != "":
			err = add(addKeyPath(data, strings.Split(loc.FieldPaths["tag"], "."), formatted(loc, "tag", to.Tag)))
			w.ref.Tag = to.Tag
		}
		if err != nil {
			return written{}, err
		}
	}
	if to.Digest != "" {
		var err error
		switch {
		case loc.Fields["digest"] != (model.Position{}):
			err = add(replaceField(data, loc, "digest", to.Digest))
		case isKustomizeEntry(loc.Kind):
			err = add(addSibling(data, loc, "digest", to.Digest))
		case loc.FieldPaths["digest"] != "":
			err = add(addKeyPath(data, strings.Split(loc.FieldPaths["digest"], "."), to.Digest))
		default:
			w.notes = append(w.notes, "not pinned by digest: this layout declares a tag only")
		}
		if err != nil {
			return written{}, err
		}
		if len(w.notes) == 0 {
			w.ref.Digest = to.Digest
		}
	}
	switch {
	case len(w.splices) == 0:
		return written{}, fmt.Errorf("ferry cannot write image %s here: %s sets neither its tag nor its digest (they come from a file the environment inherits); change it there, or give this environment its own value", d.Name, loc.File)
	case to.Tag != "" && w.ref.Tag == "" && d.Ref.Tag == "":
		w.notes = append(w.notes, "pinned by digest only: this layout declares no tag")
	case to.Tag != "" && w.ref.Tag == "":
		w.notes = append(w.notes, "pinned by digest only: the tag shown here comes from a file the environment inherits and stays "+d.Ref.Tag)
	}
	return w, nil
}

func isKustomizeEntry(k model.FieldKind) bool {
	return k == model.KindKustomizeImages || k == model.KindArgoKustomizeImages
}

func firstField(loc model.Location, keys ...string) string {
	for _, k := range keys {
		if loc.Fields[k] != (model.Position{}) {
			return k
		}
	}
	return ""
}

// formatted fits a value into a field's format: a chart that writes
// "v{{ .Values.tag }}" takes "1.2.3" for the tag "v1.2.3".
func formatted(loc model.Location, key, value string) string {
	f := loc.Formats[key]
	prefix, suffix, ok := strings.Cut(f, "{}")
	if !ok || !strings.HasPrefix(value, prefix) || !strings.HasSuffix(value, suffix) {
		return value
	}
	return strings.TrimSuffix(strings.TrimPrefix(value, prefix), suffix)
}

// replaceField replaces the scalar of one field, keeping its quoting.
func replaceField(data []byte, loc model.Location, key, value string) (splice, error) {
	off, err := offset(data, loc.Fields[key])
	if err != nil {
		return splice{}, fmt.Errorf("%s: %w", key, err)
	}
	sp, err := scalarAt(data, off)
	if err != nil {
		return splice{}, fmt.Errorf("%s: %w", key, err)
	}
	text := render(formatted(loc, key, value), sp.quote)
	if sp.start == sp.end && sp.start > 0 && data[sp.start-1] != ' ' {
		text = " " + text // an empty value: `tag:` becomes `tag: 1.1.0`
	}
	return splice{sp.start, sp.end, text}, nil
}

// wholeImage rewrites "repo:tag@digest" in one scalar, keeping the
// repository as written.
func wholeImage(data []byte, pos model.Position, to model.ImageRef) (splice, error) {
	off, err := offset(data, pos)
	if err != nil {
		return splice{}, err
	}
	sp, err := scalarAt(data, off)
	if err != nil {
		return splice{}, err
	}
	current := unquote(string(data[sp.start:sp.end]), sp.quote)
	repo, _, _ := strings.Cut(current, "@")
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	ref := repo
	if to.Tag != "" {
		ref += ":" + to.Tag
	}
	if to.Digest != "" {
		ref += "@" + to.Digest
	}
	return splice{sp.start, sp.end, render(ref, sp.quote)}, nil
}

// apply makes the splices, last first, so earlier offsets stay valid.
func apply(data []byte, splices []splice) []byte {
	sort.Slice(splices, func(i, j int) bool { return splices[i].start > splices[j].start })
	out := bytes.Clone(data)
	for _, s := range splices {
		out = append(out[:s.start:s.start], append([]byte(s.text), out[s.end:]...)...)
	}
	return out
}

// newline is the file's line ending.
func newline(data []byte) string {
	if bytes.Contains(data, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

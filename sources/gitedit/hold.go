package gitedit

import (
	"bytes"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

// holdSplices adds to perFile the edits that hold a field against image
// automation (or resume it): its Flux marker, its Image Updater entry.
func holdSplices(read func(string) ([]byte, bool), loc model.Location, hold bool, perFile map[string][]splice) error {
	done := false
	if loc.Setter != "" {
		data, _ := read(loc.File)
		ms, err := markerSplices(data, loc, hold)
		if err != nil {
			return fmt.Errorf("%s: %w", loc.File, err)
		}
		perFile[loc.File] = append(perFile[loc.File], ms...)
		done = true
	}
	if alias := loc.UpdaterAlias(); alias != "" && loc.UpdaterFile != "" {
		data, _ := read(loc.UpdaterFile)
		s, err := ignoreTags(data, alias, hold)
		if err != nil {
			return fmt.Errorf("%s: %w", loc.UpdaterFile, err)
		}
		perFile[loc.UpdaterFile] = append(perFile[loc.UpdaterFile], s)
		done = true
	}
	if !done {
		verb := "hold"
		if !hold {
			verb = "resume"
		}
		return fmt.Errorf("nothing to %s: no image automation that ferry can pause writes this field", verb)
	}
	return nil
}

// ignoreTags adds (hold) or removes (resume) the annotation that tells
// Argo CD Image Updater to leave an alias's image alone, on its own line
// below the image-list annotation, indented like it.
func ignoreTags(data []byte, alias string, hold bool) (splice, error) {
	key := model.IgnoreTagsAnnotation(alias)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return splice{}, err
	}
	ann := mapValue(mapValue(documentOf(&root), "metadata"), "annotations")
	keyNode := func(name string) *yaml.Node {
		for i := 0; ann != nil && i+1 < len(ann.Content); i += 2 {
			if ann.Content[i].Value == name {
				return ann.Content[i]
			}
		}
		return nil
	}
	if !hold {
		k := keyNode(key)
		if k == nil {
			return splice{}, fmt.Errorf("nothing to resume: no %s annotation", key)
		}
		off, err := offset(data, model.Position{Line: k.Line, Column: k.Column})
		if err != nil {
			return splice{}, err
		}
		start, end := lineStart(data, off), lineEnd(data, off)
		end += len(newline(data))
		return splice{start, min(end, len(data)), ""}, nil
	}
	list := keyNode("argocd-image-updater.argoproj.io/image-list")
	if list == nil {
		return splice{}, fmt.Errorf("no argocd-image-updater.argoproj.io/image-list annotation to hold beside")
	}
	off, err := offset(data, model.Position{Line: list.Line, Column: list.Column})
	if err != nil {
		return splice{}, err
	}
	indent := string(data[lineStart(data, off):off])
	end := lineEnd(data, off)
	return splice{end, end, newline(data) + indent + key + `: "*" # held by ferry; ferry resume lifts it`}, nil
}

// markerSplices turns a field's Flux marker inert (a hold: Flux no longer
// sees it, and the policy it named stays written beside it) or live again
// (a resume), on every line of the declaration that carries one.
func markerSplices(data []byte, loc model.Location, hold bool) ([]splice, error) {
	from, to, verb := model.SetterMarker, model.HeldMarker, "hold"
	if !hold {
		from, to, verb = to, from, "resume"
	}
	lines := map[int]bool{}
	for _, p := range loc.Fields {
		lines[p.Line] = true
	}
	if loc.Line > 0 {
		lines[loc.Line] = true
	}
	var out []splice
	for _, line := range sortedLines(lines) {
		start, end, ok := lineBounds(data, line)
		if !ok {
			continue
		}
		if i := bytes.Index(data[start:end], []byte(from)); i >= 0 {
			out = append(out, splice{start + i, start + i + len(from), to})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nothing to %s: no %s marker on the field's line", verb, from)
	}
	return out, nil
}

func sortedLines(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for l := range m {
		out = append(out, l)
	}
	sort.Ints(out)
	return out
}

// lineBounds returns the byte range of a 1-based line.
func lineBounds(data []byte, line int) (start, end int, ok bool) {
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return 0, 0, false
		}
		start += i + 1
	}
	end = start + bytes.IndexByte(data[start:], '\n')
	if end < start {
		end = len(data)
	}
	return start, end, true
}

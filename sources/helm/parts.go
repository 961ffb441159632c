package helm

import (
	"strings"

	"github.com/ferryhq/ferry/sources/imageref"
)

// span is a part of an image string: [from, to).
type span struct {
	part     string
	from, to int
}

// imageSpans splits an image string into its parts: name (registry and
// repository), tag and digest. hasRegistry says whether the first segment
// of the name is a registry host, which the rendered image tells.
func imageSpans(s string, hasRegistry bool) []span {
	end := len(s)
	var out []span
	if at := strings.LastIndex(s, "@"); at >= 0 {
		out = append(out, span{"digest", at + 1, end})
		end = at
	}
	if colon := strings.LastIndex(s[:end], ":"); colon > strings.LastIndex(s[:end], "/") {
		out = append(out, span{"tag", colon + 1, end})
		end = colon
	}
	// The repository spans the whole name, as model.ImageRef spells it;
	// the registry inside it is a part of its own.
	out = append(out, span{"repository", 0, end})
	if slash := strings.Index(s[:end], "/"); hasRegistry && slash > 0 {
		out = append(out, span{"registry", 0, slash})
	}
	return out
}

// tracedParts finds the markers in a marked image and says which part of
// the image each one writes: a marker within one part writes that part
// (with the text around it as its format), one across parts the whole
// reference. The first marker of a part wins.
func tracedParts(marked, real string, m *marking) map[string]Source {
	spans := imageSpans(marked, registryOf(real) != "")
	out := map[string]Source{}
	locs := markerText.FindAllStringIndex(marked, -1)
	for _, loc := range locs {
		src, ok := m.source(marked[loc[0]:loc[1]])
		if !ok {
			continue
		}
		part, sp := "whole", span{from: 0, to: len(marked)}
		for _, s := range spans { // the narrowest part holding the marker
			if loc[0] >= s.from && loc[1] <= s.to && loc[1]-loc[0] < len(marked) {
				part, sp = s.part, s
			}
		}
		if _, taken := out[part]; taken {
			continue
		}
		if reg, ok := registrySpan(spans, locs); ok && part == "repository" {
			sp.from = reg.to + 1 // a registry of its own: the repository is what follows it
		}
		if text := marked[sp.from:sp.to]; text != marked[loc[0]:loc[1]] {
			src.Format = text[:loc[0]-sp.from] + "{}" + text[loc[1]-sp.from:]
		}
		out[part] = src
	}
	return out
}

// registrySpan returns the registry's span when a marker writes it.
func registrySpan(spans []span, locs [][]int) (span, bool) {
	for _, s := range spans {
		if s.part != "registry" {
			continue
		}
		for _, loc := range locs {
			if loc[0] >= s.from && loc[1] <= s.to {
				return s, true
			}
		}
	}
	return span{}, false
}

// registryOf returns the registry host a rendered image names, "" when it
// names none (a Docker Hub short name).
func registryOf(image string) string {
	ref, err := imageref.Parse(image)
	if err != nil {
		return ""
	}
	first, _, ok := strings.Cut(ref.Repository, "/")
	if ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first
	}
	return ""
}

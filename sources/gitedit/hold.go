package gitedit

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/ferryhq/ferry/model"
)

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

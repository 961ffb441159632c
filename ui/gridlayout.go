package ui

import (
	"strings"

	"github.com/ferryhq/ferry/model"
)

// gridLayout is the geometry of the grid: column widths, header rows, and
// the groups of environments that share an upstream (a fan-out).
type gridLayout struct {
	headerRows int
	appWidth   int
	widths     []int // per environment, the mark slot and separating space included
	groups     []envGroup
}

// envGroup is a run of environments promoted from the same upstream.
type envGroup struct {
	first, last int
	label       string
}

const (
	minCellWidth = 7
	maxCellWidth = 26
	maxAppWidth  = 32
)

// newLayout places the measured columns and the fan-out groups.
func newLayout(g *model.Grid, envs model.Environments, m measured) gridLayout {
	l := gridLayout{appWidth: m.appWidth, widths: m.widths}
	if len(l.widths) != len(g.Environments) {
		l.appWidth, l.widths = len("APP")+2, make([]int, len(g.Environments))
		for i := range l.widths {
			l.widths[i] = minCellWidth + 2
		}
	}
	l.groups = fanOuts(g.Environments, envs)
	l.headerRows = 1
	if len(l.groups) > 0 {
		l.headerRows = 2
	}
	return l
}

// fanOuts finds consecutive environments with the same upstreams.
func fanOuts(names []string, envs model.Environments) []envGroup {
	upstream := func(i int) string {
		e, _ := envs.Get(names[i])
		return strings.Join(e.Upstream, ", ")
	}
	var out []envGroup
	for i := 0; i < len(names); {
		j := i
		for j+1 < len(names) && upstream(i) != "" && upstream(j+1) == upstream(i) {
			j++
		}
		if j > i {
			out = append(out, envGroup{first: i, last: j, label: "after " + Clean(upstream(i))})
		}
		i = j + 1
	}
	return out
}

// visible returns the columns [from, to) that fit in width from offset.
func (l gridLayout) visible(off, width int) (int, int) {
	used := l.appWidth
	to := off
	for to < len(l.widths) && used+l.widths[to] <= width {
		used += l.widths[to]
		to++
	}
	if to == off && off < len(l.widths) {
		to = off + 1 // one column always shows, cut if it must be
	}
	return off, to
}

// scrollTo returns the column offset that shows col, moving off as little
// as possible.
func (l gridLayout) scrollTo(col, off, width int) int {
	if col < off {
		return col
	}
	for off < col {
		if _, to := l.visible(off, width); col < to {
			break
		}
		off++
	}
	return off
}

// columnAt returns the column under x; false on the app column or past
// the last column.
func (l gridLayout) columnAt(x, off, width int) (int, bool) {
	if x < l.appWidth {
		return 0, false
	}
	pos := l.appWidth
	from, to := l.visible(off, width)
	for c := from; c < to; c++ {
		if x < pos+l.widths[c] {
			return c, true
		}
		pos += l.widths[c]
	}
	return 0, false
}

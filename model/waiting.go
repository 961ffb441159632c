package model

import "fmt"

// Waiting names the sources asked for that have not answered yet, in the
// order they are read: "git", "registry (140/300)", "cluster prod-eu
// (context prod)". The console's progress line and `ferry status` on a
// terminal say it when a wait grows long, so a slow source is named, not
// guessed at. Names come from files: a terminal must clean them.
func (p Progress) Waiting(envs Environments) []string {
	var out []string
	if !p.Git.Read && p.Git.Failure == "" {
		out = append(out, "git")
	}
	if p.Expect.Registry && !p.Registry.Finished() {
		if p.Registry.Asked {
			out = append(out, fmt.Sprintf("registry (%d/%d)", p.Registry.Done, p.Registry.Total))
		} else {
			out = append(out, "registry")
		}
	}
	if p.Expect.Clusters && p.Clusters == nil {
		out = append(out, "clusters")
	}
	for _, e := range envs {
		if c, ok := p.Clusters[e.Name]; ok && !c.Answered() {
			where := ""
			if c.Context != "" {
				where = " (context " + c.Context + ")"
			}
			out = append(out, "cluster "+e.Name+where)
		}
	}
	return out
}

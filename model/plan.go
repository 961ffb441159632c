package model

import (
	"fmt"
	"slices"
	"strings"
)

// ChangeKind says what a staged change does.
type ChangeKind string

const (
	// Promote brings an artifact another environment runs (or any the
	// registry has) to this one.
	Promote ChangeKind = "promote"
	// Rollback declares an earlier artifact from the cell's history.
	Rollback ChangeKind = "rollback"
	// Hold stops image automation from undoing a rollback.
	Hold ChangeKind = "hold"
	// Resume lifts a hold.
	Resume ChangeKind = "resume"
)

// Change is one staged edit of one image of one cell: from what Git
// declares now to the artifact it should declare. It is semantic, not a
// patch: re-applied on a newer commit it edits whatever the file holds.
type Change struct {
	Kind  ChangeKind `json:"kind"`
	App   string     `json:"app"`
	Env   string     `json:"env"`
	Image string     `json:"image"`
	// FromEnv is the environment the artifact comes from (a promotion).
	FromEnv string   `json:"fromEnv,omitempty"`
	From    Identity `json:"from"`
	To      Identity `json:"to"`
	// Location is where the change is written, as discovery found it.
	Location Location `json:"location"`
	Reason   string   `json:"reason,omitempty"`
}

// Key addresses the image the change edits.
func (c Change) Key() ImageKey { return ImageKey{App: c.App, Env: c.Env, Image: c.Image} }

// Summary is the change in words: "promote checkout 2.7.1 to prod-eu".
func (c Change) Summary() string {
	switch c.Kind {
	case Rollback:
		return fmt.Sprintf("roll back %s in %s to %s", c.App, c.Env, c.To.Name())
	case Hold:
		return fmt.Sprintf("hold %s in %s at %s", c.App, c.Env, c.To.Name())
	case Resume:
		return fmt.Sprintf("resume image automation of %s in %s", c.App, c.Env)
	}
	return fmt.Sprintf("promote %s %s to %s", c.App, c.To.Name(), c.Env)
}

// Name is how a human names an identity: its version, else its tag, else
// its short digest.
func (i Identity) Name() string {
	switch {
	case i.Version != "":
		return i.Version
	case i.Tag != "":
		return i.Tag
	}
	return ShortDigest(i.Digest)
}

// Plan is the set of staged changes, at most one per image of a cell.
type Plan struct {
	// Repo names the repository the plan is for (its origin).
	Repo    string   `json:"repo"`
	Changes []Change `json:"changes"`
}

// Stage adds a change, replacing one staged for the same image.
func (p *Plan) Stage(c Change) {
	for i, have := range p.Changes {
		if have.Key() == c.Key() {
			p.Changes[i] = c
			return
		}
	}
	p.Changes = append(p.Changes, c)
}

// Unstage drops every change of a cell; it reports how many it dropped.
func (p *Plan) Unstage(app, env string) int {
	before := len(p.Changes)
	p.Changes = slices.DeleteFunc(p.Changes, func(c Change) bool { return c.App == app && c.Env == env })
	return before - len(p.Changes)
}

// Of returns the changes staged for a cell.
func (p *Plan) Of(app, env string) []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.App == app && c.Env == env {
			out = append(out, c)
		}
	}
	return out
}

// Empty reports whether nothing is staged.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Subject is a commit subject a human can read for the whole plan.
func (p *Plan) Subject() string {
	switch {
	case len(p.Changes) == 0:
		return ""
	case len(p.Changes) == 1:
		return p.Changes[0].Summary()
	}
	envs, apps := map[string]bool{}, map[string]bool{}
	from := map[string]bool{}
	for _, c := range p.Changes {
		envs[c.Env], apps[c.App] = true, true
		if c.FromEnv != "" {
			from[c.FromEnv] = true
		}
	}
	if len(envs) == 1 && len(from) == 1 && len(apps) > 1 {
		return fmt.Sprintf("release %s → %s: %d apps", onlyKey(from), onlyKey(envs), len(apps))
	}
	return fmt.Sprintf("%d changes in %s", len(p.Changes), strings.Join(sortedKeys(envs), ", "))
}

func onlyKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

// Trailer is one `Key: value` line at the end of a commit message.
type Trailer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Body lists each change from → to, one line each, with the reason when
// one was given.
func (p *Plan) Body() string {
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "- %s %s in %s: %s → %s\n", c.Kind, c.App, c.Env, describe(c.From), describe(c.To))
		if c.Reason != "" {
			fmt.Fprintf(&b, "  %s\n", c.Reason)
		}
	}
	return b.String()
}

// describe names an identity by version, commit and short digest.
func describe(i Identity) string {
	parts := []string{i.Name()}
	if i.Revision != "" {
		parts = append(parts, "commit "+ShortRevision(i.Revision))
	}
	if i.Digest != "" && i.Name() != ShortDigest(i.Digest) {
		parts = append(parts, ShortDigest(i.Digest))
	}
	return strings.Join(parts, ", ")
}

// Trailers record who moved what where, so `ferry log` and an auditor can
// read it back: Ferry-App, Ferry-Env, Ferry-From, Ferry-To (digests, else
// tags), Ferry-Kind, and Ferry-Reason when given — per change.
func (p *Plan) Trailers() []Trailer {
	var out []Trailer
	for _, c := range p.Changes {
		out = append(out,
			Trailer{"Ferry-Kind", string(c.Kind)},
			Trailer{"Ferry-App", c.App},
			Trailer{"Ferry-Env", c.Env},
			Trailer{"Ferry-Image", c.Image},
			Trailer{"Ferry-From", pinnedName(c.From)},
			Trailer{"Ferry-To", pinnedName(c.To)})
		if c.Kind == Hold || c.Kind == Resume {
			out = append(out, Trailer{"Ferry-Hold", holdName(c.Location)})
		}
		if c.Reason != "" {
			out = append(out, Trailer{"Ferry-Reason", c.Reason})
		}
	}
	return out
}

func pinnedName(i Identity) string {
	if i.Digest != "" {
		return i.Digest
	}
	return i.Tag
}

// Clone copies the plan, for a command that reads it off the UI goroutine.
func (p *Plan) Clone() Plan {
	return Plan{Repo: p.Repo, Changes: slices.Clone(p.Changes)}
}

// ToggleHold turns the plan's rollbacks of fields image automation writes
// into holds (a rollback that also makes the Flux marker inert), or holds
// back into plain rollbacks; it returns how many it turned.
func (p *Plan) ToggleHold() int {
	n := 0
	for i, c := range p.Changes {
		switch {
		case c.Kind == Rollback && c.Location.Automated() && (c.Location.Setter != "" || c.Location.UpdaterAlias() != ""):
			p.Changes[i].Kind = Hold
		case c.Kind == Hold:
			p.Changes[i].Kind = Rollback
		default:
			continue
		}
		n++
	}
	return n
}

// holdName names what a hold pauses: a Flux image policy, an Image
// Updater alias.
func holdName(l Location) string {
	var names []string
	if l.Setter != "" {
		names = append(names, policyOf(l.Setter))
	}
	if l.Updater != "" {
		names = append(names, "argocd-image-updater:"+l.UpdaterAlias())
	}
	return strings.Join(names, ", ")
}

// policyOf is the image policy a Flux marker names ("flux-system:web:tag").
func policyOf(setter string) string {
	_, rest, ok := strings.Cut(setter, ":")
	if !ok {
		return setter
	}
	return strings.Trim(strings.TrimSpace(rest), `"} `)
}

package model

import (
	"fmt"
	"regexp"
	"slices"
)

// Warnings a release captain must see before committing: the console's
// review and `ferry promote` both show them.
func (p *Plan) Warnings(envs Environments, g *Grid) []string {
	var out []string
	for _, ch := range p.Changes {
		e, _ := envs.Get(ch.Env)
		if e.Protected {
			out = append(out, fmt.Sprintf("%s is protected: committing asks for its name", ch.Env))
		}
		switch {
		case ch.Kind == Hold:
			out = append(out, fmt.Sprintf("%s in %s: held — image automation (%s) will not write this field until it is resumed (H)", ch.App, ch.Env, holdName(ch.Location)))
		case ch.Location.Held() && ch.Kind != Resume:
			out = append(out, fmt.Sprintf("%s in %s is held against Flux image automation; it stays held", ch.App, ch.Env))
		case ch.Location.Setter != "" && ch.Kind == Rollback:
			out = append(out, fmt.Sprintf("%s in %s: Flux image automation writes this field too (%s) and will undo the rollback: h holds it", ch.App, ch.Env, ch.Location.Setter))
		case ch.Location.Setter != "" && ch.Kind != Resume:
			out = append(out, fmt.Sprintf("%s in %s: Flux image automation writes this field too (%s) and may undo the change", ch.App, ch.Env, ch.Location.Setter))
		}
		if l := ch.Location; l.Updater != "" && !l.UpdaterHeld && ch.Kind != Hold {
			hint := ""
			if ch.Kind == Rollback && l.UpdaterAlias() != "" {
				hint = ": h holds it"
			} else if ch.Kind == Rollback {
				hint = ": give the image an alias in the image-list so ferry can hold it"
			}
			out = append(out, fmt.Sprintf("%s in %s: Argo CD Image Updater follows this image (%s) and may undo the change%s", ch.App, ch.Env, l.Updater, hint))
		}
		if ch.Kind == Promote && ch.FromEnv != "" && !slices.Contains(e.Upstream, ch.FromEnv) {
			out = append(out, fmt.Sprintf("%s in %s: promoted from %s, which is not its upstream", ch.App, ch.Env, ch.FromEnv))
		}
		for _, up := range e.Upstream {
			if cell := g.Cell(ch.App, up); cell != nil && ch.Kind == Promote && !runsDigest(cell, ch.Image, ch.To.Digest) {
				out = append(out, fmt.Sprintf("%s in %s: %s does not run %s yet — this promotes ahead of its upstream", ch.App, ch.Env, up, ch.To.Name()))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func runsDigest(cell *Cell, image, digest string) bool {
	for _, img := range cell.Images {
		if img.Name == image && img.Facts.DeclaredDigest() == digest {
			return true
		}
	}
	return false
}

// Protected lists the protected environments the plan changes: committing
// asks for their names to be typed.
func (p *Plan) Protected(envs Environments) []string {
	var out []string
	for _, ch := range p.Changes {
		if e, ok := envs.Get(ch.Env); ok && e.Protected && !slices.Contains(out, ch.Env) {
			out = append(out, ch.Env)
		}
	}
	return out
}

// BranchName is the branch a pull-request flow commits the plan on:
// ferry/<env>/<app>-<version> for one change, with "-and-N-more" for a
// train; characters Git refuses in a ref become "-".
func (p *Plan) BranchName() string {
	if len(p.Changes) == 0 {
		return ""
	}
	c := p.Changes[0]
	name := "ferry/" + c.Env + "/" + c.App + "-" + c.To.Name()
	if n := len(p.Changes) - 1; n > 0 {
		name += fmt.Sprintf("-and-%d-more", n)
	}
	return refUnsafe.ReplaceAllString(name, "-")
}

var refUnsafe = regexp.MustCompile(`[^A-Za-z0-9/._-]+|\.\.|\.$|/$`)

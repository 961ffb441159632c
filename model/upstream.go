package model

// upstreamNewer reports whether an upstream environment holds a newer
// artifact of the same image than d's environment: the cell is promotable.
func (w *World) upstreamNewer(d *Declared, f ImageFacts, ix *index) bool {
	env, ok := w.Environments.Get(d.Env)
	if !ok {
		return false
	}
	for _, up := range env.Upstream {
		for _, i := range ix.declared[CellKey{d.App, up}] {
			u := &w.Declared[i]
			if u.Name != d.Name {
				continue
			}
			uf := ImageFacts{Declared: u, Registry: ix.facts[i].registry, Live: ix.facts[i].live}
			if newer(uf, f) {
				return true
			}
		}
	}
	return false
}

// newer reports whether up is a newer artifact than here. Digests decide
// sameness; created time, then version order, decide which is newer. Two
// different artifacts that nothing can order count as newer upstream,
// because promotion flows downstream.
func newer(up, here ImageFacts) bool {
	if up.sameAs(here) {
		return false
	}
	if up.Registry != nil && here.Registry != nil && up.Registry.Created != nil && here.Registry.Created != nil {
		return up.Registry.Created.After(*here.Registry.Created)
	}
	if c, ok := CompareVersions(up.version(), here.version()); ok {
		return c > 0
	}
	return true
}

// sameAs compares two images by digest where both are known, else by the
// declared reference.
func (f ImageFacts) sameAs(o ImageFacts) bool {
	a, b := f.DeclaredDigest(), o.DeclaredDigest()
	if a != "" && b != "" {
		return SameArtifact(a, b, f.Registry) || SameArtifact(a, b, o.Registry)
	}
	return f.Declared.Ref == o.Declared.Ref
}

// version is the human version: the registry's, else the declared tag.
func (f ImageFacts) version() string {
	if f.Registry != nil && f.Registry.Version != "" {
		return f.Registry.Version
	}
	return f.Declared.Ref.Tag
}

package gitops

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
)

const initHeader = `# ferry.yaml — written by "ferry init" from what ferry discovered in this repo.
# Discovery guesses; please check and correct it:
#   environments  in promotion order; "after" names the environments one is
#                 promoted from when that is not simply the one listed above it.
#   apps          each app with the folder or file that declares it in each
#                 environment; "images" may list the containers/values keys to follow.
# Add kube: {context, namespace} to environments to compare with live clusters.
`

// InitConfig renders the ferry.yaml "ferry init" writes from what discovery
// found: environments in order (with after: for fan-out), apps with their
// paths per environment, and a header asking the user to correct it.
func (r *Result) InitConfig() []byte {
	var b bytes.Buffer
	b.WriteString(initHeader)
	b.WriteString("environments:\n")
	for i, e := range r.Environments {
		fmt.Fprintf(&b, "  - name: %s\n", scalar(e.Name))
		implied := i > 0 && slices.Equal(e.Upstream, []string{r.Environments[i-1].Name})
		if (len(e.Upstream) > 0 && (!implied || r.fansOut(e))) || (i > 0 && len(e.Upstream) == 0) {
			fmt.Fprintf(&b, "    after: [%s]\n", joinScalars(e.Upstream))
		}
		if e.Kube.Context != "" || e.Kube.Namespace != "" {
			fmt.Fprintf(&b, "    kube: {context: %s, namespace: %s}\n", scalar(e.Kube.Context), scalar(e.Kube.Namespace))
		}
		if e.Protected {
			b.WriteString("    protected: true\n")
		}
		if len(e.Aliases) > 0 {
			fmt.Fprintf(&b, "    aliases: [%s]\n", joinScalars(e.Aliases))
		}
		if e.Ref != "" {
			fmt.Fprintf(&b, "    ref: %s\n", scalar(e.Ref))
		}
	}
	if len(r.Apps) > 0 {
		b.WriteString("apps:\n")
	}
	for _, app := range r.Apps {
		fmt.Fprintf(&b, "  - name: %s\n", scalar(app))
		if cfg, ok := r.Config.App(app); ok && len(cfg.Images) > 0 {
			fmt.Fprintf(&b, "    images: [%s]\n", joinScalars(cfg.Images))
		}
		wrote := false
		for _, env := range r.Environments.Names() {
			p, ok := r.initPath(app, env)
			if !ok {
				continue
			}
			if !wrote {
				b.WriteString("    paths:\n")
				wrote = true
			}
			fmt.Fprintf(&b, "      %s: %s\n", scalar(env), scalar(p))
		}
	}
	r.writeNotPlaced(&b)
	return b.Bytes()
}

// writeNotPlaced lists, as comments, the files that look like deploy
// configuration and feed no cell, with why: what to add to paths, or to
// fix, for ferry to read them.
func (r *Result) writeNotPlaced(b *bytes.Buffer) {
	missed := r.NotPlaced()
	if len(missed) == 0 {
		return
	}
	fmt.Fprintf(b, "# Not placed (%d): these look like deploy configuration but feed no cell.\n", len(missed))
	b.WriteString("# Add them to an app's paths, or fix what is said, for ferry to read them.\n")
	for _, f := range missed {
		fmt.Fprintf(b, "#   %s (%s): %s\n", f.Path, f.Kind, strings.Join(f.Reasons, "; "))
	}
}

// fansOut reports whether another environment shares e's upstream (prod-eu
// and prod-us after staging): then each says so, for the reader's sake.
func (r *Result) fansOut(e model.Environment) bool {
	for _, o := range r.Environments {
		if o.Name != e.Name && slices.Equal(o.Upstream, e.Upstream) {
			return true
		}
	}
	return false
}

// initPath is the one path ferry.yaml can hold for an app in an
// environment: its only file or folder, else the folder all of them share
// when no other app of that environment lives below it, else the first.
func (r *Result) initPath(app, env string) (string, bool) {
	units := r.Units(app, env)
	switch len(units) {
	case 0:
		return "", false
	case 1:
		return units[0], true
	}
	common := commonDir(units)
	if common == "" {
		return units[0], true
	}
	for k, others := range r.units {
		if k.Env != env || k.App == app {
			continue
		}
		for _, o := range others {
			if o == common || strings.HasPrefix(o, common+"/") {
				return units[0], true
			}
		}
	}
	return common, true
}

// commonDir returns the deepest folder holding every path ("" for the root).
func commonDir(paths []string) string {
	dir := path.Dir(paths[0])
	for _, p := range paths[1:] {
		for dir != "." && p != dir && !strings.HasPrefix(p, dir+"/") {
			dir = path.Dir(dir)
		}
	}
	if dir == "." {
		return ""
	}
	return dir
}

// scalar renders a string as a YAML scalar, quoted only when it must be.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func joinScalars(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = scalar(s)
	}
	return strings.Join(out, ", ")
}

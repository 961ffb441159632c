package gitops

import (
	"path"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// envContainers are folders whose children name environments.
var envContainers = map[string]bool{
	"envs": true, "env": true, "environments": true, "environment": true,
	"stages": true, "clusters": true, "overlays": true, "overlay": true,
}

// structural are folder names that say how a repo is laid out, never which
// app or environment a file belongs to.
var structural = map[string]bool{
	"apps": true, "app": true, "applications": true, "overlays": true, "overlay": true,
	"base": true, "bases": true, "components": true, "envs": true, "env": true,
	"environments": true, "environment": true, "stages": true, "clusters": true,
	"cluster": true, "charts": true, "chart": true, "helm": true, "values": true,
	"kustomize": true, "manifests": true, "deploy": true, "deployment": true,
	"deployments": true, "k8s": true, "kube": true, "kubernetes": true,
	"releases": true, "release": true, "services": true, "workloads": true,
	"gitops": true, "argocd": true, "argo": true, "argo-cd": true, "flux": true,
	"flux-system": true, "templates": true, "patches": true, "resources": true,
	"config": true, "src": true, "helmreleases": true, "applicationsets": true,
}

// layout names environments and apps from paths. With environments in
// ferry.yaml, only those names are environments; others found where an
// environment belongs are reported.
type layout struct {
	configured map[string]bool // nil when ferry.yaml names no environment
}

// envFromPath returns the environment a repo path belongs to, or "". unknown
// is a name found where an environment belongs (under envs/, in
// values-<env>.yaml) that ferry.yaml does not list.
func (l layout) envFromPath(p string) (env, unknown string) {
	dirs, file := splitPath(p)
	if e := valuesFileEnv(file); e != "" {
		if l.isEnv(e) {
			return e, ""
		}
		if l.configured != nil && model.LooksLikeEnvironment(e) {
			unknown = e // values-qa.yaml, but ferry.yaml lists no qa
		}
	}
	for i := 0; i+1 < len(dirs); i++ {
		if !envContainers[dirs[i]] || dirs[i+1] == "base" || dirs[i+1] == "bases" {
			continue
		}
		if l.isEnv(dirs[i+1]) {
			return dirs[i+1], ""
		}
		if l.configured != nil && model.LooksLikeEnvironment(dirs[i+1]) && unknown == "" {
			unknown = dirs[i+1]
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if l.isEnv(dirs[i]) {
			return dirs[i], ""
		}
	}
	return "", unknown
}

// isEnv reports whether a name is an environment: one ferry.yaml lists, or
// without ferry.yaml, one that looks like a stage name.
func (l layout) isEnv(name string) bool {
	if l.configured != nil {
		return l.configured[name]
	}
	return model.LooksLikeEnvironment(name) && !structural[name]
}

// valuesFileEnv returns <env> of values-<env>.yaml or values.<env>.yaml.
func valuesFileEnv(file string) string {
	stem := strings.TrimSuffix(strings.TrimSuffix(file, ".yaml"), ".yml")
	for _, prefix := range []string{"values-", "values."} {
		if e, ok := strings.CutPrefix(stem, prefix); ok && e != "" {
			return e
		}
	}
	return ""
}

// appFromPath names the app of a path: the nearest folder that is neither
// the environment nor a structural word (nor an environment-looking name).
// It returns "" when the layout does not say, e.g. overlays/prod at the root.
func (l layout) appFromPath(p, env string) string {
	dirs, _ := splitPath(p)
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		if d == env || structural[d] || l.isEnv(d) || model.LooksLikeEnvironment(d) {
			continue
		}
		return stripEnv(d, env)
	}
	return ""
}

// appFromName turns a resource name into an app name by removing the
// environment part: "search-prod", "prod-search" and "search" all give
// "search".
func appFromName(name, env string) string {
	return stripEnv(name, env)
}

func stripEnv(name, env string) string {
	if env == "" || name == env {
		return name
	}
	for _, sep := range []string{"-", "_", "."} {
		if s, ok := strings.CutSuffix(name, sep+env); ok && s != "" {
			return s
		}
		if s, ok := strings.CutPrefix(name, env+sep); ok && s != "" {
			return s
		}
	}
	return name
}

// envFromName finds an environment in a resource name or namespace, as a
// whole, a prefix or a suffix: "search-prod-eu" → "prod-eu", "prod-search"
// → "prod". Without ferry.yaml, a stage name with a suffix only counts as
// one environment when the suffix looks like a region or number ("prod-eu",
// "prod-us1"), not like an app ("prod-search").
func (l layout) envFromName(name string) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	// Prefer the longest candidate at either end: "prod-eu" over "prod".
	for n := len(parts); n >= 1; n-- {
		for _, cand := range []string{
			strings.Join(parts[len(parts)-n:], "-"), strings.Join(parts[:n], "-"),
		} {
			if l.isEnv(cand) && strings.Contains(name, cand) && (l.configured != nil || regionSuffixed(cand)) {
				return cand
			}
		}
	}
	return ""
}

// regionSuffixed reports whether the parts after a stage name look like a
// region or an index rather than an app name.
func regionSuffixed(env string) bool {
	parts := strings.Split(env, "-")
	for _, p := range parts[1:] {
		if len(p) > 4 && !strings.ContainsAny(p, "0123456789") {
			return false
		}
	}
	return true
}

// splitPath returns the folder segments of a repo path and its file name.
func splitPath(p string) (dirs []string, file string) {
	dir, file := path.Split(p)
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return nil, file
	}
	return strings.Split(dir, "/"), file
}

// skipped reports files discovery never reads: hidden folders and files
// (other than Argo CD write-back files), ferry.yaml itself, and Helm chart
// templates, which are not YAML until rendered.
func skipped(p string, charts map[string]bool) bool {
	if !IsYAML(p) || p == model.ConfigFile {
		return true
	}
	dirs, file := splitPath(p)
	if strings.HasPrefix(file, ".") && !strings.HasPrefix(file, argoSourcePrefix) {
		return true
	}
	for i, d := range dirs {
		if strings.HasPrefix(d, ".") {
			return true
		}
		if (d == "templates" || d == "charts") && charts[strings.Join(dirs[:i], "/")] {
			return true
		}
	}
	return false
}

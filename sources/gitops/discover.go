package gitops

import (
	"path"
	"strings"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
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

// notEnvironments are children of an environment folder that hold what the
// environments share, never an environment of their own.
var notEnvironments = map[string]bool{
	"base": true, "bases": true, "components": true, "common": true, "shared": true,
	"default": true, "defaults": true, "templates": true, "all": true,
}

// appParents are folders whose children are apps: a stage word there
// ("canary-app/") names an app, not an environment.
var appParents = map[string]bool{
	"apps": true, "app": true, "applications": true, "services": true, "workloads": true,
	"charts": true, "releases": true, "helmreleases": true,
}

// layout names environments and apps from paths. Inside an environment
// folder (envs/, overlays/, clusters/, …) every child folder is an
// environment, whatever its name; elsewhere stage words name them. With
// environments in ferry.yaml, only those names (and their aliases) are
// environments; others found where an environment belongs are reported.
type layout struct {
	cfg        *model.Config
	configured map[string]bool // nil when ferry.yaml names no environment
	// forced is the environment of a branch of its own: its files belong
	// to it unless their path names another.
	forced string
}

// envFromPath returns the environment a repo path belongs to, or "". unknown
// is a name found where an environment belongs (under envs/, in
// values-<env>.yaml) that ferry.yaml does not list.
func (l layout) envFromPath(p string) (env, unknown string) {
	env, _, unknown = l.envSegment(p)
	return env, unknown
}

// envSegment returns the environment of a path and the index of the folder
// that names it (-1 when the file name does: values-<env>.yaml).
func (l layout) envSegment(p string) (env string, at int, unknown string) {
	dirs, file := splitPath(p)
	if e := valuesFileEnv(file); e != "" {
		if env := l.stageEnv(e); env != "" {
			return env, -1, ""
		}
		if l.configured != nil && model.LooksLikeEnvironment(e) {
			unknown = e // values-qa.yaml, but ferry.yaml lists no qa
		}
	}
	for i := 0; i+1 < len(dirs); i++ {
		child := dirs[i+1]
		if !envContainers[dirs[i]] || notEnvironments[child] || hiddenName(child) {
			continue
		}
		if env := l.containedEnv(child); env != "" {
			return env, i + 1, ""
		}
		if unknown == "" {
			unknown = child
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if i > 0 && appParents[dirs[i-1]] {
			continue // apps/canary-web is an app
		}
		if env := l.stageEnv(dirs[i]); env != "" {
			return env, i, ""
		}
	}
	if l.forced != "" {
		return l.forced, -1, ""
	}
	return "", -1, unknown
}

func hiddenName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// containedEnv names the environment a child of an environment folder is:
// itself without ferry.yaml, else the configured environment it is or is an
// alias of.
func (l layout) containedEnv(name string) string {
	if l.configured == nil {
		return name
	}
	return l.configuredEnv(name)
}

// stageEnv names the environment a name stands for outside environment
// folders: a configured one, or without ferry.yaml a stage word, alone or
// with a region or number ("prod-eu", "dev2"), never with an app's name
// ("canary-app-automatic").
func (l layout) stageEnv(name string) string {
	if l.configured != nil {
		return l.configuredEnv(name)
	}
	if model.LooksLikeEnvironment(name) && !structural[name] && regionSuffixed(name) {
		return name
	}
	return ""
}

// configuredEnv returns the configured environment a name is, is an alias
// of, or is the usual other name of ("production" for a listed "prod" when
// ferry.yaml lists no "production").
func (l layout) configuredEnv(name string) string {
	if env, ok := l.cfg.Alias(name); ok {
		return env
	}
	key, match := aliasKey(name), ""
	for env := range l.configured {
		if aliasKey(env) == key {
			if match != "" {
				return "" // two configured names fit: ferry does not guess
			}
			match = env
		}
	}
	return match
}

// isEnv reports whether a name is an environment: one ferry.yaml lists, or
// without ferry.yaml, one that looks like a stage name.
func (l layout) isEnv(name string) bool {
	if l.configured != nil {
		return l.configuredEnv(name) != ""
	}
	return model.LooksLikeEnvironment(name) && !structural[name]
}

// valuesFileEnv returns <env> of values-<env>.yaml, values.<env>.yaml,
// <env>-values.yaml or <env>.values.yaml.
func valuesFileEnv(file string) string {
	stem := strings.TrimSuffix(strings.TrimSuffix(file, ".yaml"), ".yml")
	for _, prefix := range []string{"values-", "values.", "values_"} {
		if e, ok := strings.CutPrefix(stem, prefix); ok && e != "" {
			return e
		}
	}
	for _, suffix := range []string{"-values", ".values", "_values"} {
		if e, ok := strings.CutSuffix(stem, suffix); ok && model.LooksLikeEnvironment(e) {
			return e
		}
	}
	return ""
}

// appFromPath names the app of a path: the nearest folder that is neither
// the environment nor a structural word (nor another environment's name).
// It returns "" when the layout does not say, e.g. overlays/prod at the root.
func (l layout) appFromPath(p, env string) string {
	dirs, _ := splitPath(p)
	_, at, _ := l.envSegment(p)
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		appFolder := i > 0 && appParents[dirs[i-1]]
		if i == at || d == env || structural[d] || (!appFolder && l.stageEnv(d) != "") {
			continue
		}
		if i > 0 && envContainers[dirs[i-1]] && !notEnvironments[d] {
			continue // another environment's folder
		}
		return l.stripEnv(d, env)
	}
	return ""
}

// appFromName turns a resource name into an app name by removing the
// environment part: "search-prod", "prod-search" and "search" all give
// "search".
func (l layout) appFromName(name, env string) string {
	return l.stripEnv(name, env)
}

// stripEnv removes the environment, or one of its usual other names
// ("prod" for "production"), from the end or start of a name, the longest
// match first: "search-prod-eu" is "search" in prod-eu.
func (l layout) stripEnv(name, env string) string {
	if env == "" || name == env {
		return name
	}
	for k := 0; k < len(name); k++ {
		if isNameSep(rune(name[k])) && k > 0 && l.sameEnv(name[k+1:], env) {
			return trimSeps(name[:k])
		}
	}
	for k := len(name) - 1; k > 0; k-- {
		if isNameSep(rune(name[k])) && k+1 < len(name) && l.sameEnv(name[:k], env) {
			return trimSeps(name[k+1:])
		}
	}
	return name
}

// sameEnv reports whether a name stands for env: it is env, one of its
// usual other names, or a ferry.yaml alias of it.
func (l layout) sameEnv(name, env string) bool {
	return sameEnv(name, env) || (l.configured != nil && l.configuredEnv(name) == env)
}

func isNameSep(r rune) bool { return r == '-' || r == '_' || r == '.' }

func trimSeps(s string) string { return strings.TrimFunc(s, isNameSep) }

// envFromName finds an environment in a resource name or namespace, as a
// whole, a prefix or a suffix: "search-prod-eu" → "prod-eu", "prod-search"
// → "prod". Without ferry.yaml, a stage name with a suffix only counts as
// one environment when the suffix looks like a region or number ("prod-eu",
// "prod-us1"), not like an app ("prod-search").
func (l layout) envFromName(name string) string {
	parts := strings.FieldsFunc(name, isNameSep)
	// Prefer the longest candidate at either end: "prod-eu" over "prod".
	for n := len(parts); n >= 1; n-- {
		for _, cand := range []string{
			strings.Join(parts[len(parts)-n:], "-"), strings.Join(parts[:n], "-"),
		} {
			if !strings.Contains(name, cand) {
				continue
			}
			if l.configured != nil {
				if env := l.configuredEnv(cand); env != "" {
					return env
				}
			} else if l.isEnv(cand) && regionSuffixed(cand) {
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
	if !repotree.IsYAML(p) || p == model.ConfigFile {
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

package gitops

import (
	"slices"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// aliasGroups are names teams use for the same stage. Two of them found in
// one repo (a folder "production", an Application "demo-prod") are one
// environment, unless ferry.yaml says otherwise.
var aliasGroups = [][]string{
	{"prod", "production", "prd"},
	{"staging", "stage", "stg"},
	{"dev", "development", "develop"},
	{"test", "testing", "tst"},
	{"int", "integration"},
	{"preprod", "pre-prod", "pre-production", "preproduction"},
	{"sandbox", "sbx"},
}

var aliasHeads = func() map[string]string {
	out := map[string]string{}
	for _, g := range aliasGroups {
		for _, n := range g {
			out[n] = g[0]
		}
	}
	return out
}()

// aliasKey is the name with its stage word replaced by the first of its
// group: "production-eu" and "prod_eu" both give "prod-eu".
func aliasKey(name string) string {
	n := strings.ToLower(strings.Map(func(r rune) rune {
		if isNameSep(r) {
			return '-'
		}
		return r
	}, name))
	if head, ok := aliasHeads[n]; ok {
		return head
	}
	for word, head := range aliasHeads {
		if rest, ok := strings.CutPrefix(n, word+"-"); ok {
			return head + "-" + rest
		}
	}
	return n
}

// sameEnv reports whether two names stand for the same environment.
func sameEnv(a, b string) bool { return a == b || aliasKey(a) == aliasKey(b) }

// mergeAliases makes one environment of names that stand for the same one:
// the name a folder or file gives wins over one from a resource name; with
// two folder names ("prod/" and "production/") the repo keeps both. Without
// folders, the name with most declarations wins.
func (r *reader) mergeAliases() {
	if r.layout.configured != nil {
		return // ferry.yaml's names already are the environments
	}
	groups := map[string][]string{}
	for env := range r.envs {
		groups[aliasKey(env)] = append(groups[aliasKey(env)], env)
	}
	rename := map[string]string{}
	for _, names := range groups {
		if len(names) < 2 {
			continue
		}
		if to := r.canonicalEnv(names); to != "" {
			for _, n := range names {
				if n != to {
					rename[n] = to
					r.aliases[to] = append(r.aliases[to], n)
				}
			}
		}
	}
	r.renameEnvs(rename)
}

// canonicalEnv picks the name a group of aliases is shown under, "" to keep
// them apart.
func (r *reader) canonicalEnv(names []string) string {
	var byPath []string
	for _, n := range names {
		if r.envByPath[n] {
			byPath = append(byPath, n)
		}
	}
	switch len(byPath) {
	case 1:
		return byPath[0]
	case 0:
	default:
		return ""
	}
	count := map[string]int{}
	for _, d := range r.res.Declared {
		count[d.Env]++
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := names[i], names[j]
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	return names[0]
}

func (r *reader) renameEnvs(rename map[string]string) {
	if len(rename) == 0 {
		return
	}
	to := func(env string) string {
		if n, ok := rename[env]; ok {
			return n
		}
		return env
	}
	for i := range r.res.Declared {
		r.res.Declared[i].Env = to(r.res.Declared[i].Env)
	}
	for i := range r.res.Problems {
		r.res.Problems[i].Env = to(r.res.Problems[i].Env)
	}
	for from := range rename {
		delete(r.envs, from)
		r.envs[to(from)] = true
	}
	inputs := map[inputKey][]string{}
	for k, files := range r.unitInputs {
		k.env = to(k.env)
		inputs[k] = append(inputs[k], files...)
	}
	r.unitInputs = inputs
	links := map[string][]string{}
	for env, ups := range r.links {
		for _, u := range ups {
			links[to(env)] = appendUnique(links[to(env)], to(u))
		}
	}
	r.links = links
	for env := range r.firsts {
		r.firsts[to(env)] = true
	}
	for env, ref := range r.res.refs {
		delete(r.res.refs, env)
		r.res.refs[to(env)] = ref
	}
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// environments are ferry.yaml's, else those the layout revealed, in
// promotion order: the links Kargo Stages and controller dependencies
// declare, then the usual stage words, then name order.
func (r *reader) environments() model.Environments {
	if envs := r.cfg.EnvironmentList(); len(envs) > 0 {
		for i := range envs {
			if envs[i].Ref == "" {
				envs[i].Ref = r.res.refs[envs[i].Name]
			}
		}
		return envs
	}
	names := make([]string, 0, len(r.envs))
	for e := range r.envs {
		if e != "" {
			names = append(names, e)
		}
	}
	sort.Strings(names)
	envs := orderEnvironments(names, r.links, r.firsts)
	for i := range envs {
		envs[i].Aliases = slices.Sorted(slices.Values(r.aliases[envs[i].Name]))
		envs[i].Ref = r.res.refs[envs[i].Name]
	}
	return envs
}

// orderEnvironments orders names by rank (the usual stage words; unknown
// names last, in name order) with upstream links to the nearest lower rank,
// then lets explicit links (a Kargo Stage's upstream stages) replace an
// environment's upstream and move it after them. firsts take no upstream.
func orderEnvironments(names []string, links map[string][]string, firsts map[string]bool) model.Environments {
	base := model.OrderEnvironmentsBy(names, stageRank)
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	for i, e := range base {
		var ups []string
		for _, u := range links[e.Name] {
			if known[u] && u != e.Name {
				ups = append(ups, u)
			}
		}
		switch {
		case firsts[e.Name]:
			base[i].Upstream = nil
		case len(ups) > 0:
			base[i].Upstream = ups
		}
	}
	return topoOrder(base)
}

// topoOrder puts every environment after its upstreams, keeping the given
// order among those that are ready; a cycle is broken in the given order.
func topoOrder(envs model.Environments) model.Environments {
	placed := map[string]bool{}
	out := make(model.Environments, 0, len(envs))
	for len(out) < len(envs) {
		next := -1
		for i, e := range envs {
			if placed[e.Name] {
				continue
			}
			if next < 0 {
				next = i // the fallback when nothing is ready: a cycle
			}
			if !slices.ContainsFunc(e.Upstream, func(u string) bool { return !placed[u] }) {
				next = i
				break
			}
		}
		placed[envs[next].Name] = true
		out = append(out, envs[next])
	}
	return out
}

// stageRank ranks a name by its stage word, also when a region or number
// is run into it ("produsw1", "dev2").
func stageRank(name string) (int, bool) {
	if r, ok := model.StageRank(name); ok {
		return r, true
	}
	for i := len(name) - 1; i >= 2; i-- {
		if strings.ContainsAny(name[i:], "0123456789") {
			if r, ok := model.StageRank(name[:i]); ok {
				return r, true
			}
		}
	}
	return 0, false
}

package model

import (
	"sort"
	"strings"
)

// KubeTarget names the kubeconfig context and namespace of an environment.
type KubeTarget struct {
	Context   string `yaml:"context" json:"context,omitempty"`
	Namespace string `yaml:"namespace" json:"namespace,omitempty"`
}

// Environment is one deployment target, in promotion order.
type Environment struct {
	Name string
	// Upstream lists the environments this one is promoted from; empty for
	// the first stage. prod-eu and prod-us both have staging upstream.
	Upstream  []string
	Kube      KubeTarget
	Protected bool
	// Aliases are the other names the repo uses for it ("production" for
	// "prod"), from ferry.yaml or found by discovery.
	Aliases []string
	// Ref is the branch or tag the environment is read from when it lives
	// on one of its own ("env/dev", "develop"); "" for the tree read.
	Ref string
}

// Environments are held in promotion order.
type Environments []Environment

// Names returns the environment names in promotion order.
func (es Environments) Names() []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

// Get returns the named environment.
func (es Environments) Get(name string) (Environment, bool) {
	for _, e := range es {
		if e.Name == name {
			return e, true
		}
	}
	return Environment{}, false
}

// stageRanks is the usual promotion order of well-known stage names.
var stageRanks = map[string]int{
	"local": 0, "sandbox": 1, "dev": 2, "develop": 2, "development": 2,
	"int": 3, "integration": 3, "test": 4, "testing": 4, "qa": 5,
	"uat": 6, "stage": 7, "staging": 7, "stg": 7, "preprod": 8, "pre-prod": 8,
	"perf": 8, "canary": 9, "prod": 10, "production": 10, "prd": 10, "live": 10,
}

// StageRank returns the promotion rank of an environment name and whether the
// name looks like an environment at all: "prod-eu" ranks like "prod".
func StageRank(name string) (int, bool) {
	n := strings.ToLower(name)
	if r, ok := stageRanks[n]; ok {
		return r, true
	}
	for _, sep := range []string{"-", "_", "."} {
		if base, _, ok := strings.Cut(n, sep); ok {
			if r, ok := stageRanks[base]; ok {
				return r, true
			}
		}
	}
	return 0, false
}

// LooksLikeEnvironment reports whether a path segment names an environment
// by the usual stage names (dev, test, qa, uat, staging, preprod, prod, …,
// with suffixes such as -eu).
func LooksLikeEnvironment(segment string) bool {
	_, ok := StageRank(segment)
	return ok
}

type ranked struct {
	name  string
	rank  int
	known bool
}

// OrderEnvironments puts discovered names in the usual promotion order and
// links each to the nearest lower stage, so that environments of the same rank
// (prod-eu, prod-us) fan out from the same upstream. Unknown names go last, in
// name order, with no upstream.
func OrderEnvironments(names []string) Environments {
	return OrderEnvironmentsBy(names, StageRank)
}

// OrderEnvironmentsBy orders names as OrderEnvironments does, ranking each
// with rank (a caller that knows more stage spellings, such as "produsw1").
func OrderEnvironmentsBy(names []string, rank func(string) (int, bool)) Environments {
	rs := make([]ranked, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		r, ok := rank(n)
		rs = append(rs, ranked{n, r, ok})
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].known != rs[j].known {
			return rs[i].known
		}
		if rs[i].rank != rs[j].rank {
			return rs[i].rank < rs[j].rank
		}
		return rs[i].name < rs[j].name
	})
	out := make(Environments, 0, len(rs))
	for i, r := range rs {
		env := Environment{Name: r.name}
		if r.known {
			env.Upstream = previousRank(rs[:i], r.rank)
		}
		out = append(out, env)
	}
	return out
}

// previousRank returns the names of the highest rank below rank.
func previousRank(before []ranked, rank int) []string {
	best := -1
	for _, b := range before {
		if b.known && b.rank < rank && b.rank > best {
			best = b.rank
		}
	}
	var out []string
	for _, b := range before {
		if b.known && b.rank == best {
			out = append(out, b.name)
		}
	}
	return out
}

package gitops

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Promotion order, best signal first after ferry.yaml: Kargo Stages (which
// stages each one takes freight from), Argo CD rolling-sync steps and Flux
// Kustomization dependencies between environments.

// isOrderSignal reports documents read only for the promotion order.
func isOrderSignal(apiVersion, kind string) bool {
	return (strings.HasPrefix(apiVersion, "kargo.akuity.io/") && kind == "Stage") ||
		(strings.HasPrefix(apiVersion, "kustomize.toolkit.fluxcd.io/") && kind == "Kustomization")
}

// readOrderSignal records the links a Kargo Stage or a Flux Kustomization
// declares, and what the file fed for --explain.
func (r *reader) readOrderSignal(p string, doc *yaml.Node, pl placement) {
	name := repotree.Str(doc, "metadata", "name")
	if repotree.Str(doc, "kind") == "Stage" {
		ups, direct := kargoUpstreams(doc)
		r.link(name, ups, direct)
		r.orderedBy(p, name, ups, direct)
		return
	}
	env := r.signalEnv(name, pl)
	for _, dep := range repotree.Items(repotree.Get(doc, "spec", "dependsOn")) {
		if up := r.signalEnv(repotree.Str(dep, "name"), placement{}); up != "" && env != "" && up != env {
			r.link(env, []string{up}, false)
			r.orderedBy(p, env, []string{up}, false)
		}
	}
}

// signalEnv is the environment a Flux Kustomization stands for: its path's,
// else its name's.
func (r *reader) signalEnv(name string, pl placement) string {
	if pl.Env != "" {
		return pl.Env
	}
	return r.layout.envFromName(name)
}

// kargoUpstreams reads a Stage's upstream stages: requestedFreight[]
// sources.stages (sources.direct for a first stage), or the older
// subscriptions.upstreamStages / subscriptions.warehouse.
func kargoUpstreams(doc *yaml.Node) (ups []string, direct bool) {
	for _, f := range repotree.Items(repotree.Get(doc, "spec", "requestedFreight")) {
		direct = direct || repotree.Str(f, "sources", "direct") == "true"
		for _, s := range repotree.Items(repotree.Get(f, "sources", "stages")) {
			ups = appendUnique(ups, s.Value)
		}
	}
	for _, s := range repotree.Items(repotree.Get(doc, "spec", "subscriptions", "upstreamStages")) {
		ups = appendUnique(ups, repotree.Str(s, "name"))
	}
	direct = direct || repotree.Get(doc, "spec", "subscriptions", "warehouse") != nil
	return ups, direct && len(ups) == 0
}

// rollingSyncOrder reads an ApplicationSet's progressive sync steps: the
// label values each step selects (env: [dev], then [staging], …) come in
// promotion order.
func (r *reader) rollingSyncOrder(p string, doc *yaml.Node) {
	steps := repotree.Get(doc, "spec", "strategy", "rollingSync", "steps")
	if steps == nil {
		return
	}
	var before []string
	for _, step := range steps.Content {
		var now []string
		for _, m := range repotree.Items(repotree.Get(step, "matchExpressions")) {
			if op := repotree.Str(m, "operator"); op != "In" {
				continue
			}
			for _, v := range repotree.Items(repotree.Get(m, "values")) {
				now = append(now, v.Value)
			}
		}
		for _, env := range now {
			r.link(env, before, len(before) == 0)
			r.orderedBy(p, env, before, len(before) == 0)
		}
		if len(now) > 0 {
			before = now
		}
	}
}

// link records that env is promoted from ups (or is a first stage).
func (r *reader) link(env string, ups []string, first bool) {
	if env == "" {
		return
	}
	if first {
		r.firsts[env] = true
	}
	for _, u := range ups {
		if u != "" {
			r.links[env] = appendUnique(r.links[env], u)
		}
	}
}

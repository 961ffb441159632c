package cluster

import "github.com/ferryhq/ferry/model"

// Targets groups declarations into one Target per app × environment, in
// first-seen order, taking each app's workload from ferry.yaml's apps
// (may be nil).
func Targets(decls []model.Declared, apps []model.AppConfig) []Target {
	workload := map[string]string{}
	for _, a := range apps {
		workload[a.Name] = a.Workload
	}
	index := map[model.CellKey]int{}
	var out []Target
	for _, d := range decls {
		k := model.CellKey{App: d.App, Env: d.Env}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Target{App: d.App, Env: d.Env, Workload: workload[d.App]})
		}
		out[i].Declared = append(out[i].Declared, d)
	}
	return out
}

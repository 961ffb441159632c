package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func twoEnvWorld() *World {
	envs := OrderEnvironments([]string{"dev", "prod"})
	decl := func(env, tag, digest string) Declared {
		return Declared{App: "search", Env: env, Name: "api",
			Ref:      ImageRef{Repository: "ghcr.io/shop/search-api", Tag: tag, Digest: digest},
			Location: Location{File: "environments/" + env + "/search/values.yaml", Line: 3, Kind: KindHelmValues}}
	}
	return &World{
		Environments: envs,
		Declared:     []Declared{decl("dev", "v2", ""), decl("prod", "v1", dIndex)},
		Registry: map[string]RegistryFacts{
			"ghcr.io/shop/search-api:v2":           {Digest: dOther, Version: "2.0.0"},
			"ghcr.io/shop/search-api:v1@" + dIndex: {Digest: dIndex, Version: "1.0.0", Index: true, Platforms: multiArch.Platforms},
		},
		Live: map[ImageKey]LiveFacts{
			{"search", "dev", "api"}:  *live(true, map[string]int{dOther: 2}),
			{"search", "prod", "api"}: *live(true, map[string]int{dAmd: 3}),
		},
	}
}

func TestGridDerivesStatesAcrossSources(t *testing.T) {
	g := twoEnvWorld().Grid()
	if got := g.Cell("search", "dev").State; got != StateInSync {
		t.Errorf("dev = %s, want in-sync (tag resolved by the registry, pods run it)", got)
	}
	if got := g.Cell("search", "prod").State; got != StateBehind {
		t.Errorf("prod = %s, want behind (runs 1.0.0 via a platform digest; dev runs 2.0.0)", got)
	}
}

func TestGridProblemsDegradeOnlyTheirCells(t *testing.T) {
	w := twoEnvWorld()
	w.AddProblem("", "prod", Problem{Source: "cluster", Message: "context prod: connection refused"})
	w.AddProblem("", "", Problem{Source: "git", File: "ferry.yaml", Line: 2, Message: `unknown key "x"`})
	w.RegistryProblems = map[string][]Problem{"ghcr.io/shop/search-api:v2": {{Source: "registry", Message: "registry ghcr.io: not authorized"}}}
	g := w.Grid()
	if c := g.Cell("search", "prod"); c.State != StateError || len(c.Problems) != 1 {
		t.Errorf("prod = %s with %v", c.State, c.Problems)
	}
	if c := g.Cell("search", "dev"); c.State != StateError || len(c.Problems) != 1 || c.Problems[0].Source != "registry" {
		t.Errorf("dev = %s with %v", c.State, c.Problems)
	}
	if len(g.Problems) != 1 || g.Problems[0].File != "ferry.yaml" {
		t.Errorf("global problems = %v", g.Problems)
	}
}

func TestGridJSONContract(t *testing.T) {
	w := twoEnvWorld()
	w.Live, w.Registry = nil, nil // Git only: registry and live fields are left out
	b, err := w.Grid().JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	apps := doc["apps"].([]any)
	dev := apps[0].(map[string]any)["cells"].(map[string]any)["dev"].(map[string]any)
	img := dev["images"].([]any)[0].(map[string]any)
	declared := img["declared"].(map[string]any)
	if declared["digest"] != nil || declared["tag"] != "v2" || declared["image"] != "ghcr.io/shop/search-api" ||
		declared["file"] != "environments/dev/search/values.yaml" || declared["line"] != float64(3) {
		t.Errorf("declared = %v", declared)
	}
	if _, ok := declared["digest"]; !ok {
		t.Error(`"digest" must be present as null`)
	}
	for _, absent := range []string{"registry", "live"} {
		if _, ok := img[absent]; ok {
			t.Errorf("%q present although the source was not read", absent)
		}
	}
	if !strings.Contains(string(b), `"environments": [`) || dev["state"] != "unknown" {
		t.Errorf("unexpected JSON:\n%s", b)
	}
}

func TestGridFilterAndAttention(t *testing.T) {
	g := twoEnvWorld().Grid()
	if g.NeedsAttention() {
		t.Error("no drift or problem, yet attention needed")
	}
	f, err := g.Filter([]string{"prod"}, nil)
	if err != nil || len(f.Environments) != 1 || len(f.Apps[0].Cells) != 1 {
		t.Fatalf("filter = %+v, %v", f, err)
	}
	if _, err := g.Filter(nil, []string{"nope"}); err == nil || !strings.Contains(err.Error(), "known: search") {
		t.Errorf("unknown app err = %v", err)
	}
}

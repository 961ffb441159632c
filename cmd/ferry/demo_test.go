package main

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/model"
)

// TestDemoStatusShowsEveryPlannedState runs the README's first command in
// its scripted form and checks each cell against the demo's plan: every
// state of DESIGN.md must be on screen from the first second.
func TestDemoStatusShowsEveryPlannedState(t *testing.T) {
	out, errOut, code := ferry(t, "demo", "--status", "-o", "json", "--seed", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var g model.Grid
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	seen := map[model.State]bool{}
	for key, want := range demo.Planned() {
		c := g.Cell(key.App, key.Env)
		if c == nil {
			t.Errorf("%s/%s: no cell", key.App, key.Env)
			continue
		}
		seen[c.State] = true
		if c.State != want {
			t.Errorf("%s/%s: state %s, want %s (problems %v)", key.App, key.Env, c.State, want, c.Problems)
		}
	}
	for _, s := range model.AllStates() {
		if s != model.StateUnknown && !seen[s] {
			t.Errorf("no cell is %s", s)
		}
	}
}

// TestWOnTheDemoAsksEachAppsSourceRepo: the demo's images name commits of
// source repos that exist, so the console's w has real answers there.
func TestWOnTheDemoAsksEachAppsSourceRepo(t *testing.T) {
	ctx := t.Context()
	w, err := demo.Start(ctx, demo.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	world, err := loadWorld(ctx, &repoFlags{repo: w.RepoDir}, &sourceFlags{clusters: w.Clusters, ephemeral: true}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	revisions := map[model.CellKey]string{}
	for _, row := range world.Grid().Apps {
		for env, cell := range row.Cells {
			if cell != nil && len(cell.Images) > 0 {
				revisions[model.CellKey{App: row.Name, Env: env}], _ = cell.Images[0].Revision(world.FactsOfDigest)
			}
		}
	}
	c := &console{appRepos: func(app string) string { return w.SourceDirs[app] }}
	where := c.where()
	// What prod-us runs of catalog (4.2.0): staging's 4.3.0 contains it.
	commit := revisions[model.CellKey{App: "catalog", Env: "prod-us"}]
	got, err := where(ctx, commit[:10], revisions)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]model.Reach{"prod-us": model.ReachExactly, "staging": model.ReachContained, "prod-eu": model.ReachContained}
	for env, r := range want {
		if g := got[model.CellKey{App: "catalog", Env: env}]; g != r {
			t.Errorf("catalog in %s: %s, want %s", env, g, r)
		}
	}
	if g, ok := got[model.CellKey{App: "payments", Env: "dev"}]; ok {
		t.Errorf("payments (another repo) = %s, want left out", g)
	}
	if _, err := where(ctx, "deadbeef", revisions); err == nil || !strings.Contains(err.Error(), "is in none of the apps' 8 source repos") {
		t.Errorf("a commit no repo has: err = %v", err)
	}
}

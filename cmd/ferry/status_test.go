package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/internal/testrepo"
	"github.com/ferryhq/ferry/model"
)

// helmRepo is a small real repository: a chart's defaults and three
// environments, prod inheriting the chart's tag.
func helmRepo(t *testing.T) *testrepo.Repo {
	t.Helper()
	r := testrepo.FromDir(t, t.TempDir())
	r.Write("charts/search/Chart.yaml", "apiVersion: v2\nname: search\nversion: 0.1.0\n")
	r.Write("charts/search/values.yaml", "image:\n  repository: registry.example.org/shop/search-api\n  tag: v0.8.0\n")
	r.Write("environments/dev/search/values.yaml", "image:\n  tag: v0.9.0\n")
	r.Write("environments/staging/search/values.yaml", "replicas: 2\nimage:\n  tag: v0.8.2\n")
	r.Write("environments/prod/search/values.yaml", "replicas: 3\n")
	r.Commit("search in three environments")
	return r
}

func ferry(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func statusJSON(t *testing.T, args ...string) *model.Grid {
	t.Helper()
	out, errOut, code := ferry(t, append([]string{"status", "-o", "json", "--sources", "git"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	return parseGrid(t, out)
}

func parseGrid(t *testing.T, out string) *model.Grid {
	t.Helper()
	var g model.Grid
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatalf("status JSON does not parse: %v\n%s", err, out)
	}
	return &g
}

func TestStatusJSONFromARealRepo(t *testing.T) {
	r := helmRepo(t)
	g := statusJSON(t, "--repo", r.Dir)
	if got := strings.Join(g.Environments, ","); got != "dev,staging,prod" {
		t.Fatalf("environments = %s", got)
	}
	want := map[string]struct {
		tag, file string
		state     model.State
	}{
		"dev":     {"v0.9.0", "environments/dev/search/values.yaml", model.StateUnknown},
		"staging": {"v0.8.2", "environments/staging/search/values.yaml", model.StateBehind},
		"prod":    {"v0.8.0", "environments/prod/search/values.yaml", model.StateBehind},
	}
	for env, w := range want {
		c := g.Cell("search", env)
		if c == nil || len(c.Images) != 1 {
			t.Fatalf("%s: cell %+v", env, c)
		}
		d := c.Images[0].Declared
		if d.Image != "registry.example.org/shop/search-api" || d.Tag == nil || *d.Tag != w.tag || d.Digest != nil {
			t.Errorf("%s: declared %+v, want tag %s", env, d, w.tag)
		}
		if d.File != w.file {
			t.Errorf("%s: file %s, want %s", env, d.File, w.file)
		}
		if c.State != w.state {
			t.Errorf("%s: state %s, want %s", env, c.State, w.state)
		}
	}
}

func TestStatusFilters(t *testing.T) {
	r := helmRepo(t)
	g := statusJSON(t, "--repo", r.Dir, "--env", "prod,dev")
	if got := strings.Join(g.Environments, ","); got != "dev,prod" {
		t.Errorf("filtered environments = %s (promotion order kept)", got)
	}
	_, errOut, code := ferry(t, "status", "--repo", r.Dir, "--sources", "git", "--env", "qa")
	if code != exitFailure || !strings.Contains(errOut, `unknown environment "qa"`) || !strings.Contains(errOut, "dev, staging, prod") {
		t.Errorf("unknown env: exit %d, %q", code, errOut)
	}
}

func TestStatusYAMLMatchesJSON(t *testing.T) {
	r := helmRepo(t)
	out, errOut, code := ferry(t, "status", "--repo", r.Dir, "--sources", "git", "-o", "yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Environments []string `yaml:"environments"`
		Apps         []struct {
			Name string `yaml:"name"`
		} `yaml:"apps"`
	}
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil || len(doc.Apps) != 1 || doc.Apps[0].Name != "search" {
		t.Fatalf("yaml = %+v, %v\n%s", doc, err, out)
	}
}

func TestStatusTableNamesEveryState(t *testing.T) {
	r := helmRepo(t)
	out, _, code := ferry(t, "status", "--repo", r.Dir, "--sources", "git")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"search", "v0.9.0", "v0.8.2", "legend:", "tag-moved"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusBrokenFileDegradesItsCellOnly(t *testing.T) {
	r := helmRepo(t)
	r.Write("environments/staging/search/values.yaml", "image:\n  tag: [unclosed\n")
	r.Commit("break staging")
	g := statusJSON(t, "--repo", r.Dir)
	staging := g.Cell("search", "staging")
	if staging == nil || len(staging.Problems) == 0 {
		t.Fatalf("staging has no problem: %+v", staging)
	}
	p := staging.Problems[0]
	if p.File != "environments/staging/search/values.yaml" || p.Line == 0 || p.Source != "git" {
		t.Errorf("problem = %+v, want file and line", p)
	}
	if dev := g.Cell("search", "dev"); dev == nil || len(dev.Images) != 1 || len(dev.Problems) != 0 {
		t.Errorf("dev should be untouched: %+v", dev)
	}
	_, _, code := ferry(t, "status", "--repo", r.Dir, "--sources", "git", "--exit-code")
	if code != exitFindings {
		t.Errorf("--exit-code with a problem: exit %d, want %d", code, exitFindings)
	}
	_, _, code = ferry(t, "status", "--repo", helmRepo(t).Dir, "--sources", "git", "--exit-code")
	if code != 0 {
		t.Errorf("--exit-code without findings: exit %d, want 0", code)
	}
}

func TestStatusBadInputIsOneClearError(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a repo", []string{"status", "--repo", t.TempDir()}, "not a git repository"},
		{"unclonable remote", []string{"status", "--repo", "file:///nonexistent/ferry/repo.git"}, "cannot clone"},
		{"unknown flag", []string{"status", "--colour"}, "unknown flag: --colour (ferry status --help lists the flags)"},
		{"bad output", []string{"status", "-o", "xml"}, `--output "xml"`},
		{"bad source", []string{"status", "--sources", "git,vault"}, `unknown source "vault"`},
		{"an argument status does not take", []string{"status", "payments"},
			`ferry: status takes no arguments, got ["payments"] (usage: ferry status [flags]; ferry status --help explains)`},
		{"where without its commit", []string{"where"}, `ferry: where takes COMMIT, got none (usage: ferry where COMMIT [flags]`},
		{"promote without --to", []string{"promote", "cart"},
			`ferry: promote needs --to, the environment to promote into (usage: ferry promote APP... --to ENV [flags]; ferry promote --help explains)`},
		{"rollback with two apps", []string{"rollback", "a", "b", "--env", "prod"}, `ferry: rollback takes APP, got ["a" "b"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := ferry(t, tt.args...)
			if code != exitFailure || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, errOut, tt.want)
			}
			if out != "" {
				t.Errorf("stdout should be empty on failure: %q", out)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, code := ferry(t, "version")
	if code != 0 || !strings.HasPrefix(out, "ferry dev (commit none") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestInitWritesAConfigThatReadsBackTheSame(t *testing.T) {
	r := helmRepo(t)
	before := statusJSON(t, "--repo", r.Dir)
	out, errOut, code := ferry(t, "init", "--repo", r.Dir)
	if code != 0 || !strings.Contains(out, "ferry.yaml") {
		t.Fatalf("init: exit %d, %q %q", code, out, errOut)
	}
	r.Commit("adopt the generated ferry.yaml")
	after := statusJSON(t, "--repo", r.Dir)
	if strings.Join(after.Environments, ",") != strings.Join(before.Environments, ",") || len(after.Problems) > 0 {
		t.Errorf("with ferry.yaml: environments %v, problems %v; before %v", after.Environments, after.Problems, before.Environments)
	}
	if c := after.Cell("search", "staging"); c == nil || len(c.Images) != 1 || *c.Images[0].Declared.Tag != "v0.8.2" {
		t.Errorf("staging after init = %+v", c)
	}
	if _, errOut, code := ferry(t, "init", "--repo", r.Dir); code != exitFailure || !strings.Contains(errOut, "--force") {
		t.Errorf("second init must refuse without --force: exit %d, %q", code, errOut)
	}
}

// Kustomize prints deprecation warnings straight to descriptor 2; ferry
// sends it to its log while it reads, so they never reach the terminal
// (the library no longer swaps os.Stderr itself, which raced the console).
func TestKustomizeWarningsGoToTheLog(t *testing.T) {
	repo := testrepo.FromDir(t, "../../testdata/repos/kustomize-patches") // uses patchesJson6902
	logPath := filepath.Join(xdg.StateHome, "ferry", "ferry.log")
	before, _ := os.ReadFile(logPath)
	_, errOut, code := ferry(t, "status", "--repo", repo.Dir, "--sources", "git", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	after, _ := os.ReadFile(logPath)
	if added := string(after[len(before):]); !strings.Contains(added, "deprecated") {
		t.Errorf("the log did not get kustomize's deprecation warning; it got:\n%s", added)
	}
}

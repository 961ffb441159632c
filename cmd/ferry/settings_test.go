package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/userconfig"
	"github.com/ferryhq/ferry/model"
)

// writeUserConfig writes this test's user config (the tests' XDG config
// home is their own, see TestMain) and removes it afterwards.
func writeUserConfig(t *testing.T, text string) string {
	t.Helper()
	path := userconfig.Path()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
	return path
}

// The user config's default repo is read when no --repo is given, and a
// FERRY_REPO variable beats it; a flag beats both.
func TestDefaultRepoFromUserConfigEnvironmentAndFlag(t *testing.T) {
	inConfig, inEnv := helmRepo(t), helmRepo(t)
	inConfig.Write("environments/qa/search/values.yaml", "image:\n  tag: v1.0.0\n")
	inConfig.Commit("qa")
	writeUserConfig(t, "repo: "+inConfig.Dir+"\n")
	if g := statusJSON(t); !strings.Contains(strings.Join(g.Environments, ","), "qa") {
		t.Errorf("without --repo: environments %v, want the user config's repo (with qa)", g.Environments)
	}
	t.Setenv("FERRY_REPO", inEnv.Dir)
	if g := statusJSON(t); strings.Contains(strings.Join(g.Environments, ","), "qa") {
		t.Errorf("FERRY_REPO set: environments %v, want its repo (no qa)", g.Environments)
	}
	if g := statusJSON(t, "--repo", inConfig.Dir); !strings.Contains(strings.Join(g.Environments, ","), "qa") {
		t.Errorf("--repo given: environments %v, want the flag's repo", g.Environments)
	}
}

// read_only in the user config, in ferry.yaml or --read-only: promote
// refuses, naming where read-only came from; --dry-run still shows.
func TestPromoteRefusesInReadOnly(t *testing.T) {
	r := helmRepo(t)
	args := []string{"promote", "search", "--to", "staging", "--sources", "git", "--repo", r.Dir, "--yes"}
	_, errOut, code := ferry(t, append(args, "--read-only")...)
	if code != exitFailure || !strings.Contains(errOut, "read-only: started with --read-only: nothing is committed") {
		t.Errorf("--read-only: exit %d, %s", code, errOut)
	}
	if _, errOut, _ = ferry(t, append(args, "--read-only", "--dry-run")...); strings.Contains(errOut, "read-only") {
		t.Errorf("--dry-run writes nothing, so read-only lets it show: %s", errOut)
	}
	path := writeUserConfig(t, "theme: default\nread_only: true\n")
	_, errOut, code = ferry(t, args...)
	if code != exitFailure || !strings.Contains(errOut, "read-only: read_only: true in "+path+":2") {
		t.Errorf("user config: exit %d, %s", code, errOut)
	}
	// Not read-only, promote goes on to what it needs: here, a digest the
	// registry (not read) would give.
	if _, errOut, _ = ferry(t, append(args, "--read-only=false")...); strings.Contains(errOut, "read-only") {
		t.Errorf("--read-only=false beats the user config: %s", errOut)
	}
	os.Remove(path)
	r.Write("ferry.yaml", "read_only: true\n")
	r.Commit("this repo is promoted through pull requests")
	_, errOut, code = ferry(t, args...)
	if code != exitFailure || !strings.Contains(errOut, "read-only: read_only: true in ferry.yaml") {
		t.Errorf("ferry.yaml: exit %d, %s", code, errOut)
	}
	t.Setenv("FERRY_READ_ONLY", "false")
	if _, errOut, _ = ferry(t, args...); strings.Contains(errOut, "read-only") {
		t.Errorf("FERRY_READ_ONLY=false beats ferry.yaml: %s", errOut)
	}
}

func TestAWrongVariableIsNamed(t *testing.T) {
	t.Setenv("FERRY_FETCH_INTERVAL", "often")
	_, errOut, code := ferry(t, "status", "--repo", helmRepo(t).Dir, "--sources", "git")
	if code != exitFailure || !strings.Contains(errOut, `FERRY_FETCH_INTERVAL: fetch_interval: "often" is not a duration`) {
		t.Errorf("exit %d, %s", code, errOut)
	}
}

func TestConfigPathCheckAndEdit(t *testing.T) {
	out, _, code := ferry(t, "config", "path")
	if code != 0 || strings.TrimSpace(out) != userconfig.Path() {
		t.Errorf("config path: exit %d, %q", code, out)
	}
	if out, _, code = ferry(t, "config", "check"); code != 0 || !strings.Contains(out, "does not exist") {
		t.Errorf("check without a file: exit %d, %q", code, out)
	}
	path := writeUserConfig(t, "theme: plaid\nread_only: maybe\nkeys:\n  grid.nothing: x\n")
	out, _, code = ferry(t, "config", "check")
	want := []string{
		path + `:2: read_only: "maybe" is not true or false: the setting is ignored`,
		path + `:1: theme: unknown theme "plaid"`,
		path + ":4: keys.grid.nothing: no such binding",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("check: want %q in\n%s", w, out)
		}
	}
	if code != exitFindings {
		t.Errorf("check with problems: exit %d", code)
	}
	// The editor here is a script that writes a good file: edit checks it.
	editor := filepath.Join(t.TempDir(), "editor")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'theme: colorblind\\n' > \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", editor)
	if out, errOut, code := ferry(t, "config", "edit"); code != 0 || !strings.Contains(out, "no problems") {
		t.Errorf("edit: exit %d, %q %q", code, out, errOut)
	}
}

// An environment's context: --context beats ferry.yaml, which beats the
// user config's cluster.contexts.
func TestContextPrecedence(t *testing.T) {
	envs := model.Environments{{Name: "dev", Kube: model.KubeTarget{Context: "from-ferry-yaml"}}, {Name: "prod"}, {Name: "qa"}}
	flag := map[string]string{"dev": "from-flag"}
	user := map[string]string{"dev": "from-user", "prod": "from-user"}
	got := withContexts(withContexts(envs, flag, true), user, false)
	want := []string{"from-flag", "from-user", ""}
	for i, e := range got {
		if e.Kube.Context != want[i] {
			t.Errorf("%s reads %q, want %q", e.Name, e.Kube.Context, want[i])
		}
	}
	if envs[0].Kube.Context != "from-ferry-yaml" {
		t.Error("withContexts changed its input")
	}
}

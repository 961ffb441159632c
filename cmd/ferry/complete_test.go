package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/testrepo"
)

// complete runs the shell's question (`ferry __complete …`, what every
// shell's script asks) and returns the candidates, without descriptions.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	out, errOut, code := ferry(t, append([]string{cobra.ShellCompNoDescRequestCmd}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[:len(lines)-1] // the last line is the directive, ":4"
}

func TestCompletionOfAppsEnvironmentsAndContexts(t *testing.T) {
	r := testrepo.FromDir(t, "../../testdata/repos/ferry-config")
	envs := []string{"dev", "staging", "prod-eu", "prod-us"}
	if got := complete(t, "promote", "--repo", r.Dir, "--to", "prod-eu", ""); !slices.Equal(got, []string{"search"}) {
		t.Errorf("promote's apps = %v", got)
	}
	if got := complete(t, "promote", "search", "--repo", r.Dir, "--to", ""); !slices.Equal(got, envs) {
		t.Errorf("--to = %v, want %v", got, envs)
	}
	if got := complete(t, "status", "--repo", r.Dir, "--env", ""); !slices.Equal(got, envs) {
		t.Errorf("status --env = %v", got)
	}
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts:
  - {name: kind-dev, context: {cluster: c, user: u}}
  - {name: gke-prod, context: {cluster: c, user: u}}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := complete(t, "status", "--repo", r.Dir, "--context", ""); !slices.Equal(got, []string{"dev=", "staging=", "prod-eu=", "prod-us="}) {
		t.Errorf("--context = %v", got)
	}
	t.Setenv("FERRY_KUBECONFIG", kubeconfig) // completion resolves settings too
	if got := complete(t, "status", "--repo", r.Dir, "--context", "prod-eu="); !slices.Equal(got, []string{"prod-eu=gke-prod", "prod-eu=kind-dev"}) {
		t.Errorf("--context prod-eu= = %v", got)
	}
}

// The user config's default repo serves completion as it serves commands.
func TestCompletionReadsTheDefaultRepo(t *testing.T) {
	r := testrepo.FromDir(t, "../../testdata/repos/ferry-config")
	writeUserConfig(t, "repo: "+r.Dir+"\n")
	// cobra offers the required --env first, then the apps.
	if got := complete(t, "history", ""); !slices.Equal(got, []string{"--env", "search"}) {
		t.Errorf("history's apps = %v", got)
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "__ferry_debug", "zsh": "#compdef ferry", "fish": "complete -c ferry", "powershell": "Register-ArgumentCompleter",
	} {
		out, errOut, code := ferry(t, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, %q missing (%s)", shell, code, want, errOut)
		}
	}
}

// TestManPagePerCommand: ferry man writes one page per command users can
// see, each with its examples.
func TestManPagePerCommand(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := ferry(t, "man", dir); code != 0 {
		t.Fatalf("man: exit %d: %s", code, errOut)
	}
	var want []string
	walk(newRootCmd(io.Discard, io.Discard), func(c *cobra.Command) {
		want = append(want, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
	})
	for _, name := range want {
		page, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("no page %s: %v", name, err)
			continue
		}
		if !strings.Contains(string(page), ".SH EXAMPLE") {
			t.Errorf("%s has no examples", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(want) {
		t.Errorf("%d pages for %d commands", len(entries), len(want))
	}
}

// Every command users can see shows examples in --help.
func TestEveryCommandHasExamples(t *testing.T) {
	walk(newRootCmd(io.Discard, io.Discard), func(c *cobra.Command) {
		if c.Example == "" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
	})
}

// walk visits the commands a man page is written for: not hidden ones,
// nor cobra's help command.
func walk(c *cobra.Command, visit func(*cobra.Command)) {
	if c.Hidden || c.Name() == "help" {
		return
	}
	visit(c)
	for _, sub := range c.Commands() {
		walk(sub, visit)
	}
}

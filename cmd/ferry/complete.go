package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
)

// completeFunc is cobra's dynamic completion signature.
type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

// registerCompletions gives every command of the tree its dynamic
// completions, by flag name: app and environment names come from the repo
// at hand, read as `ferry status` reads it (Git only, so it is quick),
// contexts from the kubeconfig, read by kubectl's rules.
func registerCompletions(cmd *cobra.Command) {
	byFlag := map[string]completeFunc{
		"app": fromRepo(appNames), "env": fromRepo(envNames), "to": fromRepo(envNames), "from": fromRepo(envNames),
		"context": completeContexts,
		"theme":   fixed("default", "colorblind", "high-contrast"),
		"show":    fixed("version", "commit", "digest"),
		"sources": fixed("git", "registry", "cluster", "git,registry", "git,registry,cluster"),
	}
	for name, fn := range byFlag {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
	}
	// Commands whose arguments are apps: promote APP..., rollback APP, …
	if strings.Contains(cmd.Use, " APP") {
		cmd.ValidArgsFunction = fromRepo(appNames)
	}
	for _, sub := range cmd.Commands() {
		registerCompletions(sub)
	}
}

func fixed(values ...string) completeFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// fromRepo completes names read from the repo the command's flags (and
// the user's settings) name.
func fromRepo(names func(*model.World) []string) completeFunc {
	return func(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		w := completionWorld(cmd)
		if w == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return names(w), cobra.ShellCompDirectiveNoFileComp
	}
}

// completionWorld reads the repo at hand, or nil. Completion runs no hooks,
// so it resolves the settings itself; it never clones a URL (a key press
// must not wait on the network) and prints nothing.
func completionWorld(cmd *cobra.Command) *model.World {
	if _, err := newSettings(cmd); err != nil {
		return nil
	}
	fs := cmd.Flags()
	rf := repoFlags{repo: flagString(cmd, "repo", ".")}
	rf.ref, _ = fs.GetString("ref")
	rf.worktree, _ = fs.GetBool("worktree")
	if gitops.IsRemote(rf.repo) {
		return nil
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	w, err := loadWorld(ctx, &rf, &sourceFlags{sources: []string{"git"}, ephemeral: true}, io.Discard)
	if err != nil {
		return nil
	}
	return w
}

func appNames(w *model.World) []string {
	g := w.Grid()
	out := make([]string, 0, len(g.Apps))
	for _, r := range g.Apps {
		out = append(out, r.Name)
	}
	return out
}

func envNames(w *model.World) []string { return w.Environments.Names() }

// completeContexts completes --context ENV=CONTEXT: the environment first,
// then the kubeconfig's contexts after the "=".
func completeContexts(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	env, _, picked := strings.Cut(toComplete, "=")
	if !picked {
		w := completionWorld(cmd)
		if w == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, e := range envNames(w) {
			out = append(out, e+"=")
		}
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	if _, err := newSettings(cmd); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names, err := cluster.ContextNames(flagString(cmd, "kubeconfig", ""))
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, env+"="+n)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func flagString(cmd *cobra.Command, name, def string) string {
	if v, err := cmd.Flags().GetString(name); err == nil {
		return v
	}
	return def
}

// completionExamples gives cobra's completion commands the examples every
// other command has: how to load the script in each shell.
func completionExamples(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	examples := map[string]string{
		"bash":       "  source <(ferry completion bash)\n  ferry completion bash > /etc/bash_completion.d/ferry",
		"zsh":        "  ferry completion zsh > \"${fpath[1]}/_ferry\"",
		"fish":       "  ferry completion fish > ~/.config/fish/completions/ferry.fish",
		"powershell": "  ferry completion powershell | Out-String | Invoke-Expression",
	}
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Example = "  ferry completion bash\n  ferry completion zsh"
		for _, shell := range c.Commands() {
			shell.Example = examples[shell.Name()]
		}
	}
}

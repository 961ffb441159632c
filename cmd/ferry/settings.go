package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/userconfig"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// settings are what the user config and the resolver decided for one
// command; they travel in the command's context.
type settings struct {
	user     *userconfig.Config
	problems []string // the user config's, with file and line
	resolved *userconfig.Resolved
}

type settingsKey struct{}

// resolveSettings runs before every command: a flag given wins, then a
// FERRY_* variable, then the user config. The repo's ferry.yaml comes in
// between when the repo is opened (applyRepoSettings): it is not known
// before.
func resolveSettings(cmd *cobra.Command, _ []string) error {
	s, err := newSettings(cmd)
	if err != nil {
		return err
	}
	applyDeadlines()
	if !quietAboutConfig(cmd) {
		for _, p := range s.problems {
			fmt.Fprintln(cmd.ErrOrStderr(), "ferry:", p)
		}
	}
	return nil
}

// quietAboutConfig: the console shows the user config's problems on its
// status line and config check lists them; a completion script sourced
// by every new shell, or ferry man, would only be noisy with them.
func quietAboutConfig(cmd *cobra.Command) bool {
	if cmd.Parent() == nil {
		return true
	}
	switch cmd.Name() {
	case "demo", "man":
		return true
	}
	parent := cmd.Parent().Name()
	return parent == "config" || parent == "completion"
}

// newSettings resolves the command's flags and keeps the result in its
// context. Shell completion, which runs no hooks, calls it too.
func newSettings(cmd *cobra.Command) (*settings, error) {
	cfg, problems := userconfig.Load()
	r := userconfig.Resolve(cmd.Flags())
	if err := r.Apply(userconfig.Env, userconfig.EnvLookup(os.LookupEnv)); err != nil {
		return nil, err
	}
	if err := r.Apply(userconfig.User, cfg.Lookup); err != nil {
		return nil, err
	}
	s := &settings{user: cfg, problems: problems, resolved: r}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	cmd.SetContext(context.WithValue(ctx, settingsKey{}, s))
	return s, nil
}

// settingsOf returns the command's settings: empty ones for code that runs
// without the root command (tests that call a run function directly).
func settingsOf(ctx context.Context) *settings {
	if s, ok := ctx.Value(settingsKey{}).(*settings); ok {
		return s
	}
	cfg, _ := userconfig.Parse(userconfig.Path(), nil)
	return &settings{user: cfg}
}

// applyRepoSettings gives the repo's ferry.yaml its place in the
// precedence, once the repo is open: above the user config, below
// FERRY_* variables and flags.
func (s *settings) applyRepoSettings(repo *gitops.Repo, rf *repoFlags) error {
	if s.resolved == nil {
		return nil
	}
	tree, err := repo.Tree(rf.ref)
	if rf.worktree {
		tree, err = repo.WorktreeTree()
	}
	if err != nil {
		return nil // the feed says what is wrong with the tree, in its words
	}
	data, ok := tree.Read(model.ConfigFile)
	if !ok {
		return nil
	}
	cfg, _ := model.ParseConfig(data) // ferry status lists its problems
	return s.resolved.Apply(userconfig.Repo, func(st userconfig.Setting) (string, string, bool) {
		switch {
		case st.Key == "read_only" && cfg.ReadOnly != nil:
			return fmt.Sprint(*cfg.ReadOnly), model.ConfigFile, true
		case st.Key == "pull_requests" && cfg.PullRequests != nil:
			return fmt.Sprint(*cfg.PullRequests), model.ConfigFile, true
		case st.Key == "fetch_interval" && cfg.FetchInterval > 0:
			return cfg.FetchInterval.String(), model.ConfigFile, true
		}
		return "", "", false
	})
}

// readOnlyReason says why this run writes nothing, naming where read-only
// was asked for; "" when it may write.
func (s *settings) readOnlyReason(readOnly bool) string {
	if !readOnly {
		return ""
	}
	o := s.resolved.Origin("read_only")
	switch o.Layer {
	case userconfig.Env:
		return "read-only: " + o.Where + " is set"
	case userconfig.User, userconfig.Repo:
		return "read-only: read_only: true in " + o.Where
	}
	return "read-only: started with --read-only"
}

package main

import (
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/model"
)

type logFlags struct {
	repoFlags
	sourceFlags
	envs   []string
	apps   []string
	since  time.Duration
	output string
}

func newLogCmd() *cobra.Command {
	var f logFlags
	cmd := &cobra.Command{
		Use:   "log",
		Short: "What entered each environment and when, newest first, from the GitOps repo's history",
		Long: `log lists every change of what the environments declare on the branch's first-parent
line: which artifact, from what, the commit, who made it, its subject, whether it came in
through a merge (a pull request), and the Ferry-* trailers of promotions, rollbacks and holds.
Where clusters are read (ferry.yaml names contexts, or --sources cluster), the newest change
of each cell says how far it has come there: when its pods became ready, or how many run it.
-o json is an audit trail: every change of every cell in the period.`,
		Example: `  ferry log --env prod-eu --since 6h
  ferry log --app checkout --since 168h
  ferry log --env prod --since 720h -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLog(cmd, &f) },
	}
	fs := cmd.Flags()
	f.repoFlags.register(fs)
	f.sourceFlags.register(fs)
	fs.StringSliceVar(&f.envs, "env", nil, "only these environments (comma list)")
	fs.StringSliceVar(&f.apps, "app", nil, "only these apps (comma list)")
	fs.DurationVar(&f.since, "since", 24*time.Hour, "how far back")
	fs.StringVarP(&f.output, "output", "o", "table", "output format: table or json")
	return cmd
}

func runLog(cmd *cobra.Command, f *logFlags) error {
	if f.output != "table" && f.output != "json" {
		return fmt.Errorf("--output %q: want table or json", f.output)
	}
	repo, tree, err := f.open(cmd.Context())
	if err != nil {
		return err
	}
	res := readGit(tree, true)
	for _, env := range f.envs {
		if _, ok := res.Environments.Get(env); !ok {
			return fmt.Errorf("--env %q: no such environment (have %v)", env, res.Environments.Names())
		}
	}
	var decls []model.Declared
	for _, d := range res.Declared {
		if (len(f.envs) == 0 || slices.Contains(f.envs, d.Env)) && (len(f.apps) == 0 || slices.Contains(f.apps, d.App)) {
			decls = append(decls, d)
		}
	}
	entries, err := repo.Timeline(cmd.Context(), tree.Commit, decls, time.Now().Add(-f.since))
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []model.HistoryEntry{}
	}
	if len(entries) > 0 && f.readsClusters(res.Environments) {
		world, err := loadWorld(cmd.Context(), &f.repoFlags, &f.sourceFlags, cmd.ErrOrStderr())
		if err != nil {
			return err
		}
		world.AnnotateRollouts(entries)
	}
	if f.output == "json" {
		return printJSON(cmd.OutOrStdout(), entries)
	}
	if len(entries) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "ferry: nothing changed in the last %s\n", f.since)
		return nil
	}
	printHistory(cmd.OutOrStdout(), entries, true)
	return nil
}

// readsClusters: the rollouts are asked for where the clusters would be
// read by status: --sources names them, or ferry.yaml names contexts.
func (f *logFlags) readsClusters(envs model.Environments) bool {
	if len(f.sources) > 0 {
		use, _ := sourceList(f.sources)
		return use["cluster"]
	}
	return f.clusters != nil || slices.ContainsFunc(envs, func(e model.Environment) bool { return e.Kube.Context != "" })
}

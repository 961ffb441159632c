package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var c console
	root := &cobra.Command{
		Use:   "ferry",
		Short: "A terminal release console for GitOps",
		Long: `ferry reads a GitOps repo, an OCI registry and live Kubernetes clusters at once
and shows what runs where, whether it drifts, and how to move it on or back.

Without a command, ferry opens the console on the repo around the current
directory (or --repo). When standard output is not a terminal it prints the
status table instead.`,
		Example: `  ferry
  ferry --repo ../gitops
  ferry --repo https://github.com/example/gitops.git --fetch-interval 1m
  ferry demo`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Every command's settings: flag > FERRY_* > ferry.yaml > user config > default.
		PersistentPreRunE: resolveSettings,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c.title = c.repo.repo
			return runConsole(cmd, &c)
		},
	}
	c.repo.register(root.Flags())
	c.sources.register(root.Flags())
	c.flags.register(root.Flags())
	registerDeadlines(root)
	// A wrong flag names where the right ones are listed.
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return fmt.Errorf("%w (%s --help lists the flags)", err, cmd.CommandPath())
	})
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newStatusCmd(), newDemoCmd(), newInitCmd(), newVersionCmd(),
		newPromoteCmd(), newRollbackCmd(), newResumeCmd(), newHistoryCmd(), newLogCmd(), newWhereCmd(), newConfigCmd(), newManCmd())
	completionExamples(root)
	registerCompletions(root)
	explainArgs(root)
	return root
}

// explainArgs gives every command's argument check words that say what it
// takes: cobra's own ("accepts 1 arg(s), received 0", or `unknown command
// "payments"` for a command that takes none) name neither the argument
// nor the usage.
func explainArgs(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		explainArgs(sub)
	}
	check := cmd.Args
	if check == nil || cmd.HasSubCommands() {
		return // a group: cobra's "unknown command" is the right answer
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		if check(c, args) == nil {
			return nil
		}
		got := "none"
		if len(args) > 0 {
			got = fmt.Sprintf("%q", args)
		}
		name := strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
		return fmt.Errorf("%s takes %s, got %s (usage: %s; %s --help explains)",
			name, argsOf(c), got, c.UseLine(), c.CommandPath())
	}
}

// explainMissingFlags says what a required flag that was not given is for:
// cobra's `required flag(s) "to" not set` names neither its value nor the
// command's usage. The check runs inside cobra's Execute, past any hook, so
// its error is reworded here, for the command that ran.
func explainMissingFlags(cmd *cobra.Command, err error) error {
	if err == nil || cmd == nil || !strings.HasPrefix(err.Error(), "required flag(s) ") {
		return err
	}
	var missing []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if _, required := f.Annotations[cobra.BashCompOneRequiredFlag]; required && !f.Changed {
			_, usage := pflag.UnquoteUsage(f)
			missing = append(missing, fmt.Sprintf("--%s, %s", f.Name, strings.TrimSuffix(usage, " (required)")))
		}
	})
	if len(missing) == 0 {
		return err
	}
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	return fmt.Errorf("%s needs %s (usage: %s; %s --help explains)",
		name, strings.Join(missing, " and "), cmd.UseLine(), cmd.CommandPath())
}

// argsOf names a command's arguments from its Use line ("where COMMIT"
// takes COMMIT), or says it takes none.
func argsOf(c *cobra.Command) string {
	var names []string
	for _, w := range strings.Fields(c.Use)[1:] {
		if strings.HasPrefix(w, "-") {
			break
		}
		names = append(names, w)
	}
	if len(names) == 0 {
		return "no arguments"
	}
	return strings.Join(names, " ")
}

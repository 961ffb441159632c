package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/model"
)

func newInitCmd() *cobra.Command {
	var (
		rf    repoFlags
		force bool
	)
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a ferry.yaml from what discovery finds, for you to correct",
		Example: `  ferry init
  ferry init --repo ../gitops --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			repo, tree, err := rf.open(cmd.Context())
			if err != nil {
				return err
			}
			if repo.Root == "" {
				return fmt.Errorf("init writes into a local checkout; --repo %s is a URL", rf.repo)
			}
			path := filepath.Join(repo.Root, model.ConfigFile)
			if _, err := os.Stat(path); err == nil && !force {
				return fmt.Errorf("%s exists; use --force to overwrite it", path)
			}
			if err := os.WriteFile(path, readGit(tree, true).InitConfig(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: check the environments' order, contexts and apps\n", path)
			return nil
		},
	}
	rf.register(cmd.Flags())
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing ferry.yaml")
	return cmd
}

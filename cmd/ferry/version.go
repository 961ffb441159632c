package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// Set by the release build (.goreleaser.yaml) with -ldflags -X.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print ferry's version, commit and build date",
		Example: `  ferry version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "ferry %s (commit %s, built %s)\n", version, commit, date)
			return err
		},
	}
}

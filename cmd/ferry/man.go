package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page per command from the command tree itself,
// so the pages cannot drift from the flags. The release build runs it
// (.goreleaser.yaml) and packages the pages; it is hidden from help.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "man DIR",
		Short:   "Write a man page per command into DIR (ferry.1, ferry-status.1, …)",
		Example: `  ferry man ./man && man ./man/ferry-promote.1`,
		Hidden:  true,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			// The build's date (the commit's, in a release), never today's:
			// the same source makes the same pages.
			when, err := time.Parse(time.RFC3339, date)
			if err != nil {
				when = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			header := &doc.GenManHeader{Title: "FERRY", Section: "1", Source: "ferry " + version, Manual: "ferry manual", Date: &when}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote the man pages into %s\n", args[0])
			return err
		},
	}
}

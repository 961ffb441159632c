package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "ferry",
		Short: "A terminal release console for GitOps",
		Long: `ferry reads a GitOps repo, an OCI registry and live Kubernetes clusters at once
and shows what runs where, whether it drifts, and how to move it on or back.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newStatusCmd(), newDemoCmd(), newInitCmd(), newVersionCmd())
	return root
}

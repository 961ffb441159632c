package main

import (
	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/sources/gitops"
)

// registerDeadlines adds the network deadlines every command obeys — Git,
// the registry and the API servers alike — and puts them in force before
// any command runs.
func registerDeadlines(root *cobra.Command) {
	d := netwait.Default
	fs := root.PersistentFlags()
	fs.DurationVar(&d.Connect, "connect-timeout", d.Connect, "longest wait for a connection (TCP and TLS) to Git, a registry or an API server")
	fs.DurationVar(&d.Answer, "answer-timeout", d.Answer, "longest wait for a connected server's answer to begin")
	root.PersistentPreRun = func(*cobra.Command, []string) {
		netwait.Set(d)
		gitops.InstallHTTP()
	}
}

package main

import (
	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/sources/gitops"
)

// deadlines are the network deadlines every command obeys — Git, the
// registry and the API servers alike — as the flags (or FERRY_*, or the
// user config, through the resolver) set them.
var deadlines netwait.Deadlines

func registerDeadlines(root *cobra.Command) {
	deadlines = netwait.Default
	fs := root.PersistentFlags()
	fs.DurationVar(&deadlines.Connect, "connect-timeout", deadlines.Connect, "longest wait for a connection (TCP and TLS) to Git, a registry or an API server")
	fs.DurationVar(&deadlines.Answer, "answer-timeout", deadlines.Answer, "longest wait for a connected server's answer to begin")
}

// applyDeadlines puts the resolved deadlines in force before a command
// reads anything.
func applyDeadlines() {
	netwait.Set(deadlines)
	gitops.InstallHTTP()
}

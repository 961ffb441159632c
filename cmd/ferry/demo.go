package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/demo"
)

type demoFlags struct {
	seed           int64
	keep           bool
	dir            string
	status         bool
	output         string
	show           string
	theme          string
	readOnly       bool
	pullRequests   bool
	reconcileDelay time.Duration
	rolloutStep    time.Duration
}

func newDemoCmd() *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run ferry on a demo world: a GitOps repo, a registry and clusters, all in this process",
		Long: `ferry demo builds a world on this machine, with no network and no cluster: a
GitOps repo with a history of promotions and a bare remote, an OCI registry on
127.0.0.1 holding every build, and a simulated cluster per environment with an
Argo CD that applies what is pushed to the remote. Every cell state is there
from the first second. The console opens on it; commit and push to the remote
it names, and watch the cells follow. q (or Ctrl+C) ends the demo and
removes it all, unless --keep or --dir.`,
		Example: `  ferry demo
  ferry demo --status -o json
  ferry demo --keep --seed 42
  ferry demo --theme colorblind`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, &f)
		},
	}
	fs := cmd.Flags()
	fs.Int64Var(&f.seed, "seed", 0, "seed of the world: the same seed gives the same builds and digests")
	fs.BoolVar(&f.keep, "keep", false, "keep the repo when the demo ends, and say where it is")
	fs.StringVar(&f.dir, "dir", "", "put the repo in this empty folder (kept)")
	fs.BoolVar(&f.status, "status", false, "print the status of the world and exit")
	fs.StringVarP(&f.output, "output", "o", "table", "with --status: table, json or yaml")
	fs.StringVar(&f.show, "show", "version", "with --status: what cells show: version, commit or digest")
	fs.StringVar(&f.theme, "theme", "", "colours: default, colorblind or high-contrast")
	fs.BoolVar(&f.readOnly, "read-only", false, "start with promote, rollback, hold, resume and commit off")
	fs.BoolVar(&f.pullRequests, "pr", false, "commit on a pull-request branch of its own by default (the review's p toggles it)")
	fs.DurationVar(&f.reconcileDelay, "reconcile-delay", 2*time.Second, "how long the simulated controller waits before applying a commit")
	fs.DurationVar(&f.rolloutStep, "rollout-step", time.Second, "time between pod replacements during a rollout")
	return cmd
}

func runDemo(cmd *cobra.Command, f *demoFlags) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	w, err := demo.Start(ctx, demo.Options{
		Seed: f.seed, ReconcileDelay: f.reconcileDelay, RolloutStep: f.rolloutStep,
		Dir: f.dir, Keep: f.keep, Logf: logf(),
	})
	if err != nil {
		return err
	}
	defer w.Close()
	if f.status {
		status := &statusFlags{
			repoFlags:   repoFlags{repo: w.RepoDir},
			sourceFlags: sourceFlags{clusters: w.Clusters, ephemeral: true},
			output:      f.output, show: f.show,
		}
		err := runStatus(cmd, status)
		if w.Kept {
			fmt.Fprintf(cmd.ErrOrStderr(), "The repo stays at %s\n", w.RepoDir)
		}
		return err
	}
	// The console reads the remote: what is pushed there is what the
	// simulated Argo CD applies, so the cells follow every push.
	err = runConsole(cmd, &console{
		repo:    repoFlags{repo: w.RemoteDir},
		sources: sourceFlags{clusters: w.Clusters, ephemeral: true},
		flags:   consoleFlags{theme: f.theme, readOnly: f.readOnly, pullRequests: f.pullRequests},
		title:   "demo · push to " + w.RemoteDir,
		k9sOff:  "the demo's clusters are simulated inside this process; k9s cannot reach them",
		events:  w.Events,
		// w asks each app's own source repo, as its revision labels say.
		appRepos: func(app string) string { return w.SourceDirs[app] },
	})
	if w.Kept {
		fmt.Fprintf(cmd.ErrOrStderr(), "The repo stays at %s: ferry --repo %s\n", w.RepoDir, w.RepoDir)
	}
	return err
}

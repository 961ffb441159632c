package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ferryhq/ferry/internal/feed"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/ui"
)

// releaseFlags are what every command that commits a release takes.
type releaseFlags struct {
	repoFlags
	sourceFlags
	image    string
	reason   string
	message  string
	yes      bool
	dryRun   bool
	push     bool
	branch   string
	pr       bool
	output   string
	readOnly bool
}

func (f *releaseFlags) register(fs *pflag.FlagSet) {
	f.repoFlags.register(fs)
	f.sourceFlags.register(fs)
	fs.StringVar(&f.image, "image", "", "the image to change, when the app has several")
	fs.StringVar(&f.reason, "reason", "", "why (an incident, a ticket): recorded in the Ferry-Reason trailer")
	fs.StringVarP(&f.message, "message", "m", "", "the commit's subject (default: one ferry writes, such as \"promote checkout 2.7.1 to prod-eu\")")
	fs.BoolVarP(&f.yes, "yes", "y", false, "commit without asking")
	fs.BoolVar(&f.dryRun, "dry-run", false, "show the plan and the diff, write nothing")
	fs.BoolVar(&f.push, "push", false, "push the commit to the branch's upstream (a repo cloned from a URL is always pushed)")
	fs.StringVar(&f.branch, "branch", "", "commit on this new branch instead, for a pull request (pushed with --push)")
	fs.BoolVar(&f.pr, "pr", false, "commit on a new branch ferry/<env>/<app>-<version> and push it, printing the compare URL for GitHub and GitLab; pull_requests in the user config or ferry.yaml sets it too")
	fs.StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse to commit (--dry-run still shows the change); read_only in the user config or ferry.yaml sets it too")
}

// loaded is a world read to the end, the feed that read it (for history)
// and a releaser on the same repo and registry.
type loaded struct {
	world *model.World
	feed  *feed.Feed
	rel   *release.Releaser
}

// describe completes a reference named by hand: a tag gets its digest and
// a digest its version, from the registry when it is read.
func (l *loaded) describe(ctx context.Context, ref model.ImageRef) (model.ImageRef, string, error) {
	if l.rel.Describe == nil {
		return ref, ref.Tag, nil
	}
	facts, problems := l.rel.Describe(ctx, []model.ImageRef{ref})
	for _, p := range problems[ref.String()] {
		return ref, "", fmt.Errorf("%s: %s", ref, p.Message)
	}
	f, ok := facts[ref.String()]
	if !ok {
		return ref, ref.Tag, nil
	}
	if ref.Digest == "" {
		ref.Digest = f.Digest
	}
	return ref, firstNonEmpty(f.Version, ref.Tag), nil
}

// planOutput is what --dry-run -o json prints (and -o json after a commit).
type planOutput struct {
	Plan     model.Plan       `json:"plan"`
	Base     string           `json:"base"`
	Diff     string           `json:"diff"`
	Warnings []string         `json:"warnings"`
	Blocking []string         `json:"blocking"`
	Notes    []string         `json:"notes"`
	Commit   *gitwrite.Result `json:"commit,omitempty"`
}

// runRelease builds the changes, previews them, asks, and commits: the
// CLI's path through the same release code the console's review uses.
func runRelease(cmd *cobra.Command, f *releaseFlags, build func(context.Context, *loaded) ([]model.Change, error)) error {
	if f.output != "text" && f.output != "json" {
		return fmt.Errorf("--output %q: want text or json", f.output)
	}
	ctx := cmd.Context()
	// Previews read the repo again (Kustomize writes warnings to fd 2).
	if restore, err := quietStderr(); err == nil {
		defer restore()
	}
	fd, rel, err := newFeed(ctx, &f.repoFlags, &f.sourceFlags, false)
	if err != nil {
		return err
	}
	if reason := settingsOf(ctx).readOnlyReason(f.readOnly); reason != "" && !f.dryRun {
		return fmt.Errorf("%s: nothing is committed (--dry-run shows the change, --read-only=false lifts it)", reason)
	}
	w, err := drain(ctx, fd, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	l := &loaded{world: w, feed: fd, rel: rel}
	changes, err := build(ctx, l)
	if errors.Is(err, model.ErrNothingToDo) {
		fmt.Fprintln(cmd.ErrOrStderr(), "ferry:", err)
		return nil
	}
	if err != nil {
		return err
	}
	plan := model.Plan{Repo: f.repo, Changes: changes}
	p, err := rel.Preview(ctx, plan)
	if err != nil {
		return err
	}
	out := planOutput{Plan: plan, Base: p.Base, Diff: p.Diff, Warnings: plan.Warnings(w.Environments, w.Grid()),
		Blocking: p.Blocking, Notes: p.Notes}
	if f.output == "text" {
		printPlan(cmd.OutOrStdout(), out)
	}
	if len(p.Blocking) > 0 {
		if f.output == "json" {
			_ = printJSON(cmd.OutOrStdout(), out)
		}
		return &exitError{code: exitFindings, err: &release.BlockedError{Problems: p.Blocking}}
	}
	if f.dryRun {
		if f.output == "json" {
			return printJSON(cmd.OutOrStdout(), out)
		}
		return nil
	}
	if !f.yes {
		if err := confirm(cmd, plan, w.Environments); err != nil {
			return err
		}
	}
	opts := gitwrite.Options{NewBranch: f.branch, Push: f.push || f.pr || rel.Repo.IsClone()}
	if f.pr && opts.NewBranch == "" {
		opts.NewBranch = plan.BranchName()
	}
	res, err := rel.Commit(ctx, plan, release.Message{Subject: f.message, Reason: f.reason}, opts)
	if err != nil {
		return err
	}
	if f.output == "json" {
		out.Commit = &res
		return printJSON(cmd.OutOrStdout(), out)
	}
	printCommitted(cmd.OutOrStdout(), res)
	return nil
}

func printPlan(w io.Writer, o planOutput) {
	fmt.Fprintln(w, o.Plan.Subject())
	fmt.Fprint(w, ui.CleanLines(o.Plan.Body()))
	for _, s := range o.Warnings {
		fmt.Fprintln(w, "! "+ui.Clean(s))
	}
	for _, s := range o.Blocking {
		fmt.Fprintln(w, "✖ "+ui.Clean(s))
	}
	for _, s := range o.Notes {
		fmt.Fprintln(w, "· "+ui.Clean(s))
	}
	fmt.Fprintf(w, "\ndiff on %s\n%s", model.ShortRevision(o.Base), ui.CleanLines(o.Diff))
}

func printCommitted(w io.Writer, r gitwrite.Result) {
	line := "committed " + model.ShortRevision(r.Commit) + " on " + r.Branch
	if r.Pushed {
		line += ", pushed to " + r.Remote
	}
	fmt.Fprintln(w, ui.Clean(line))
	if r.CompareURL != "" {
		fmt.Fprintln(w, "open the pull request: "+ui.Clean(r.CompareURL))
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "· "+ui.Clean(n))
	}
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// confirm asks on the terminal; a protected environment's name must be
// typed, as in the console. Without a terminal there is nobody to ask.
func confirm(cmd *cobra.Command, plan model.Plan, envs model.Environments) error {
	in := cmd.InOrStdin()
	if !isTerminal(in) || !isTerminal(cmd.OutOrStdout()) {
		return &exitError{code: exitFailure, err: errNoTerminal}
	}
	protected := plan.Protected(envs)
	want, question := "y", "\ncommit? [y/N] "
	if len(protected) > 0 {
		want = strings.Join(protected, ",")
		question = "\n" + want + " is protected: type " + want + " to commit: "
	}
	fmt.Fprint(cmd.OutOrStdout(), question)
	answer, _ := bufio.NewReader(in).ReadString('\n')
	if strings.TrimSpace(answer) != want && !(want == "y" && strings.EqualFold(strings.TrimSpace(answer), "yes")) {
		return &exitError{code: exitFailure, err: errors.New("not committed")}
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/internal/feed"
	"github.com/ferryhq/ferry/internal/planstore"
	"github.com/ferryhq/ferry/internal/uirelease"
	"github.com/ferryhq/ferry/keymap"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/ui"
)

// consoleFlags tune the console.
type consoleFlags struct {
	theme        string
	appRepo      string
	readOnly     bool
	pullRequests bool
}

func (f *consoleFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.theme, "theme", "", "colours: default, colorblind or high-contrast (default: the user config's, else default)")
	fs.BoolVar(&f.readOnly, "read-only", false, "start with promote, rollback, hold, resume and commit off (for on-call laptops and shared screens)")
	fs.BoolVar(&f.pullRequests, "pr", false, "commit on a pull-request branch of its own by default (the review's p toggles it); pull_requests in the user config or ferry.yaml sets it too")
	fs.StringVar(&f.appRepo, "app-repo", "", "an app's source repo (path or URL) for w, where a commit has come (default: the current directory's repo)")
}

// console is everything one console run needs.
type console struct {
	repo    repoFlags
	sources sourceFlags
	flags   consoleFlags
	title   string
	k9sOff  string            // why k9s cannot open here ("" when it can)
	events  <-chan demo.Event // the demo controller's steps, or nil
	// appRepos names each app's source repo for w (the demo's); nil means
	// --app-repo, else the current directory's, for every app.
	appRepos func(app string) string
}

// where is w's question, over the apps' source repos.
func (c *console) where() func(context.Context, string, map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
	if c.appRepos != nil && c.flags.appRepo == "" {
		return whereInRepos(c.appRepos)
	}
	return whereIn(firstNonEmpty(c.flags.appRepo, "."))
}

// runConsole opens the console, or prints the status table when stdout is
// not a terminal (a pipe, a file, CI).
func runConsole(cmd *cobra.Command, c *console) error {
	s := settingsOf(cmd.Context())
	theme := firstNonEmpty(c.flags.theme, "default")
	if _, err := ui.NewTheme(theme, true); err != nil {
		return fmt.Errorf("%s: %w", s.resolved.Origin("theme").Where, err)
	}
	if !gitops.IsRemote(c.repo.repo) {
		// Say at once, in one sentence, when there is no repo here.
		if _, err := c.repo.openRepo(cmd.Context()); err != nil {
			return err
		}
	}
	if !isTerminal(cmd.OutOrStdout()) {
		fmt.Fprintln(cmd.ErrOrStderr(), "ferry: standard output is not a terminal, so here is the status table instead of the console (ferry status prints it on purpose)")
		for _, p := range s.problems {
			fmt.Fprintln(cmd.ErrOrStderr(), "ferry:", p)
		}
		return runStatus(cmd, &statusFlags{repoFlags: c.repo, sourceFlags: c.sources, output: "table", show: "version"})
	}
	keys, notes := userKeys(s)
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	fd, rel, err := newFeed(ctx, &c.repo, &c.sources, true)
	if err != nil {
		return err
	}
	readOnly := s.readOnlyReason(c.flags.readOnly)
	if readOnly != "" {
		// First: a long line of notes is cut at its end.
		notes = append([]string{readOnly + ": promote, rollback, hold, resume and commit are off"}, notes...)
	}
	store := c.planStore(readOnly)
	plan, restored := restorePlan(store, c.repo.repo)
	o := ui.Options{Backend: fd, Keys: keys, Theme: theme, Title: c.title, Notes: append(notes, restored...),
		OpenK9s: c.openK9s(), K9sOff: c.k9sOff, Releaser: uirelease.Releaser{Rel: rel, Store: store, Write: gitwrite.Options{Push: true}}, Plan: plan,
		Where: c.where(), ReadClipboard: clipboard.ReadAll, ReadOnly: readOnly,
		PullRequests: c.flags.pullRequests}
	restore, err := quietStderr()
	if err != nil {
		return err
	}
	defer restore()
	p := tea.NewProgram(ui.New(o), tea.WithContext(ctx), tea.WithOutput(cmd.OutOrStdout()))
	go relay(ctx, p, fd, c.events)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// userKeys is the keymap with the user config's bindings, and the user
// config's problems (a refused binding on its line among them).
func userKeys(s *settings) (*keymap.Map, []string) {
	keys := keymap.Default()
	notes := slices.Clone(s.problems)
	for _, err := range keys.Rebind(s.user.Keys) {
		notes = append(notes, s.user.Problem(err.Error()))
	}
	return keys, notes
}

// relay is the one goroutine that hands the feed's updates (and the demo
// controller's steps) to the program: sources push, the console never
// polls.
func relay(ctx context.Context, p *tea.Program, fd *feed.Feed, events <-chan demo.Event) {
	updates := make(chan model.Update, 64)
	go func() { _ = fd.Run(ctx, updates) }()
	for {
		select {
		case <-ctx.Done():
			return
		case u := <-updates:
			p.Send(u)
		case e, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			p.Send(ui.NoticeMsg{At: time.Now(), Text: "controller: " + e.String()})
		}
	}
}

// planStore keeps this repo's staged plan; the demo's world lives one
// run, so its plan does too. A read-only console stages nothing: it
// neither shows nor touches a plan another console left.
func (c *console) planStore(readOnly string) *planstore.Store {
	if c.sources.ephemeral || readOnly != "" {
		return nil
	}
	s := planstore.For(c.repo.repo, "")
	return &s
}

// openK9s builds k9s commands, unless k9s cannot reach these clusters.
func (c *console) openK9s() func(ui.K9sTarget) (*exec.Cmd, error) {
	if c.k9sOff != "" {
		return nil
	}
	kubeconfig := c.sources.kubeconfig
	return func(t ui.K9sTarget) (*exec.Cmd, error) {
		path, err := exec.LookPath("k9s")
		if err != nil {
			return nil, errors.New("K: k9s is not installed (see https://k9scli.io); ferry opens it on the cell's workload when it is on your PATH")
		}
		args := []string{"--context", t.Context}
		if kubeconfig != "" {
			args = append(args, "--kubeconfig", kubeconfig)
		}
		if t.Namespace != "" {
			args = append(args, "--namespace", t.Namespace)
		} else {
			args = append(args, "--all-namespaces")
		}
		if t.Kind != "" {
			args = append(args, "--command", strings.ToLower(t.Kind))
		}
		return exec.Command(path, args...), nil
	}
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

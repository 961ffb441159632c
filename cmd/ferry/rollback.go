package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/ui"
)

type rollbackFlags struct {
	releaseFlags
	env   string
	to    string
	steps int
	hold  bool
}

func newRollbackCmd() *cobra.Command {
	var f rollbackFlags
	cmd := &cobra.Command{
		Use:   "rollback APP --env ENV",
		Short: "Stage, review and commit a rollback to an earlier artifact from the cell's Git history",
		Long: `rollback declares in ENV an artifact APP ran there before, as its history in Git
wrote it: the one before the current by default, --steps further back, or --to a
version or digest from that history (ferry history lists them). The console's r makes
the same change.`,
		Example: `  ferry rollback checkout --env prod-eu
  ferry rollback checkout --env prod-eu --to 2.7.0 --reason INC-1234 --push
  ferry rollback search --env staging --steps 2 --dry-run -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRelease(cmd, &f.releaseFlags, func(ctx context.Context, l *loaded) ([]model.Change, error) {
				return f.change(ctx, l, args[0])
			})
		},
	}
	fs := cmd.Flags()
	f.releaseFlags.register(fs)
	fs.StringVar(&f.env, "env", "", "the environment to roll back (required)")
	fs.StringVar(&f.to, "to", "", "the version, tag or digest (or its prefix) from the history to go back to")
	fs.IntVar(&f.steps, "steps", 1, "how many distinct artifacts back to go")
	fs.BoolVar(&f.hold, "hold", false, "also hold the field against image automation (Flux, Argo CD Image Updater), so it stays rolled back (ferry resume lifts it)")
	_ = cmd.MarkFlagRequired("env")
	cmd.MarkFlagsMutuallyExclusive("to", "steps")
	return cmd
}

func newResumeCmd() *cobra.Command {
	var f releaseFlags
	var env string
	cmd := &cobra.Command{
		Use:   "resume APP --env ENV",
		Short: "Lift ferry's hold on a cell: image automation (Flux, Argo CD Image Updater) writes it again",
		Example: `  ferry resume checkout --env prod-eu --reason "INC-1234 fixed in 2.7.2"
  ferry resume checkout --env prod-eu --dry-run`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRelease(cmd, &f, func(_ context.Context, l *loaded) ([]model.Change, error) {
				c, err := l.world.Grid().Resume(args[0], env, f.image)
				return []model.Change{c}, err
			})
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVar(&env, "env", "", "the environment (required)")
	_ = cmd.MarkFlagRequired("env")
	return cmd
}

func (f *rollbackFlags) change(ctx context.Context, l *loaded, app string) ([]model.Change, error) {
	grid := l.world.Grid()
	cell, err := cellOf(grid, l.world, app, f.env)
	if err != nil {
		return nil, err
	}
	img, err := pickImage(cell, f.image)
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %w", app, f.env, err)
	}
	history, err := l.feed.History(ctx, model.CellKey{App: app, Env: f.env})
	if err != nil {
		return nil, err
	}
	arts := model.Artifacts(history, img.Name)
	to, err := f.pick(arts, app)
	if err != nil {
		return nil, err
	}
	_, version, _ := l.describe(ctx, to)
	c, err := grid.Rollback(app, f.env, img.Name, to, version)
	if err != nil {
		return nil, err
	}
	if f.hold {
		plan := model.Plan{Changes: []model.Change{c}}
		if plan.ToggleHold() == 0 {
			return nil, fmt.Errorf("--hold: no image automation ferry can pause (a Flux marker, an aliased Argo CD Image Updater entry) writes image %s of %s in %s", img.Name, app, f.env)
		}
		c = plan.Changes[0]
	}
	return []model.Change{c}, nil
}

// pick chooses among a cell's artifacts, newest (the current) first.
func (f *rollbackFlags) pick(arts []model.HistoryEntry, app string) (model.ImageRef, error) {
	if len(arts) < 2 {
		return model.ImageRef{}, fmt.Errorf("%s in %s has no earlier artifact in its Git history", app, f.env)
	}
	if f.to == "" {
		if f.steps < 1 || f.steps >= len(arts) {
			return model.ImageRef{}, fmt.Errorf("--steps %d: %s in %s has %d earlier artifact(s)", f.steps, app, f.env, len(arts)-1)
		}
		return arts[f.steps].To, nil
	}
	for _, a := range arts[1:] {
		if a.To.Tag == f.to || (strings.HasPrefix(f.to, "sha256:") && strings.HasPrefix(a.To.Digest, f.to)) {
			return a.To, nil
		}
	}
	return model.ImageRef{}, fmt.Errorf("--to %q: not among the earlier artifacts of %s in %s (ferry history %s --env %s lists them)", f.to, app, f.env, app, f.env)
}

func cellOf(g *model.Grid, w *model.World, app, env string) (*model.Cell, error) {
	if _, ok := w.Environments.Get(env); !ok {
		return nil, fmt.Errorf("--env %q: no such environment (have %s)", env, strings.Join(w.Environments.Names(), ", "))
	}
	if err := knownApp(g, app); err != nil {
		return nil, err
	}
	cell := g.Cell(app, env)
	if cell == nil || len(cell.Images) == 0 {
		return nil, fmt.Errorf("%s declares no image in %s", app, env)
	}
	return cell, nil
}

type historyFlags struct {
	repoFlags
	sourceFlags
	env    string
	output string
}

func newHistoryCmd() *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use:   "history APP --env ENV",
		Short: "List what a cell declared over its Git history, newest first",
		Example: `  ferry history checkout --env prod-eu
  ferry history checkout --env prod-eu -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd, &f, args[0])
		},
	}
	fs := cmd.Flags()
	f.repoFlags.register(fs)
	f.sourceFlags.register(fs)
	fs.StringVar(&f.env, "env", "", "the environment (required)")
	fs.StringVarP(&f.output, "output", "o", "table", "output format: table or json")
	_ = cmd.MarkFlagRequired("env")
	return cmd
}

func runHistory(cmd *cobra.Command, f *historyFlags, app string) error {
	if f.output != "table" && f.output != "json" {
		return fmt.Errorf("--output %q: want table or json", f.output)
	}
	if len(f.sources) == 0 {
		f.sources = []string{"git"} // history is Git's; the registry adds nothing here
	}
	ctx := cmd.Context()
	fd, _, err := newFeed(ctx, &f.repoFlags, &f.sourceFlags, false)
	if err != nil {
		return err
	}
	w, err := drain(ctx, fd, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	if _, err := cellOf(w.Grid(), w, app, f.env); err != nil {
		return err
	}
	entries, err := fd.History(ctx, model.CellKey{App: app, Env: f.env})
	if err != nil {
		return err
	}
	if f.output == "json" {
		return printJSON(cmd.OutOrStdout(), entries)
	}
	printHistory(cmd.OutOrStdout(), entries, false)
	return nil
}

// printHistory lists history entries; withCell adds each one's
// environment and app (the timeline, over many cells).
func printHistory(w io.Writer, entries []model.HistoryEntry, withCell bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cell, live := "", slices.ContainsFunc(entries, func(e model.HistoryEntry) bool { return e.Rollout != nil })
	if withCell {
		cell = "ENV\tAPP\t"
	}
	header := "WHEN\t" + cell + "IMAGE\tFROM\tTO\t"
	if live {
		header += "LIVE\t"
	}
	fmt.Fprintln(tw, header+"COMMIT\tAUTHOR\tSUBJECT")
	for _, e := range entries {
		if withCell {
			cell = ui.Clean(e.Env) + "\t" + ui.Clean(e.App) + "\t"
		}
		subject := e.Subject
		if reason := trailer(e.Trailers, "Ferry-Reason"); reason != "" {
			subject += " (" + reason + ")"
		}
		rollout := ""
		if live {
			rollout = ui.RolloutText(e.Rollout, e.When) + "\t"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\t%s%s\t%s\t%s\n", e.When.Local().Format("2006-01-02 15:04"), cell, ui.Clean(e.Image),
			ui.Clean(refName(e.From)), ui.Clean(refName(e.To)), rollout, model.ShortRevision(e.Commit), ui.Clean(e.Author), ui.Clean(subject))
	}
	tw.Flush()
}

func trailer(ts []model.Trailer, key string) string {
	for _, t := range ts {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

func refName(r model.ImageRef) string {
	if r.IsZero() {
		return "–"
	}
	s := r.Tag
	if r.Digest != "" {
		s += "@" + model.ShortDigest(r.Digest)
	}
	return s
}

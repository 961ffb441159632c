package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/model"
)

// promoteFlags choose what `ferry promote` brings where.
type promoteFlags struct {
	releaseFlags
	to, from, digest, version string
	allBehind                 bool
}

func newPromoteCmd() *cobra.Command {
	var f promoteFlags
	cmd := &cobra.Command{
		Use:   "promote APP... --to ENV",
		Short: "Stage, review and commit a promotion: upstream's artifact (its digest) pinned in ENV",
		Long: `promote pins in ENV the digest its upstream environment declares (or --from another
environment, or a --version or --digest by hand), keeping the human tag, as one commit.
It prints the diff and asks before committing; --yes commits without asking, --dry-run
only shows. The console's p and P make the same change.`,
		Example: `  ferry promote checkout --to prod-eu
  ferry promote checkout cart --to staging --dry-run -o json
  ferry promote --all-behind --to prod-us --push --reason "weekly train"
  ferry promote search --to dev --version 0.13.0 --yes`,
		RunE: func(cmd *cobra.Command, apps []string) error {
			return runRelease(cmd, &f.releaseFlags, func(ctx context.Context, l *loaded) ([]model.Change, error) { return f.changes(ctx, l, apps) })
		},
	}
	fs := cmd.Flags()
	f.releaseFlags.register(fs)
	fs.StringVar(&f.to, "to", "", "the environment to promote into (required)")
	fs.StringVar(&f.from, "from", "", "take the artifact from this environment (default: ENV's upstream)")
	fs.StringVar(&f.digest, "digest", "", "pin this digest instead of upstream's")
	fs.StringVar(&f.version, "version", "", "pin this tag (resolved to its digest by the registry) instead of upstream's")
	fs.BoolVar(&f.allBehind, "all-behind", false, "every app that is behind its upstream in ENV, as one release")
	_ = cmd.MarkFlagRequired("to")
	cmd.MarkFlagsMutuallyExclusive("from", "digest", "version")
	return cmd
}

func (f *promoteFlags) changes(ctx context.Context, l *loaded, apps []string) ([]model.Change, error) {
	switch {
	case f.allBehind && len(apps) > 0:
		return nil, fmt.Errorf("--all-behind takes no app names: it picks every app behind its upstream")
	case !f.allBehind && len(apps) == 0:
		return nil, fmt.Errorf("name the apps to promote, or pass --all-behind")
	case f.digest != "" && !digestForm.MatchString(f.digest):
		return nil, fmt.Errorf("--digest %q: want sha256: and 64 hex digits", f.digest)
	}
	env, ok := l.world.Environments.Get(f.to)
	if !ok {
		return nil, fmt.Errorf("--to %q: no such environment (have %s)", f.to, strings.Join(l.world.Environments.Names(), ", "))
	}
	grid := l.world.Grid()
	from := f.from
	if from == "" && f.digest == "" && f.version == "" {
		if len(env.Upstream) != 1 {
			return nil, fmt.Errorf("%s has %d upstream environments (%s): choose one with --from", f.to, len(env.Upstream), strings.Join(env.Upstream, ", "))
		}
		from = env.Upstream[0]
	}
	if f.allBehind {
		changes := grid.Train(f.to, from)
		if len(changes) == 0 {
			return nil, fmt.Errorf("no app in %s is behind %s: %w", f.to, from, model.ErrNothingToDo)
		}
		return changes, nil
	}
	var out []model.Change
	for _, app := range apps {
		if err := knownApp(grid, app); err != nil {
			return nil, err
		}
		cs, err := f.appChanges(ctx, l, grid, app, from)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// appChanges is one app's promotion: from an environment, or to an
// artifact named by hand.
func (f *promoteFlags) appChanges(ctx context.Context, l *loaded, grid *model.Grid, app, from string) ([]model.Change, error) {
	if from != "" {
		return grid.Promotion(app, f.to, from)
	}
	cell := grid.Cell(app, f.to)
	if cell == nil || len(cell.Images) == 0 {
		return nil, fmt.Errorf("%s declares no image in %s", app, f.to)
	}
	img, err := pickImage(cell, f.image)
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %w", app, f.to, err)
	}
	to := model.ImageRef{Repository: img.Facts.Declared.Ref.Repository, Tag: f.version, Digest: f.digest}
	to, version, err := l.describe(ctx, to)
	if err != nil {
		return nil, err
	}
	c, err := grid.Pin(model.Promote, app, f.to, img.Name, to, version)
	return []model.Change{c}, err
}

// pickImage is the image --image names, or the cell's only one.
func pickImage(cell *model.Cell, name string) (model.ImageStatus, error) {
	var names []string
	for _, img := range cell.Images {
		if img.Name == name || (name == "" && len(cell.Images) == 1) {
			if img.Facts.Declared == nil {
				return img, fmt.Errorf("image %s is not declared in Git", img.Name)
			}
			return img, nil
		}
		names = append(names, img.Name)
	}
	if name == "" {
		return model.ImageStatus{}, fmt.Errorf("it has %d images (%s): choose one with --image", len(names), strings.Join(names, ", "))
	}
	return model.ImageStatus{}, fmt.Errorf("no image %q (have %s)", name, strings.Join(names, ", "))
}

// knownApp says plainly when an app name matches no row.
func knownApp(g *model.Grid, app string) error {
	names := make([]string, 0, len(g.Apps))
	for _, r := range g.Apps {
		if r.Name == app {
			return nil
		}
		names = append(names, r.Name)
	}
	return fmt.Errorf("no app %q in this repo (have %s)", app, strings.Join(names, ", "))
}

var digestForm = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

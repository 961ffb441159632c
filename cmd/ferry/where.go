package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/reach"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/ui"
)

type whereFlags struct {
	repoFlags
	sourceFlags
	appRepo string
	apps    []string
	envs    []string
	output  string
}

func newWhereCmd() *cobra.Command {
	var f whereFlags
	cmd := &cobra.Command{
		Use:   "where COMMIT",
		Short: "Is a source commit deployed? Per environment: exactly, contained, or not yet",
		Long: `where answers "did my commit reach test?": for each environment, whether what runs
(the pods, where clusters are read; else what Git declares) was built exactly from COMMIT,
from a later commit that contains it, or not yet — then how many commits behind it is.
COMMIT is a hash, a prefix or a ref of the app's source repo: --app-repo; else the
repository around the current directory when it is a clone of the images'
org.opencontainers.image.source; else the one source repo the apps' images name
(--app), cloned into the cache. Images are matched to that repo by the same label,
or named with --app.
Exit 0 when the commit is in every environment asked (--env), 1 when it is not yet.`,
		Example: `  ferry where HEAD --repo ../gitops
  ferry where 3f2c1d9 --app-repo ~/src/checkout --repo ../gitops --env staging,prod-eu
  ferry where v2.7.1 --app checkout -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runWhere(cmd, &f, args[0]) },
	}
	fs := cmd.Flags()
	f.repoFlags.register(fs)
	f.sourceFlags.register(fs)
	fs.StringVar(&f.appRepo, "app-repo", ".", "the app's source repo: a path or a URL to clone")
	fs.StringSliceVar(&f.apps, "app", nil, "only these apps (default: those whose images come from the app repo)")
	fs.StringSliceVar(&f.envs, "env", nil, "only these environments (comma list)")
	fs.StringVarP(&f.output, "output", "o", "table", "output format: table or json")
	return cmd
}

func runWhere(cmd *cobra.Command, f *whereFlags, rev string) error {
	if f.output != "table" && f.output != "json" {
		return fmt.Errorf("--output %q: want table or json", f.output)
	}
	ctx := cmd.Context()
	world, err := loadWorld(ctx, &f.repoFlags, &f.sourceFlags, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	app, err := appRepoFor(ctx, f, cmd.Flags().Changed("app-repo"), world, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	commit, err := app.Resolve(rev)
	if err != nil {
		return fmt.Errorf("commit %s is not in the app repo %s (--app-repo names another)", rev, app.Origin)
	}
	out, err := reach.Of(app, world, commit, f.apps, f.envs)
	if err != nil {
		return err
	}
	if f.output == "json" {
		err = printJSON(cmd.OutOrStdout(), out)
	} else {
		printWhere(cmd.OutOrStdout(), out)
	}
	if err != nil {
		return err
	}
	if slices.ContainsFunc(out.Answers, func(a reach.Answer) bool { return !a.Found() }) {
		return &exitError{code: exitFindings}
	}
	return nil
}

// whereIn is the console's w over one app repo for every app.
func whereIn(appRepo string) func(context.Context, string, map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
	return whereInRepos(func(string) string { return appRepo })
}

// whereInRepos is the console's w where each app names its source repo
// (the demo's apps have one each). A repo is opened at its first question
// (a URL is cloned into the cache then); an app whose repo lacks the
// commit has its cells left out, and a commit no repo has is an error.
func whereInRepos(repoOf func(app string) string) func(context.Context, string, map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
	var mu sync.Mutex
	opened := map[string]*gitops.Repo{}
	open := func(ctx context.Context, where string) (*gitops.Repo, error) {
		mu.Lock()
		defer mu.Unlock()
		if r, ok := opened[where]; ok {
			return r, nil
		}
		r, err := openAppRepo(ctx, where)
		if err == nil {
			opened[where] = r
		}
		return r, err
	}
	return func(ctx context.Context, rev string, revisions map[model.CellKey]string) (map[model.CellKey]model.Reach, error) {
		byRepo := map[string]map[model.CellKey]string{}
		for k, r := range revisions {
			where := repoOf(k.App)
			if byRepo[where] == nil {
				byRepo[where] = map[model.CellKey]string{}
			}
			byRepo[where][k] = r
		}
		out := make(map[model.CellKey]model.Reach, len(revisions))
		var missing []string
		for where, revs := range byRepo {
			app, err := open(ctx, where)
			if err != nil {
				return nil, err
			}
			commit, err := app.Resolve(rev)
			if err != nil {
				// Another app's commit: its cells are left unmarked.
				missing = append(missing, where)
				continue
			}
			classify := reach.For(app, commit)
			for k, r := range revs {
				out[k], _, _ = classify(r)
			}
		}
		if len(missing) > 0 && len(missing) == len(byRepo) {
			if len(missing) > 1 {
				return nil, fmt.Errorf("commit %s is in none of the apps' %d source repos (start ferry with --app-repo to name one)", rev, len(missing))
			}
			return nil, fmt.Errorf("commit %s is not in the app repo %s (start ferry with --app-repo to name another)", rev, missing[0])
		}
		return out, nil
	}
}

// appRepoFor picks the app's source repo: --app-repo when given; else the
// current directory when it is a clone of the source the images name
// (org.opencontainers.image.source); else the one repo the asked apps'
// images name, cloned into the cache; else the current directory.
func appRepoFor(ctx context.Context, f *whereFlags, given bool, world *model.World, notes io.Writer) (*gitops.Repo, error) {
	if given {
		return openAppRepo(ctx, f.appRepo)
	}
	sources := imageSources(world, f.apps)
	here, hereErr := gitops.Open(".")
	if hereErr == nil && slices.ContainsFunc(sources, func(src string) bool { return sameRepo(src, here.OriginURL()) }) {
		return here, nil
	}
	switch {
	case len(sources) == 1:
		fmt.Fprintf(notes, "ferry: asking %s, the source repo its images name (a clone in the cache)\n", ui.Clean(sources[0]))
		return openAppRepo(ctx, sources[0])
	case hereErr == nil:
		return here, nil
	case len(sources) > 1:
		return nil, fmt.Errorf("the images come from several source repos (%s): name the app with --app, or its repo with --app-repo", ui.Clean(strings.Join(sources, ", ")))
	}
	return openAppRepo(ctx, ".")
}

// imageSources lists the source repos the apps' images name, each once
// (all apps when none is named).
func imageSources(world *model.World, apps []string) []string {
	var out []string
	for _, row := range world.Grid().Apps {
		if len(apps) > 0 && !slices.Contains(apps, row.Name) {
			continue
		}
		for _, cell := range row.Cells {
			if cell == nil {
				continue
			}
			for _, img := range cell.Images {
				if img.Registry != nil && img.Registry.Source != "" && !slices.Contains(out, img.Registry.Source) {
					out = append(out, img.Registry.Source)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// sameRepo compares two addresses of a repository by their web form, or,
// for repositories on disk (a path or a file:// URL, which have none), by
// their cleaned absolute path: a clone of a local repo must not pass for a
// clone of every other local repo.
func sameRepo(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	webA, webB := model.WebRepo(a), model.WebRepo(b)
	if webA != "" || webB != "" {
		return webA == webB
	}
	return localPath(a) == localPath(b)
}

// localPath is the cleaned absolute path a local repository address names.
func localPath(addr string) string {
	p := strings.TrimSuffix(strings.TrimPrefix(addr, "file://"), "/")
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return strings.TrimSuffix(filepath.Clean(p), string(filepath.Separator)+".git")
}

func openAppRepo(ctx context.Context, where string) (*gitops.Repo, error) {
	if gitops.IsRemote(where) {
		defer whileWaiting("git: the clone or fetch of " + ui.Clean(where))()
		return gitops.Clone(ctx, where, filepath.Join(xdg.CacheHome, "ferry", "apps"))
	}
	repo, err := gitops.Open(where)
	if err != nil {
		return nil, fmt.Errorf("the app's source repo %s is not a git repository: run this inside the app's repo, or name it with --app-repo", where)
	}
	return repo, nil
}

func printWhere(w io.Writer, o reach.Output) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tAPP\tREACH\tRUNS\tFROM")
	for _, a := range o.Answers {
		reach := string(a.Reach)
		if a.Behind > 0 {
			reach += fmt.Sprintf(" (%d behind)", a.Behind)
		}
		runs := strings.TrimSpace(a.Version + " " + model.ShortRevision(a.Revision))
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ui.Clean(a.Env), ui.Clean(a.App), reach, ui.Clean(runs), a.Truth+note(a.Note))
	}
	tw.Flush()
	if o.Furthest != "" {
		fmt.Fprintf(w, "furthest: %s\n", ui.Clean(o.Furthest))
	}
}

func note(n string) string {
	if n == "" {
		return ""
	}
	return " — " + ui.Clean(n)
}

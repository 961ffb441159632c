package ui_test

import (
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/internal/feed"
	"github.com/ferryhq/ferry/internal/release"
	"github.com/ferryhq/ferry/internal/uirelease"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
	"github.com/ferryhq/ferry/sources/gitops"
	"github.com/ferryhq/ferry/sources/gitwrite"
	"github.com/ferryhq/ferry/sources/registry"
	"github.com/ferryhq/ferry/ui"
)

// These flows run the console in a real Bubble Tea program over the demo
// world, read through the same feed `ferry demo` wires. The waits only turn
// a hang into a failure; they never pace the test.
const patience = time.Minute

type flow struct {
	t      *testing.T
	w      *demo.World
	tm     *teatest.TestModel
	frames *recorder     // the console, and the last frame the program drew
	gate   chan struct{} // closed to let the registry answer
	feed   *feed.Feed
	done   chan struct{} // closed when the flow ends
}

// gatedRegistry answers only once its gate is open.
type gatedRegistry struct {
	feed.Registry
	gate chan struct{}
}

func (g gatedRegistry) Stream(ctx context.Context, refs []model.ImageRef, emit func(model.RegistryUpdate)) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return
	}
	g.Registry.Stream(ctx, refs, emit)
}

func startFlow(t *testing.T, gated bool, opts ...func(*ui.Options, *gitops.Repo)) *flow {
	t.Helper()
	return startFlowOn(t, func(w *demo.World) string { return w.RemoteDir }, gated, opts...)
}

// startFlowOn is startFlow over the repo dir names: the demo's remote (as
// ferry demo reads it), or its clone, which pushes to that remote.
func startFlowOn(t *testing.T, dir func(*demo.World) string, gated bool, opts ...func(*ui.Options, *gitops.Repo)) *flow {
	t.Helper()
	w, err := demo.Start(context.Background(), demo.Options{
		ReconcileDelay: time.Millisecond, RolloutStep: time.Millisecond, PollInterval: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := gitops.Open(dir(w))
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, w: w, gate: make(chan struct{}), done: make(chan struct{})}
	if !gated {
		close(f.gate)
	}
	f.feed = feed.New(feed.Options{
		Git: &feed.RepoGit{Repo: repo, Declarations: gitops.Read, PollInterval: time.Millisecond},
		Registry: gatedRegistry{gate: f.gate, Registry: feed.Resolver{R: registry.New(registry.Options{
			CacheDir: "-", Insecure: func(string) bool { return true }})}},
		Clusters: func(envs model.Environments, applied func(app, env, rev string) bool) (feed.Clusters, []model.CellProblem) {
			return cluster.NewFromClients(cluster.Options{Environments: envs, Applied: applied}, w.Clusters), nil
		},
		Live: true,
	})
	o := ui.Options{Backend: f.feed, Title: "demo", K9sOff: "simulated clusters"}
	for _, opt := range opts {
		opt(&o, repo)
	}
	f.frames = &recorder{Model: ui.New(o)}
	f.tm = teatest.NewTestModel(t, f.frames,
		teatest.WithInitialTermSize(140, 40), teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	go func() { _, _ = io.Copy(io.Discard, f.tm.Output()) }()
	ctx, cancel := context.WithCancel(context.Background())
	updates := make(chan model.Update)
	done := make(chan struct{})
	go func() { _ = f.feed.Run(ctx, updates); close(done) }()
	go func() {
		for {
			select {
			case u := <-updates:
				f.tm.Send(u)
			case <-ctx.Done():
				return
			}
		}
	}()
	t.Cleanup(func() {
		close(f.done)
		cancel()
		<-done
		_ = f.tm.Quit()
		_ = w.Close()
	})
	return f
}

// recorder runs the console and keeps the frame the program last asked
// it to draw: what the user sees.
type recorder struct {
	tea.Model
	last atomic.Value // string
}

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.Model.Update(msg)
	r.Model = m
	return r, cmd
}

func (r *recorder) View() tea.View {
	v := r.Model.View()
	r.last.Store(ansi.Strip(v.Content))
	return v
}

func (r *recorder) screen() string {
	s, _ := r.last.Load().(string)
	return s
}

// see waits until the screen shows every text; it returns the screen.
func (f *flow) see(texts ...string) string {
	f.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		screen := f.frames.screen()
		missing := ""
		for _, s := range texts {
			if !strings.Contains(screen, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("the screen never showed %q:\n%s", missing, screen)
		}
		time.Sleep(5 * time.Millisecond) // polling the screen, not pacing the test
	}
}

func (f *flow) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			f.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		case "esc":
			f.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
		default:
			f.tm.Type(k)
		}
	}
}

// TestFirstFrameWhileTheRegistryIsStillBlocked: the grid's skeleton and
// a progress line are on screen before the registry answers, keys work,
// and the cells fill in once it does.
func TestFirstFrameWhileTheRegistryIsStillBlocked(t *testing.T) {
	f := startFlow(t, true)
	f.see("storefront", "recommendations", "prod-us", "registry 0/11")
	f.keys("j")
	f.see("row 2/8")
	close(f.gate)
	f.see("registry ✓ 11")
}

// TestNavigateFilterDetailAndFollowAPush walks the demo the way the README
// does: find the drift, open its detail and history, filter, then push a
// promotion and watch the cell reach in sync with no key pressed.
func TestNavigateFilterDetailAndFollowAPush(t *testing.T) {
	f := startFlow(t, false)
	f.see("registry ✓ 11", "prod-ap ✖ forbidden")

	f.keys("d") // drift-only keeps every row here: prod-ap fails everywhere
	f.see("only what is not in sync")
	f.keys("j", "j", "l", "l", "enter")
	f.see("payments in prod-eu", "≠ drift", "Promote payments 3.3.0 to prod-eu")
	f.keys("esc", "/")
	f.keys("catal")
	f.see("row 1/1", "catalog")
	f.keys("enter", "l", "enter") // the cursor kept its column, prod-eu
	f.see("catalog in prod-us", "↑ behind")

	edit, err := f.w.SetBuild("catalog", "4.2.0", "4.3.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.w.Push("apps/catalog/overlays/prod-us/kustomization.yaml", "Promote catalog 4.3.0 to prod-us", edit); err != nil {
		t.Fatal(err)
	}
	f.see("Promote catalog 4.3.0 to prod-us") // the new commit in the cell's history
	f.see("catalog in prod-us  ✓ in-sync")

	f.keys("q")
	f.tm.WaitFinished(t, teatest.WithFinalTimeout(patience))
}

// TestStageReviewCommitAndWatchItRollOut is the release captain's flow on
// the demo: stage a promotion with p, review the checked diff, commit (a
// protected environment's name typed), and watch the demo's controller
// apply the commit and the rollout reach in sync, no key pressed.
func TestStageReviewCommitAndWatchItRollOut(t *testing.T) {
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	f := startFlow(t, false, func(o *ui.Options, repo *gitops.Repo) {
		o.Releaser = uirelease.Releaser{Rel: &release.Releaser{Repo: repo, Read: gitops.Read}, Write: gitwrite.Options{Push: true}}
	})
	f.see("registry ✓ 11", "↑ 4.2.0")
	f.keys("/", "catal", "enter", "l", "l", "l", "p")
	f.see("staged: promote catalog 4.3.0 to prod-us", "✎ 4.2.0→4.3")
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0", "prod-us is protected")
	f.keys("c")
	f.see("commit: promote catalog 4.3.0 to prod-us")
	f.keys("enter")
	f.see("protected: type prod-us to commit")
	f.keys("prod-us", "enter")
	f.see("committed ")
	f.keys("enter")
	f.see("catalog in prod-us  ✓ in-sync", "promote catalog 4.3.0 to prod-us")
	head, err := gitops.Open(f.w.RemoteDir)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := head.Head(); h == f.w.Head {
		t.Error("the remote's branch did not move")
	}
	f.keys("esc", "t") // the timeline has the commit on top
	f.see("timeline, newest first", "▸ ", "prod-us    catalog", "● ready ", "promote catalog 4.3.0 to prod-us")
	f.keys("esc", "q")
	f.tm.WaitFinished(t, teatest.WithFinalTimeout(patience))
}

// TestReadOnlyConsoleSaysWhyTheWritingKeysAreOff: a console started
// read-only stages nothing — p, P, r, H and the timeline's enter each say
// why on the status line — while every reading key still works.
func TestReadOnlyConsoleSaysWhyTheWritingKeysAreOff(t *testing.T) {
	const why = "read-only: started with --read-only"
	f := startFlow(t, false, func(o *ui.Options, _ *gitops.Repo) { o.ReadOnly = why })
	f.see("registry ✓ 11", "↑ 4.2.0")
	f.keys("/", "catal", "enter", "l", "l", "l", "p")
	f.see(why + " — promote is off")
	for key, action := range map[string]string{"P": "train", "r": "rollback", "H": "resume"} {
		f.keys("v", key) // v between: the notice changes each time, so each is seen anew
		f.see(why + " — " + action + " is off")
	}
	f.keys("t")
	f.see("timeline, newest first")
	f.keys("enter")
	f.see(why + " — rollback is off")
	f.keys("esc", "enter") // reading still works: the detail opens
	if screen := f.see("catalog in prod-us"); strings.Contains(screen, "✎") {
		t.Errorf("a read-only console staged a change:\n%s", screen)
	}
	f.keys("q")
	f.tm.WaitFinished(t, teatest.WithFinalTimeout(patience))
}

// TestAPullRequestCommitLeavesTheBranchAlone: in the review, p puts the
// commit on a pull-request branch of its own; on the demo's clone it is
// pushed to the remote under that name, the branch ferry reads stays
// where it was, and the grid still shows the cell as it was.
func TestAPullRequestCommitLeavesTheBranchAlone(t *testing.T) {
	f, _ := startReleaseFlowOnTheClone(t)
	f.see("registry ✓ 11", "↑ 4.2.0")
	f.keys("/", "catal", "enter", "l", "l", "l", "p")
	f.see("staged: promote catalog 4.3.0 to prod-us")
	f.keys("s")
	f.see("review promote catalog 4.3.0 to prod-us", "+    newTag: 4.3.0", "commits straight to the branch ferry reads (p: on a pull-request branch instead)")
	f.keys("p")
	const branch = "ferry/prod-us/catalog-4.3.0"
	f.see("commits on a new branch " + branch + ", pushed, for a pull request")
	f.commitProtected("prod-us")
	f.see("and pushed to "+branch, "the grid follows once it is merged")
	f.see("↑ 4.2.0") // nothing staged any more, nothing merged yet
	remote, err := git.PlainOpen(f.w.RemoteDir)
	if err != nil {
		t.Fatal(err)
	}
	pushed, err := remote.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		t.Fatalf("the remote has no %s: %v", branch, err)
	}
	main, err := remote.Head()
	if err != nil {
		t.Fatal(err)
	}
	if main.Hash().String() != f.w.Head {
		t.Errorf("the remote's main moved to %s; want it at %s", main.Hash(), f.w.Head)
	}
	commit, err := remote.CommitObject(pushed.Hash())
	if err != nil || commit.NumParents() != 1 || commit.ParentHashes[0] != main.Hash() ||
		!strings.HasPrefix(commit.Message, "promote catalog 4.3.0 to prod-us") {
		t.Errorf("the pull-request commit %v (%v) is not the promotion on top of main", commit, err)
	}
}

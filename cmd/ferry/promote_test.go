package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/ferryhq/ferry/internal/demo"
	"github.com/ferryhq/ferry/model"
)

// demoWorld starts the demo (a work tree, its bare remote, a registry on
// loopback) for the release commands to act on.
func demoWorld(t *testing.T) *demo.World {
	t.Helper()
	t.Setenv("GIT_AUTHOR_NAME", "captain")
	t.Setenv("GIT_AUTHOR_EMAIL", "captain@example.com")
	w, err := demo.Start(context.Background(), demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func remoteHead(t *testing.T, w *demo.World) *plumbing.Reference {
	t.Helper()
	r, err := git.PlainOpen(w.RemoteDir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	return head
}

func TestPromoteDryRunPrintsThePlanAndTheDiffAsJSON(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git,registry", "--dry-run", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got planOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if len(got.Plan.Changes) != 1 || got.Plan.Changes[0].To.Tag != "4.3.0" || got.Plan.Changes[0].FromEnv != "staging" {
		t.Errorf("plan = %+v", got.Plan.Changes)
	}
	if !strings.Contains(got.Diff, "+    newTag: 4.3.0") || !strings.Contains(got.Diff, "+    digest: "+got.Plan.Changes[0].To.Digest) {
		t.Errorf("diff:\n%s", got.Diff)
	}
	if len(got.Blocking) != 0 || got.Commit != nil {
		t.Errorf("blocking %v, commit %v: a dry run checks and writes nothing", got.Blocking, got.Commit)
	}
	if remoteHead(t, w).Hash().String() != w.Head {
		t.Error("a dry run moved the remote")
	}
}

func TestPromoteWithoutATerminalOrYesRefuses(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git")
	if code != exitFailure || !strings.Contains(errOut, "no terminal to confirm on") {
		t.Errorf("exit %d, stderr %q: want 2 and the reason", code, errOut)
	}
	if !strings.Contains(out, "-    newTag: 4.2.0") {
		t.Errorf("the diff is shown before the refusal:\n%s", out)
	}
}

func TestPromoteYesCommitsAndPushesWithTrailers(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git,registry",
		"--yes", "--push", "--reason", "INC-7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	head := remoteHead(t, w)
	if !strings.Contains(out, "committed "+model.ShortRevision(head.Hash().String())+" on main, pushed to origin") {
		t.Errorf("output %q does not name the pushed commit %s", out, head.Hash())
	}
	r, _ := git.PlainOpen(w.RemoteDir)
	c, _ := r.CommitObject(head.Hash())
	for _, want := range []string{"promote catalog 4.3.0 to prod-us\n", "Ferry-Env: prod-us", "Ferry-Reason: INC-7", "Ferry-Kind: promote"} {
		if !strings.Contains(c.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, c.Message)
		}
	}
	if c.Author.Name != "captain" {
		t.Errorf("author %q", c.Author.Name)
	}
	// The same cell again has nothing to do, and says so.
	_, errOut, code = ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git", "--yes")
	if code != 0 || !strings.Contains(errOut, "nothing to do") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestPromoteBlocksADigestTheRegistryDoesNotHave(t *testing.T) {
	w := demoWorld(t)
	missing := "sha256:" + strings.Repeat("0", 64)
	_, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git,registry",
		"--digest", missing, "--yes")
	if code == 0 || !strings.Contains(errOut, "digest "+missing[:19]+" not found in shop/catalog") {
		t.Errorf("exit %d, stderr %q: want a failure naming the digest", code, errOut)
	}
	if remoteHead(t, w).Hash().String() != w.Head {
		t.Error("a blocked release moved the remote")
	}
}

func TestRollbackGoesBackOneArtifactAndHistoryListsThem(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "history", "catalog", "--env", "prod-eu", "--repo", w.RepoDir, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var entries []model.HistoryEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) < 2 {
		t.Fatalf("history %v: %s", err, out)
	}
	out, errOut, code = ferry(t, "rollback", "catalog", "--env", "prod-eu", "--repo", w.RepoDir, "--sources", "git", "--dry-run", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got planOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	arts := model.Artifacts(entries, "catalog")
	if len(got.Plan.Changes) != 1 || got.Plan.Changes[0].Kind != model.Rollback || got.Plan.Changes[0].To.Digest != arts[1].To.Digest {
		t.Errorf("plan = %+v, want a rollback to %s", got.Plan.Changes, arts[1].To)
	}
	_, errOut, code = ferry(t, "rollback", "catalog", "--env", "prod-eu", "--repo", w.RepoDir, "--sources", "git", "--to", "9.9.9", "--dry-run")
	if code == 0 || !strings.Contains(errOut, `--to "9.9.9": not among the earlier artifacts`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestPromoteAsAPullRequestBranch(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git", "--yes", "--pr")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r, _ := git.PlainOpen(w.RemoteDir)
	ref, err := r.Reference(plumbing.NewBranchReferenceName("ferry/prod-us/catalog-4.3.0"), true)
	if err != nil {
		t.Fatalf("no pull-request branch on the remote: %v\n%s", err, out)
	}
	if !strings.Contains(out, "committed "+model.ShortRevision(ref.Hash().String())+" on ferry/prod-us/catalog-4.3.0, pushed to origin") {
		t.Errorf("output:\n%s", out)
	}
	if remoteHead(t, w).Hash().String() != w.Head {
		t.Error("main moved: a pull request leaves it alone")
	}
}

func TestRollbackHoldNeedsAutomationToHoldAgainst(t *testing.T) {
	w := demoWorld(t)
	_, errOut, code := ferry(t, "rollback", "catalog", "--env", "prod-eu", "--repo", w.RepoDir, "--sources", "git", "--hold", "--dry-run")
	if code == 0 || !strings.Contains(errOut, "--hold: no image automation ferry can pause") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = ferry(t, "resume", "catalog", "--env", "prod-eu", "--repo", w.RepoDir, "--sources", "git", "--dry-run")
	if code != 0 || !strings.Contains(errOut, "holds no image against automation") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// ferry log: what entered an environment lately, with the promotion's
// trailers; an empty window is [] in JSON, never null.
func TestLogShowsThePromotionWithItsReason(t *testing.T) {
	w := demoWorld(t)
	out, errOut, code := ferry(t, "log", "--repo", w.RepoDir, "--env", "prod-us", "-o", "json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("before: exit %d, %q %s", code, out, errOut)
	}
	if _, errOut, code := ferry(t, "promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git", "--yes", "--reason", "INC-8"); code != 0 {
		t.Fatalf("promote: exit %d: %s", code, errOut)
	}
	out, errOut, code = ferry(t, "log", "--repo", w.RepoDir, "--env", "prod-us", "-o", "json")
	var entries []model.HistoryEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errOut)
	}
	if len(entries) != 1 || entries[0].App != "catalog" || entries[0].To.Tag != "4.3.0" || entries[0].From.Tag != "4.2.0" {
		t.Fatalf("entries = %+v", entries)
	}
	reason := ""
	for _, tr := range entries[0].Trailers {
		if tr.Key == "Ferry-Reason" {
			reason = tr.Value
		}
	}
	if reason != "INC-8" {
		t.Errorf("trailers %+v, want Ferry-Reason INC-8", entries[0].Trailers)
	}
	out, _, _ = ferry(t, "log", "--repo", w.RepoDir, "--since", "87600h") // the seeded history is dated early 2026
	if !strings.Contains(out, "Promote checkout 2.6.0 to prod-us") || !strings.Contains(out, "(INC-8)") {
		t.Errorf("the timeline lacks the seeded history or the reason:\n%s", out)
	}
	if _, errOut, code := ferry(t, "log", "--repo", w.RepoDir, "--env", "nowhere"); code == 0 || !strings.Contains(errOut, `--env "nowhere": no such environment`) {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

// pull_requests: true in the repo's ferry.yaml makes promote commit on a
// pull-request branch without --pr, and --pr=false goes back to the branch.
func TestPullRequestsInFerryYAMLPutPromotionsOnABranch(t *testing.T) {
	w := demoWorld(t)
	repo, err := git.PlainOpen(w.RepoDir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(w.RepoDir, model.ConfigFile)
	config, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(config, "pull_requests: true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, _ := repo.Worktree()
	if _, err := tree.Add(model.ConfigFile); err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Commit("releases go through pull requests", &git.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	args := []string{"promote", "catalog", "--to", "prod-us", "--repo", w.RepoDir, "--sources", "git", "--yes"}
	out, errOut, code := ferry(t, args...)
	if code != 0 || !strings.Contains(out, " on ferry/prod-us/catalog-4.3.0, pushed to origin") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if remoteHead(t, w).Hash().String() != w.Head {
		t.Error("main moved: ferry.yaml asks for pull requests")
	}
	out, errOut, code = ferry(t, append(args, "--pr=false")...)
	if code != 0 || strings.Contains(out, "ferry/prod-us") || !strings.Contains(out, " on main") {
		t.Errorf("--pr=false should commit on main (not pushed without --push): exit %d: %s%s", code, out, errOut)
	}
}

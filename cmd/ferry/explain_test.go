package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/testrepo"
)

// explainRepo is a real repository with one file discovery cannot place.
func explainRepo(t *testing.T) *testrepo.Repo {
	t.Helper()
	return testrepo.FromDir(t, "../../testdata/repos/env-any-name")
}

func TestExplainSaysWhatEachFileFeeds(t *testing.T) {
	r := explainRepo(t)
	out, errOut, code := ferry(t, "status", "--explain", "--repo", r.Dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"12 files look like deploy configuration; 1 not placed.",
		"  env/ab-test-a/web/deployment.yaml (manifest)\n      feeds web: ab-test-a\n",
		"  app/base/deployment.yaml (manifest)\n      feeds api: dev, produsw1\n",
		"not placed (feeds nothing):\n  canary-app-automatic/deployment.yaml (manifest)\n      why: no environment",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestExplainJSONHasListsNeverNull(t *testing.T) {
	r := explainRepo(t)
	out, errOut, code := ferry(t, "status", "--explain", "-o", "json", "--repo", r.Dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "null") {
		t.Errorf("null in:\n%s", out)
	}
	var e struct {
		Files []struct {
			Path    string            `json:"path"`
			Cells   []json.RawMessage `json:"cells"`
			Reasons []string          `json:"reasons"`
		} `json:"files"`
		NotPlaced int `json:"notPlaced"`
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil || e.NotPlaced != 1 || len(e.Files) != 12 {
		t.Fatalf("explanation %+v (%v)", e, err)
	}
}

func TestStatusTableEndsWithNotPlacedLine(t *testing.T) {
	r := explainRepo(t)
	out, errOut, code := ferry(t, "status", "--sources", "git", "--repo", r.Dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasSuffix(out, "1 file not placed — ferry status --explain\n") {
		t.Errorf("table does not end with the not-placed line:\n%s", out)
	}
}

func TestNotPlacedLine(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: "1 file not placed — ferry status --explain",
		3: "3 files not placed — ferry status --explain"} {
		if got := notPlacedLine(n); got != want {
			t.Errorf("notPlacedLine(%d) = %q", n, got)
		}
	}
}

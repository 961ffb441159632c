package planstore

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/ferryhq/ferry/model"
)

func samplePlan() model.Plan {
	created := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	return model.Plan{
		Repo: "git@github.com:acme/shop-gitops.git",
		Changes: []model.Change{
			{
				Kind:    model.Promote,
				App:     "checkout",
				Env:     "prod-eu",
				Image:   "api",
				FromEnv: "staging",
				From: model.Identity{
					Repository: "registry.example.org/shop/checkout",
					Tag:        "2.7.0",
					Digest:     "sha256:1111111111111111111111111111111111111111111111111111111111111111",
					Version:    "2.7.0",
				},
				To: model.Identity{
					Repository: "registry.example.org/shop/checkout",
					Tag:        "2.7.1",
					Digest:     "sha256:2222222222222222222222222222222222222222222222222222222222222222",
					Version:    "2.7.1",
					Revision:   "0123456789abcdef0123456789abcdef01234567",
					Source:     "https://github.com/acme/checkout",
					Created:    created,
				},
				Location: model.Location{
					File:   "envs/prod-eu/kustomization.yaml",
					Line:   12,
					Column: 5,
					Kind:   model.KindKustomizeImages,
					Path:   "images[0]",
					Fields: map[string]model.Position{
						"newTag": {Line: 13, Column: 13},
					},
					FieldPaths: map[string]string{"newTag": "images[0].newTag"},
				},
				Reason: "fixes the 500 on empty carts",
			},
			{
				Kind:  model.Rollback,
				App:   "search",
				Env:   "prod-us",
				Image: "search-api",
				From:  model.Identity{Repository: "registry.example.org/shop/search-api", Tag: "1.4.0"},
				To:    model.Identity{Repository: "registry.example.org/shop/search-api", Tag: "1.3.9"},
				Location: model.Location{
					File:   "charts/search/values-prod-us.yaml",
					Line:   4,
					Column: 8,
					Kind:   model.KindHelmValues,
					Path:   "image.tag",
					Setter: `{"$imagepolicy": "flux-system:search:tag"}`,
					Branch: "env/prod-us",
					Commit: "89abcdef89abcdef89abcdef89abcdef89abcdef",
				},
			},
		},
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s := For("/srv/repos/shop-gitops", t.TempDir())
	want := samplePlan()
	before := time.Now().Add(-time.Second)
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got, saved, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v\nwant %+v", got, want)
	}
	if saved.IsZero() || saved.Before(before.Truncate(time.Second)) || saved.After(time.Now()) {
		t.Errorf("saved time = %v, want about now", saved)
	}
	data, err := os.ReadFile(s.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"version": 1`, `"saved": "`, `"origin": "/srv/repos/shop-gitops"`, `"plan": {`} {
		if !bytes.Contains(data, []byte(field)) {
			t.Errorf("file lacks %s:\n%s", field, data)
		}
	}
}

func TestLoadMissingIsEmpty(t *testing.T) {
	s := Store{Path: filepath.Join(t.TempDir(), "none.json")}
	p, saved, err := s.Load()
	if err != nil || !p.Empty() || !saved.IsZero() {
		t.Errorf("Load of a missing file = %+v, %v, %v; want empty plan, zero time, nil", p, saved, err)
	}
}

func TestSaveEmptyRemovesFile(t *testing.T) {
	s := Store{Path: filepath.Join(t.TempDir(), "plan.json")}
	if err := s.Save(samplePlan()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path); err != nil {
		t.Fatalf("file not written: %v", err)
	}
	if err := s.Save(model.Plan{Repo: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path); !os.IsNotExist(err) {
		t.Errorf("an empty plan should remove the file; stat: %v", err)
	}
	if err := s.Save(model.Plan{}); err != nil {
		t.Errorf("removing a missing file: %v", err)
	}
}

func TestLoadBadFileIsKept(t *testing.T) {
	for name, content := range map[string]string{
		"corrupt":   `{"version":1,"saved":"2025-03-14T09:26:53Z","plan":{"changes":[{"kind":"prom`,
		"version-2": `{"version":2,"saved":"2025-03-14T09:26:53Z","origin":"x","plan":{"repo":"x","changes":[{"kind":"promote"}]}}`,
		"no-json":   "not json at all\n",
	} {
		t.Run(name, func(t *testing.T) {
			s := Store{Path: filepath.Join(t.TempDir(), "plan.json")}
			if err := os.WriteFile(s.Path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			p, _, err := s.Load()
			if err == nil {
				t.Fatalf("Load = %+v, nil; want an error", p)
			}
			if !strings.Contains(err.Error(), s.Path) || !strings.Contains(err.Error(), "not restored") {
				t.Errorf("error %q should name %s and say the plan was not restored", err, s.Path)
			}
			if !p.Empty() {
				t.Errorf("Load returned a plan with the error: %+v", p)
			}
			if got, err := os.ReadFile(s.Path); err != nil || string(got) != content {
				t.Errorf("file changed: %q, %v", got, err)
			}
		})
	}
}

func TestSaveErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := Store{Path: filepath.Join(blocker, "plan.json")}
	err := s.Save(samplePlan())
	if err == nil || !strings.Contains(err.Error(), "plan file "+s.Path) {
		t.Errorf("Save below a regular file: %v; want an error naming %s", err, s.Path)
	}
}

func TestForPaths(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(t.TempDir())
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, abs := For("./x", dir), For(filepath.Join(cwd, "x"), dir)
	if rel.Path != abs.Path {
		t.Errorf(`For("./x") = %s, For(%q) = %s; want the same`, rel.Path, filepath.Join(cwd, "x"), abs.Path)
	}
	if filepath.Dir(rel.Path) != dir || !strings.HasPrefix(filepath.Base(rel.Path), "x-") {
		t.Errorf("For(./x) = %s, want %s/x-….json", rel.Path, dir)
	}
	if other := For(filepath.Join(cwd, "y", "x"), dir); other.Path == abs.Path {
		t.Errorf("two origins share %s", other.Path)
	}

	for _, url := range []string{
		"https://github.com/acme/shop-gitops.git",
		"git@github.com:acme/shop-gitops.git",
	} {
		sum := sha256.Sum256([]byte(url))
		want := filepath.Join(dir, "shop-gitops-"+hex.EncodeToString(sum[:])[:12]+".json")
		if got := For(url, dir).Path; got != want {
			t.Errorf("For(%q) = %s, want %s (the URL as is, not made absolute)", url, got, want)
		}
	}
	if a, b := For("https://github.com/acme/shop-gitops.git", dir), For("git@github.com:acme/shop-gitops.git", dir); a.Path == b.Path {
		t.Errorf("different URLs share %s", a.Path)
	}

	if got, want := filepath.Dir(For("/srv/shop", "").Path), filepath.Join(xdg.StateHome, "ferry", "plans"); got != want {
		t.Errorf(`For(origin, "") is in %s, want %s`, got, want)
	}
}

func TestSlug(t *testing.T) {
	for origin, want := range map[string]string{
		"git@github.com:acme/shop-gitops.git":     "shop-gitops",
		"https://github.com/acme/shop-gitops.git": "shop-gitops",
		"https://gitlab.example/acme/infra/":      "infra",
		"/home/me/my repo (old)":                  "my-repo--old-",
		"/home/me/ops.github.io":                  "ops.github.io",
		"/":                                       "repo",
	} {
		if got := slug(origin); got != want {
			t.Errorf("slug(%q) = %q, want %q", origin, got, want)
		}
	}
}

// crashEnv names the directory the save-loop helper writes in; unset, the
// helper is not a test of its own and skips.
const crashEnv = "FERRY_PLANSTORE_CRASH_DIR"

// growingPlan stages n changes, each with a long reason so a write takes
// long enough that a kill often lands in the middle of one.
func growingPlan(n int) model.Plan {
	p := model.Plan{Repo: "crash-test"}
	for i := range n {
		c := samplePlan().Changes[i%2]
		c.App = fmt.Sprintf("app-%04d", i)
		c.Reason = strings.Repeat("r", 2000)
		p.Stage(c)
	}
	return p
}

// TestHelperSaveLoop is the child of TestCrashLeavesCompletePlan: it saves
// ever larger plans until it is killed, reporting each completed save.
func TestHelperSaveLoop(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashLeavesCompletePlan")
	}
	s := For("crash-origin", dir)
	// Bounded, so a child whose parent died without killing it stops.
	for n := 1; n <= 100000; n++ {
		if err := s.Save(growingPlan(n)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if _, err := fmt.Printf("saved %d\n", n); err != nil {
			os.Exit(3)
		}
	}
	os.Exit(4)
}

func TestCrashLeavesCompletePlan(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSaveLoop$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const enough = 50
	last := 0
	sc := bufio.NewScanner(out)
	for last < enough && sc.Scan() {
		n, ok := strings.CutPrefix(sc.Text(), "saved ")
		if !ok {
			continue
		}
		if last, err = strconv.Atoi(n); err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	werr := cmd.Wait()
	if last < enough {
		t.Fatalf("child stopped after %d saves: %v\n%s", last, werr, stderr.String())
	}

	s := For("crash-origin", dir)
	p, saved, err := s.Load()
	if err != nil {
		t.Fatalf("Load after a kill: %v", err)
	}
	if len(p.Changes) < last || saved.IsZero() {
		t.Fatalf("Load after a kill: %d changes saved %v, want at least %d (the last completed save)", len(p.Changes), saved, last)
	}
	if want := growingPlan(len(p.Changes)); !reflect.DeepEqual(p, want) {
		t.Errorf("plan of %d changes after a kill is not the one saved", len(p.Changes))
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(s.Path)
	var stray []string
	for _, e := range entries {
		if e.Name() != base {
			stray = append(stray, e.Name())
		}
	}
	if len(stray) > 1 || len(stray) == 1 && !strings.HasPrefix(stray[0], "."+base+".") {
		t.Errorf("files left besides %s: %v; want at most the interrupted write's temp", base, stray)
	}
}

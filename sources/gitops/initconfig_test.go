package gitops

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// TestInitConfigReadsBackTheSame writes ferry.yaml from discovery, checks
// that it parses without problems, and that reading the repo with it finds
// the same environments (and order) and the same declarations.
func TestInitConfigReadsBackTheSame(t *testing.T) {
	for _, fixture := range []string{
		"helm-env-dirs", "helm-values-env", "manifests", "argocd", "flux-helmrelease", "ferry-config", "kustomize-images",
		"env-any-name", "env-aliases", "kargo-stages", "helm-rendered", "appset-git",
	} {
		t.Run(fixture, func(t *testing.T) {
			tree := readFixture(t, fixture)
			first := Read(tree)
			out := first.InitConfig()
			if !strings.HasPrefix(string(out), "# ferry.yaml") {
				t.Errorf("no header comment:\n%s", out)
			}
			if _, problems := model.ParseConfig(out); len(problems) > 0 {
				t.Fatalf("ferry init output does not parse cleanly: %v\n%s", problems, out)
			}
			files := map[string][]byte{}
			for _, p := range tree.Paths() {
				data, _ := tree.Read(p)
				files[p] = data
			}
			files[model.ConfigFile] = out
			second := Read(repotree.NewTree("", files))
			if a, b := envSummary(first.Environments), envSummary(second.Environments); a != b {
				t.Errorf("environments differ:\n discovered %s\n configured %s", a, b)
			}
			if a, b := cellSet(first.Declared), cellSet(second.Declared); !slices.Equal(a, b) {
				t.Errorf("declarations differ:\n discovered %v\n configured %v\n%s", a, b, out)
			}
		})
	}
}

func TestInitConfigWritesFanOut(t *testing.T) {
	out := string(Read(readFixture(t, "ferry-config")).InitConfig())
	for _, want := range []string{
		"  - name: staging\n  - name: prod-eu\n    after: [staging]\n    protected: true\n  - name: prod-us\n    after: [staging]\n",
		"    images: [api]\n    paths:\n      dev: deploy/search/dev/values.yaml\n",
		"      prod-us: deploy/search/us/values.yaml\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func envSummary(envs model.Environments) string {
	var b strings.Builder
	for _, e := range envs {
		fmt.Fprintf(&b, "%s<%v ", e.Name, e.Upstream)
	}
	return b.String()
}

func cellSet(ds []model.Declared) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = cellOf(d).String()
	}
	slices.Sort(out)
	return out
}

// ferry init writes from the same reading as --explain: the files it could
// not place are listed, with why, for the user to add or fix.
func TestInitConfigListsFilesNotPlaced(t *testing.T) {
	out := string(Read(readFixture(t, "env-any-name")).InitConfig())
	for _, want := range []string{
		"# Not placed (1): these look like deploy configuration but feed no cell.\n",
		"#   canary-app-automatic/deployment.yaml (manifest): no environment",
		"  - name: ab-test-a\n    after: []\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

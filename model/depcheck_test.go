package model_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestModelStaysPure holds the design's import rule: the domain imports no
// source library and no UI library, directly or through another package.
func TestModelStaysPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ferryhq/ferry/model").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/go-git/", "k8s.io/client-go", "k8s.io/api", "k8s.io/apimachinery",
		"github.com/google/go-containerregistry", "charm.land/", "github.com/charmbracelet/",
		"sigs.k8s.io/kustomize",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("model depends on %s", dep)
			}
		}
	}
}

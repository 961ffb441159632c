package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/rest"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ferryhq/ferry/model"
)

func TestChooseContext(t *testing.T) {
	raw := clientcmdapi.NewConfig()
	for _, n := range []string{"dev", "gke_shop_staging", "prod-eu", "prod-us", "kind-production"} {
		raw.Contexts[n] = &clientcmdapi.Context{}
	}
	for _, tc := range []struct {
		env        model.Environment
		want, fail string
	}{
		{model.Environment{Name: "dev"}, "dev", ""},
		{model.Environment{Name: "staging"}, "gke_shop_staging", ""},
		{model.Environment{Name: "prod-eu"}, "prod-eu", ""},
		{model.Environment{Name: "prod"}, "", "several kubeconfig contexts"},
		{model.Environment{Name: "production"}, "kind-production", ""},
		{model.Environment{Name: "qa"}, "", ""},
		{model.Environment{Name: "x", Kube: model.KubeTarget{Context: "prod-us"}}, "prod-us", ""},
		{model.Environment{Name: "x", Kube: model.KubeTarget{Context: "nope"}}, "", `"nope"`},
	} {
		got, problem := chooseContext(tc.env, raw)
		if got != tc.want || (tc.fail == "") != (problem == "") || !strings.Contains(problem, tc.fail) {
			t.Errorf("%s: got %q, problem %q; want %q, problem containing %q", tc.env.Name, got, problem, tc.want, tc.fail)
		}
	}
}

func TestTuneRaisesRateLimitsAndNeverPrompts(t *testing.T) {
	cfg := &rest.Config{ExecProvider: &clientcmdapi.ExecConfig{Command: "gke-gcloud-auth-plugin", InteractiveMode: clientcmdapi.IfAvailableExecInteractiveMode}}
	tune(cfg)
	if cfg.QPS != 50 || cfg.Burst != 100 {
		t.Errorf("QPS/Burst = %v/%v, want 50/100", cfg.QPS, cfg.Burst)
	}
	if !cfg.ExecProvider.StdinUnavailable {
		t.Error("exec plugin may prompt on the terminal")
	}
	set := &rest.Config{QPS: 7, Burst: 9}
	tune(set)
	if set.QPS != 7 || set.Burst != 9 {
		t.Errorf("explicit limits overridden: %v/%v", set.QPS, set.Burst)
	}
}

// Clusters asked for and no context matching an environment: a problem
// on its column, naming the contexts there are (issue 12's silent drops).
func TestNoMatchingContextIsAProblemWhenClustersAreAsked(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte("apiVersion: v1\nkind: Config\ncontexts:\n- name: staging-eu\n  context: {cluster: c1, user: u1}\nclusters:\n- name: c1\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u1\n  user: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	envs := model.Environments{{Name: "dev"}}
	_, quiet := New(Options{Kubeconfig: kubeconfig, Environments: envs})
	if len(quiet) != 0 {
		t.Errorf("clusters read by default: problems %+v, want none", quiet)
	}
	_, problems := New(Options{Kubeconfig: kubeconfig, Environments: envs, Asked: true})
	if len(problems) != 1 || problems[0].Env != "dev" ||
		!strings.Contains(problems[0].Message, "no kubeconfig context matches environment dev (the kubeconfig has staging-eu)") {
		t.Errorf("problems %+v", problems)
	}
}

// A context's own namespace is where ferry reads, as kubectl does, unless
// ferry.yaml names another (issue 12: it listed every namespace, and one
// RBAC refusal became a problem per namespace).
func TestAContextsNamespaceIsUsed(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte("apiVersion: v1\nkind: Config\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u1, namespace: shop}\nclusters:\n- name: c1\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u1\n  user: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, problems := New(Options{Kubeconfig: kubeconfig, Environments: model.Environments{{Name: "dev"}}})
	if len(problems) != 0 || len(s.envs) != 1 || s.envs[0].Namespace != "shop" {
		t.Fatalf("problems %+v, envs %+v: want dev read in namespace shop", problems, s.envs)
	}
	s, _ = New(Options{Kubeconfig: kubeconfig, Environments: model.Environments{{Name: "dev", Kube: model.KubeTarget{Namespace: "web"}}}})
	if s.envs[0].Namespace != "web" {
		t.Errorf("ferry.yaml's namespace lost to the context's: %q", s.envs[0].Namespace)
	}
}

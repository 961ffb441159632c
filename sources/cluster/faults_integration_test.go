package cluster_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// grant lets the restricted user read resources in a namespace.
func (a *admin) grant(ns string, rules ...rbacv1.PolicyRule) {
	a.t.Helper()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "ferry-read", Namespace: ns}, Rules: rules}
	_, err := a.kube.RbacV1().Roles(ns).Create(a.ctx, role, metav1.CreateOptions{})
	a.must(err)
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "ferry-read", Namespace: ns},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, Name: kubetest.Restricted}},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "ferry-read"},
	}
	_, err = a.kube.RbacV1().RoleBindings(ns).Create(a.ctx, binding, metav1.CreateOptions{})
	a.must(err)
}

func read(group string, resources ...string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{APIGroups: []string{group}, Resources: resources, Verbs: []string{"get", "list", "watch"}}
}

// TestRBACForbidsPodsInOneNamespace: two environments share a context and
// differ by namespace; the user may not read pods in prod's. Prod's column
// gets a plain-words problem naming the context; test is read in full, by
// List and by Watch.
func TestRBACForbidsPodsInOneNamespace(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	prodNS := a.namespace(a.ns + "-prod")
	workloads := read("apps", "deployments", "statefulsets", "daemonsets")
	rollouts := read("argoproj.io", "rollouts")
	a.grant(a.ns, read("", "pods"), workloads, rollouts)
	a.grant(prodNS, workloads, rollouts)
	cs := []corev1.Container{container("api", searchRepo+":1")}
	for _, ns := range []string{a.ns, prodNS} {
		a.deployment(ns, "search-api", nil, 1, 1, 1, cs...)
		a.pod(ns, "api-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	}

	envs := model.Environments{env("test", "shared", a.ns), env("prod", "shared", prodNS)}
	src := ferrySource(t, s, cluster.Options{Environments: envs},
		kubetest.Context{Name: "shared", User: kubetest.Restricted})
	var targets []cluster.Target
	for _, e := range []string{"test", "prod"} {
		targets = append(targets, cluster.Target{App: "search-api", Env: e,
			Declared: []model.Declared{declared("search-api", e, "api", searchRepo, digestA)}})
	}
	check := func(t *testing.T, snap cluster.Snapshot) {
		t.Helper()
		if _, ok := snap.Live[model.ImageKey{App: "search-api", Env: "test", Image: "api"}]; !ok {
			t.Errorf("test environment not read: %s", describeSnap(snap))
		}
		if _, ok := snap.Live[model.ImageKey{App: "search-api", Env: "prod", Image: "api"}]; ok {
			t.Errorf("prod has live facts without being allowed to read pods")
		}
		if p := problemsOn(snap, "test"); len(p) > 0 {
			t.Errorf("test has problems: %v", p)
		}
	}
	forbidden := func(snap cluster.Snapshot) bool {
		return slices.ContainsFunc(problemsOn(snap, "prod"), func(m string) bool {
			return strings.Contains(m, `context "shared"`) && strings.Contains(m, "pods") &&
				strings.Contains(m, prodNS) && strings.Contains(m, "forbidden")
		})
	}

	t.Run("list", func(t *testing.T) {
		snap := src.List(t.Context(), targets)
		if !forbidden(snap) {
			t.Errorf("prod problems = %v", problemsOn(snap, "prod"))
		}
		check(t, snap)
	})
	t.Run("watch", func(t *testing.T) {
		snaps := watch(t, src, targets)
		snap := waitFor(t, snaps, "test read and prod forbidden", func(s cluster.Snapshot) bool {
			_, read := s.Live[model.ImageKey{App: "search-api", Env: "test", Image: "api"}]
			return read && forbidden(s)
		})
		check(t, snap)
	})
}

// TestBrokenContexts: a server that does not answer, a token it rejects
// (expired credentials) and a failing exec credential plugin are each a
// plain-words problem on their own column only; a context ferry.yaml names
// but the kubeconfig lacks is reported by New.
func TestBrokenContexts(t *testing.T) {
	s := needKube(t)
	a := newAdmin(t, s)
	cs := []corev1.Container{container("api", searchRepo+":1")}
	a.deployment(a.ns, "search-api", nil, 1, 1, 1, cs...)
	a.pod(a.ns, "api-1", "search-api", cs, map[string]string{"api": searchRepo + "@" + digestA})
	path, err := s.WriteKubeconfig("broken.kubeconfig", kubetest.Context{Name: "good", User: kubetest.Ferry, Namespace: a.ns})
	if err != nil {
		t.Fatal(err)
	}
	path = breakContexts(t, path)
	envs := model.Environments{env("test", "good", a.ns), env("prod", "dead", ""),
		env("uat", "expired", ""), env("stage", "exec", ""), env("qa", "missing", "")}
	src, problems := cluster.New(cluster.Options{Kubeconfig: path, Environments: envs, Logf: t.Logf})
	if len(problems) != 1 || problems[0].Env != "qa" || !strings.Contains(problems[0].Message, `"missing"`) {
		t.Errorf("New problems = %v", problems)
	}
	var targets []cluster.Target
	for _, e := range envs {
		targets = append(targets, cluster.Target{App: "search-api", Env: e.Name,
			Declared: []model.Declared{declared("search-api", e.Name, "api", searchRepo, digestA)}})
	}
	want := map[string][]string{
		"prod":  {`context "dead"`, "unreachable"},
		"uat":   {`context "expired"`, "rejected the credentials"},
		"stage": {`context "exec"`, "credential plugin failed", "exit code 1"},
	}
	// complete reports whether test was read and every broken environment
	// has exactly its one problem, in the expected words.
	complete := func(snap cluster.Snapshot) string {
		if _, ok := snap.Live[model.ImageKey{App: "search-api", Env: "test", Image: "api"}]; !ok {
			return "test not read"
		}
		if p := problemsOn(snap, "test"); len(p) > 0 {
			return fmt.Sprintf("test problems %v", p)
		}
		for env, words := range want {
			got := problemsOn(snap, env)
			if len(got) != 1 {
				return fmt.Sprintf("%s: problems %v, want one", env, got)
			}
			for _, w := range words {
				if !strings.Contains(got[0], w) {
					return fmt.Sprintf("%s: problem %q lacks %q", env, got[0], w)
				}
			}
		}
		return ""
	}
	t.Run("list", func(t *testing.T) {
		if msg := complete(src.List(t.Context(), targets)); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("watch", func(t *testing.T) {
		waitFor(t, watch(t, src, targets), "every broken context reported", func(s cluster.Snapshot) bool {
			return complete(s) == ""
		})
	})
}

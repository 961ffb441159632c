package cluster_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// ferrySource builds a Source the way ferry does: from a kubeconfig file,
// whose contexts authenticate as the ferry user unless they say otherwise.
func ferrySource(t *testing.T, s *kubetest.Server, o cluster.Options, contexts ...kubetest.Context) *cluster.Source {
	t.Helper()
	path, err := s.WriteKubeconfig(strings.ReplaceAll(t.Name(), "/", "-")+".kubeconfig", contexts...)
	if err != nil {
		t.Fatal(err)
	}
	o.Kubeconfig = path
	o.Logf = t.Logf
	src, problems := cluster.New(o)
	if len(problems) > 0 {
		t.Fatalf("New: %v", problems)
	}
	return src
}

// env is an environment reading one namespace through one context.
func env(name, context, namespace string) model.Environment {
	return model.Environment{Name: name, Kube: model.KubeTarget{Context: context, Namespace: namespace}}
}

func declared(app, env, name, repo, digest string) model.Declared {
	return model.Declared{App: app, Env: env, Name: name,
		Ref: model.ImageRef{Repository: repo, Tag: "1", Digest: digest}}
}

// watch runs Watch until the test ends and returns its Snapshots.
func watch(t *testing.T, src *cluster.Source, targets []cluster.Target) <-chan cluster.Snapshot {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan cluster.Snapshot)
	done := make(chan struct{})
	go func() {
		defer close(done)
		src.Watch(ctx, targets, out)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return out
}

// waitFor reads Snapshots until one satisfies ok. The deadline only turns
// a hang into a failure; nothing is timed.
func waitFor(t *testing.T, snaps <-chan cluster.Snapshot, what string, ok func(cluster.Snapshot) bool) cluster.Snapshot {
	t.Helper()
	deadline := time.After(kubetest.Scale(3 * time.Minute))
	var last cluster.Snapshot
	for {
		select {
		case s := <-snaps:
			if ok(s) {
				return s
			}
			last = s
		case <-deadline:
			t.Fatalf("no snapshot with %s; last: %s", what, describeSnap(last))
		}
	}
}

func describeSnap(s cluster.Snapshot) string {
	var b strings.Builder
	for k, v := range s.Live {
		fmt.Fprintf(&b, "live %v=%+v; ", k, v)
	}
	for k, v := range s.Controllers {
		fmt.Fprintf(&b, "controller %v=%+v; ", k, v)
	}
	for _, p := range s.Problems {
		fmt.Fprintf(&b, "problem %v: %s; ", p.CellKey, p.Message)
	}
	return b.String()
}

// problemsOn returns the messages of problems on an environment's column.
func problemsOn(s cluster.Snapshot, env string) []string {
	var out []string
	for _, p := range s.Problems {
		if p.Env == env && p.App == "" {
			out = append(out, p.Message)
		}
	}
	return out
}

func sameCounts(got, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// breakContexts copies a kubeconfig and adds three broken contexts: "dead"
// (a port nobody listens on), "expired" (a token the server does not know)
// and "exec" (a credential plugin that fails).
func breakContexts(t *testing.T, path string) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dead := *cfg.Clusters["kubetest"]
	dead.Server = "https://" + addr
	cfg.Clusters["dead"] = &dead
	cfg.AuthInfos["expired"] = &clientcmdapi.AuthInfo{Token: "token-that-expired"}
	cfg.AuthInfos["exec"] = &clientcmdapi.AuthInfo{Exec: &clientcmdapi.ExecConfig{
		Command: "false", APIVersion: "client.authentication.k8s.io/v1", InteractiveMode: clientcmdapi.NeverExecInteractiveMode}}
	cfg.Contexts["dead"] = &clientcmdapi.Context{Cluster: "dead", AuthInfo: kubetest.Ferry}
	cfg.Contexts["expired"] = &clientcmdapi.Context{Cluster: "kubetest", AuthInfo: "expired"}
	cfg.Contexts["exec"] = &clientcmdapi.Context{Cluster: "kubetest", AuthInfo: "exec"}
	out := path + ".broken"
	if err := clientcmd.WriteToFile(*cfg, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// deploymentFor is a Deployment selecting pods like p.
func deploymentFor(ns string, p *corev1.Pod) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "api", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": p.Labels["app"]}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": p.Labels["app"]}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "api", Image: p.Spec.Containers[0].Image}}}},
		},
	}
}

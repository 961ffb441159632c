package kubetest

import (
	"context"
	"fmt"
	"os"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

var (
	shared   *Server
	startErr error
)

// TestMain builds and starts the server before m.Run, so a cold build (minutes)
// does not count against go test's -timeout.
func TestMain(m *testing.M) {
	if os.Getenv("FERRY_SKIP_KUBE") != "1" {
		shared, startErr = StartServer(Options{Logf: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
	}
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// TestServerAnswersAndAudits reads through the real server as the ferry
// user and finds that read in the audit log.
func TestServerAnswersAndAudits(t *testing.T) {
	if os.Getenv("FERRY_SKIP_KUBE") == "1" {
		t.Skip("FERRY_SKIP_KUBE=1")
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	s := shared
	kube := kubernetes.NewForConfigOrDie(s.RESTConfig(Ferry))
	v, err := kube.Discovery().ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.GitVersion != KubeVersion {
		t.Errorf("server version %s, want %s", v.GitVersion, KubeVersion)
	}
	if _, err := kube.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	events, err := s.AuditEvents(Ferry)
	if err != nil {
		t.Fatal(err)
	}
	var listed bool
	for _, ev := range events {
		listed = listed || (ev.Verb == "list" && ev.ObjectRef.Resource == "namespaces")
	}
	if !listed {
		t.Errorf("audit log has no list of namespaces by %s: %+v", Ferry, events)
	}
}

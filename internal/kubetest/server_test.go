package kubetest

import (
	"context"
	"os"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// TestServerAnswersAndAudits starts the real server, reads through it as
// the ferry user and finds that read in the audit log.
func TestServerAnswersAndAudits(t *testing.T) {
	if os.Getenv("FERRY_SKIP_KUBE") == "1" {
		t.Skip("FERRY_SKIP_KUBE=1")
	}
	s := Start(t)
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

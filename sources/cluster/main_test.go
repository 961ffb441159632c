package cluster_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/ferryhq/ferry/internal/kubetest"
)

// kube is the API server the integration tests share (a namespace each).
// It is nil when FERRY_SKIP_KUBE=1 or when it failed to build or start;
// kubeErr then says why, and every test that needs it fails with that.
var (
	kube    *kubetest.Server
	kubeErr error
)

func TestMain(m *testing.M) {
	if os.Getenv("FERRY_SKIP_KUBE") != "1" {
		kube, kubeErr = kubetest.StartServer(kubetest.Options{Logf: func(f string, a ...any) {
			fmt.Fprintf(os.Stderr, f+"\n", a...)
		}})
		if kubeErr == nil {
			kubeErr = installCRDs(context.Background(), kube)
		}
	}
	code := m.Run()
	if kube != nil {
		kube.Stop()
	}
	os.Exit(code)
}

// needKube returns the shared server, skipping only when FERRY_SKIP_KUBE=1
// and failing with the build or start output otherwise. The servers' logs
// are shown when the test fails, and only then.
func needKube(t *testing.T) *kubetest.Server {
	t.Helper()
	if os.Getenv("FERRY_SKIP_KUBE") == "1" {
		t.Skip("FERRY_SKIP_KUBE=1: no kube-apiserver")
	}
	if kubeErr != nil {
		t.Fatalf("kube-apiserver harness: %v", kubeErr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(kube.Logs())
		}
	})
	return kube
}

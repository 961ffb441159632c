package cluster

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/ferryhq/ferry/model"
)

// TestNewFromClientsWatchesFakes: the demo world's path — fake clientsets,
// no dynamic client — lists, then follows a pod's new digest.
func TestNewFromClientsWatchesFakes(t *testing.T) {
	pod := benchPod(0)
	kube := fake.NewSimpleClientset(benchDeployment(1), pod)
	src := NewFromClients(Options{}, map[string]Clients{"dev": {Kube: kube, Context: "demo-dev", Namespace: "shop"}})
	key := model.ImageKey{App: "api", Env: "dev", Image: "api"}
	targets := []Target{{App: "api", Env: "dev", Declared: []model.Declared{{App: "api", Env: "dev", Name: "api",
		Ref: model.ImageRef{Repository: "registry.example.org/shop/api", Digest: benchDigest}}}}}

	if got := src.List(t.Context(), targets); got.Live[key].Digests[benchDigest] != 1 || got.Contexts["dev"] != "demo-dev" {
		t.Fatalf("list = %+v", got)
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := make(chan Snapshot)
	go src.Watch(ctx, targets, out)
	next := func(ok func(Snapshot) bool) {
		t.Helper()
		deadline := time.After(time.Minute) // turns a hang into a failure
		for {
			select {
			case s := <-out:
				if ok(s) {
					return
				}
			case <-deadline:
				t.Fatal("no matching snapshot")
			}
		}
	}
	next(func(s Snapshot) bool { return s.Live[key].Digests[benchDigest] == 1 })

	other := "sha256:" + benchDigest[len("sha256:")+1:] + "0"
	pod.Status.ContainerStatuses[0].ImageID = "registry.example.org/shop/api@" + other
	if _, err := kube.CoreV1().Pods("shop").UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	next(func(s Snapshot) bool { return s.Live[key].Digests[other] == 1 && s.Live[key].Digests[benchDigest] == 0 })
}

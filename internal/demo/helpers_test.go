package demo

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// startWorld starts a world that the test closes when it ends.
func startWorld(t testing.TB, o Options) *World {
	t.Helper()
	w, err := Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	return w
}

// podItems returns the pods of a tracker's list.
func podItems(obj runtime.Object) []corev1.Pod {
	return obj.(*corev1.PodList).Items
}

package cluster_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/ferryhq/ferry/internal/kubetest"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// BenchmarkInformerMemoryRealServer loads 20,000 pods into the real API
// server (three namespaces, one context each; their managedFields are the
// server's own) and measures the heap the informer caches hold after GC,
// with and without the Strip transform.
func BenchmarkInformerMemoryRealServer(b *testing.B) {
	if kubeErr != nil || kube == nil {
		b.Skip("no kube-apiserver")
	}
	const contexts, perContext = 3, 6667
	var namespaces []string
	for i := range contexts {
		ns := fmt.Sprintf("bench-%d", i)
		if err := loadPods(b.Context(), kube, ns, perContext); err != nil {
			b.Fatal(err)
		}
		namespaces = append(namespaces, ns)
	}
	for _, strip := range []bool{true, false} {
		b.Run(fmt.Sprintf("strip=%v", strip), func(b *testing.B) {
			for b.Loop() {
				b.ReportMetric(realInformerHeapMB(b, namespaces, perContext, strip), "MB-heap")
			}
		})
	}
}

func realInformerHeapMB(b *testing.B, namespaces []string, perContext int, strip bool) float64 {
	var envs model.Environments
	var contexts []kubetest.Context
	var targets []cluster.Target
	for _, ns := range namespaces {
		envs = append(envs, env(ns, ns, ns))
		contexts = append(contexts, kubetest.Context{Name: ns, User: kubetest.Ferry})
		targets = append(targets, cluster.Target{App: "api", Env: ns, Workload: "Deployment/api",
			Declared: []model.Declared{{App: "api", Env: ns, Name: "api"}}})
	}
	path, err := kube.WriteKubeconfig("bench.kubeconfig", contexts...)
	if err != nil {
		b.Fatal(err)
	}
	src, problems := cluster.New(cluster.Options{Kubeconfig: path, Environments: envs})
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	if !strip {
		cluster.KeepFields(src)
	}
	before := cluster.HeapInUse()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan cluster.Snapshot)
	go src.Watch(ctx, targets, out)
	for snap := range out {
		all := true
		for _, ns := range namespaces {
			all = all && snap.Live[model.ImageKey{App: "api", Env: ns, Image: "api"}].Digests[digestA] == perContext
		}
		if all {
			break
		}
	}
	return float64(cluster.HeapInUse()-before) / (1 << 20)
}

// loadPods creates a Deployment and n running pods in ns unless they exist.
func loadPods(ctx context.Context, s *kubetest.Server, ns string, n int) error {
	cfg := s.RESTConfig(kubetest.Admin)
	cfg.QPS, cfg.Burst = 2000, 4000
	kube := kubernetes.NewForConfigOrDie(cfg)
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); apierrors.IsAlreadyExists(err) {
		return nil
	} else if err != nil {
		return err
	}
	tmpl := cluster.BenchPod(0)
	d := deploymentFor(ns, tmpl)
	if _, err := kube.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		return err
	}
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range work {
				if err := loadPod(ctx, kube, ns, i); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func loadPod(ctx context.Context, kube kubernetes.Interface, ns string, i int) error {
	p := cluster.BenchPod(i)
	p.Namespace, p.UID, p.ResourceVersion, p.ManagedFields, p.OwnerReferences = ns, "", "", nil, nil
	status := p.Status
	for j := range status.ContainerStatuses {
		status.ContainerStatuses[j].ImageID = "registry.example.org/shop/api@" + digestA
	}
	created, err := kube.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{})
	if err != nil {
		return err
	}
	created.Status = status
	_, err = kube.CoreV1().Pods(ns).UpdateStatus(ctx, created, metav1.UpdateOptions{})
	return err
}

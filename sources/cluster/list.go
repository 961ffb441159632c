package cluster

import (
	"context"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/pager"

	"github.com/ferryhq/ferry/model"
)

// pageSize bounds each list request; big clusters answer in chunks.
const pageSize = 500

// List reads every environment once with paginated lists (no watch) and
// returns the facts for the targets. Environments are read in parallel; a
// failing one only adds problems to its own column.
func (s *Source) List(ctx context.Context, targets []Target) Snapshot {
	results := make([]envFacts, len(s.envs))
	var wg sync.WaitGroup
	for i, e := range s.envs {
		wg.Go(func() {
			inv, problems := s.listInventory(ctx, e)
			results[i] = s.factsFor(e, inv, targets)
			results[i].env = e.env
			results[i].status = model.ClusterProgress{Synced: len(problems) == 0, Failing: len(problems) > 0, Context: e.Context}
			if len(problems) > 0 {
				// Without the pods or workloads the cells cannot be
				// judged: report the failure, not "not found", and no
				// half-read live facts.
				results[i].problems = problems
				results[i].live = nil
			}
		})
	}
	wg.Wait()
	return s.merge(results)
}

// merge joins per-environment facts into one Snapshot.
func (s *Source) merge(parts []envFacts) Snapshot {
	snap := Snapshot{
		Live:        map[model.ImageKey]model.LiveFacts{},
		Controllers: map[model.CellKey]model.ControllerFacts{},
		Contexts:    s.Contexts(),
		Envs:        map[string]model.ClusterProgress{},
	}
	for _, p := range parts {
		if p.env != "" {
			snap.Envs[p.env] = p.status
		}
		for k, v := range p.live {
			snap.Live[k] = v
		}
		for k, v := range p.controllers {
			snap.Controllers[k] = v
		}
		snap.Problems = append(snap.Problems, p.problems...)
	}
	return snap
}

// listInventory lists what ferry reads in one environment. Failing core
// lists (pods, workloads) are problems on the column; custom resources
// whose CRD is not installed are simply absent.
func (s *Source) listInventory(ctx context.Context, e envClients) (*inventory, []model.CellProblem) {
	inv := &inventory{}
	var problems []model.CellProblem
	fail := func(resource string, err error) {
		problems = append(problems, envProblem(e.env, describe(e.Context, resource, e.Namespace, err)))
	}
	ns, kube := e.Namespace, e.Kube
	if err := eachItem(ctx, func(o metav1.ListOptions) (runtime.Object, error) { return kube.CoreV1().Pods(ns).List(ctx, o) },
		func(p *corev1.Pod) { inv.pods = append(inv.pods, stripPod(p)) }); err != nil {
		fail("pods", err)
		if contextWide(err) {
			// Unreachable or unauthenticated: every other read fails
			// the same way; one problem says it.
			return inv, problems
		}
	}
	if err := eachItem(ctx, func(o metav1.ListOptions) (runtime.Object, error) { return kube.AppsV1().Deployments(ns).List(ctx, o) },
		func(d *appsv1.Deployment) { inv.workloads = append(inv.workloads, fromDeployment(d)) }); err != nil {
		fail("deployments", err)
	}
	if err := eachItem(ctx, func(o metav1.ListOptions) (runtime.Object, error) { return kube.AppsV1().StatefulSets(ns).List(ctx, o) },
		func(d *appsv1.StatefulSet) { inv.workloads = append(inv.workloads, fromStatefulSet(d)) }); err != nil {
		fail("statefulsets", err)
	}
	if err := eachItem(ctx, func(o metav1.ListOptions) (runtime.Object, error) { return kube.AppsV1().DaemonSets(ns).List(ctx, o) },
		func(d *appsv1.DaemonSet) { inv.workloads = append(inv.workloads, fromDaemonSet(d)) }); err != nil {
		fail("daemonsets", err)
	}
	if e.Dynamic == nil {
		return inv, problems
	}
	if err := s.eachCustom(ctx, e, rolloutsGVR, ns, func(u *unstructured.Unstructured) {
		inv.workloads = append(inv.workloads, fromRollout(u))
	}); err != nil {
		fail("Argo Rollouts", err)
	}
	for _, gvr := range controllerGVRs {
		// Controllers live in their own namespaces (argocd, flux-system):
		// read them cluster-wide; without the right, cells just lack them.
		err := s.eachCustom(ctx, e, gvr, "", func(u *unstructured.Unstructured) {
			if c, ok := fromController(gvr, u); ok {
				inv.controllers = append(inv.controllers, c)
			}
		})
		if err != nil {
			s.logf("cluster: %s", describe(e.Context, gvr.Resource, "", err))
		}
	}
	return inv, problems
}

// eachCustom lists a custom resource; a CRD that is not installed is not
// an error.
func (s *Source) eachCustom(ctx context.Context, e envClients, gvr schema.GroupVersionResource, ns string,
	fn func(*unstructured.Unstructured)) error {
	res := e.Dynamic.Resource(gvr)
	err := eachItem(ctx, func(o metav1.ListOptions) (runtime.Object, error) { return res.Namespace(ns).List(ctx, o) }, fn)
	if apierrors.IsNotFound(err) {
		s.logf("cluster: context %q does not serve %s (CRD not installed)", e.Context, gvr.GroupResource())
		return nil
	}
	return err
}

// eachItem pages through a list and calls fn for every item of type T.
func eachItem[T runtime.Object](ctx context.Context, list func(metav1.ListOptions) (runtime.Object, error), fn func(T)) error {
	p := pager.New(pager.SimplePageFunc(list))
	p.PageSize = pageSize
	return p.EachListItem(ctx, metav1.ListOptions{}, func(obj runtime.Object) error {
		if item, ok := obj.(T); ok {
			fn(item)
		}
		return nil
	})
}

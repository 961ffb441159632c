package cluster

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/ferryhq/ferry/internal/ctxutil"
)

// envWatch holds the informers of one environment and what they reported.
type envWatch struct {
	src    *Source
	e      envClients
	notify func()

	mu        sync.Mutex
	resources []*watched
	synced    bool              // core informers have listed once
	dirty     bool              // an informer changed since cached
	cached    envFacts          // facts of the last computation
	problems  map[string]string // resource → message, while failing
	probing   bool
}

// watched is one informer and how its objects enter the inventory.
type watched struct {
	name      string
	namespace string // "" for all namespaces
	core      bool   // failures are problems on the column; sync is awaited
	informer  cache.SharedIndexInformer
	probe     func(ctx context.Context) error // cheap read: is it readable again?
	add       func(inv *inventory, obj any)
}

func newEnvWatch(s *Source, e envClients, notify func()) *envWatch {
	return &envWatch{src: s, e: e, notify: notify, problems: map[string]string{}}
}

// discoveryProblem keys the problem of a failing API discovery.
const discoveryProblem = "discovery"

// reconnect is the backoff between attempts to reach a failing cluster.
func reconnect() wait.Backoff {
	return wait.Backoff{Duration: 500 * time.Millisecond, Factor: 2, Jitter: 0.2, Steps: 1 << 30, Cap: 30 * time.Second}
}

// run discovers which custom resources the cluster serves (retrying with
// backoff while it is unreachable), starts the informers and waits for the
// core ones to sync.
func (ew *envWatch) run(ctx context.Context) {
	if ew.e.reach != nil {
		stop := ew.e.reach.listen(ew.notify)
		context.AfterFunc(ctx, stop)
	}
	served, ok := ew.discover(ctx)
	if !ok {
		return
	}
	ew.mu.Lock()
	ew.resources = ew.coreResources()
	ew.resources = append(ew.resources, ew.customResources(served)...)
	ew.mu.Unlock()
	var synced []cache.InformerSynced
	for _, r := range ew.resources {
		ew.hook(ctx, r)
		go r.informer.RunWithContext(ctx)
		if r.core {
			synced = append(synced, r.informer.HasSynced)
		}
	}
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		return
	}
	ew.mu.Lock()
	ew.synced, ew.dirty = true, true
	ew.mu.Unlock()
	ew.notify()
}

// discover asks which custom resources exist, until the cluster answers.
func (ew *envWatch) discover(ctx context.Context) (map[schema.GroupVersionResource]bool, bool) {
	served := map[schema.GroupVersionResource]bool{}
	if ew.e.Dynamic == nil {
		return served, true
	}
	backoff := reconnect()
	for {
		err := ew.discoverOnce(served)
		if err == nil {
			if ew.setProblem(discoveryProblem, "") {
				ew.notify()
			}
			return served, true
		}
		if ew.setProblem(discoveryProblem, describe(ew.e.Context, "the API resource list", "", err)) {
			ew.notify()
		}
		if ctxutil.Sleep(ctx, backoff.Step()) != nil {
			return nil, false
		}
	}
}

func (ew *envWatch) discoverOnce(served map[schema.GroupVersionResource]bool) error {
	for _, gvr := range append([]schema.GroupVersionResource{rolloutsGVR}, controllerGVRs...) {
		list, err := ew.e.Kube.Discovery().ServerResourcesForGroupVersion(gvr.GroupVersion().String())
		if apierrors.IsNotFound(err) {
			ew.src.logf("cluster: context %q does not serve %s (CRD not installed)", ew.e.Context, gvr.GroupResource())
			continue
		}
		if err != nil {
			return err
		}
		for _, r := range list.APIResources {
			if r.Name == gvr.Resource {
				served[gvr] = true
			}
		}
	}
	return nil
}

// coreResources are the typed informers of one factory, namespaced where
// the environment names a namespace, with the Strip transform set on the
// factory (a later InformerFor could overwrite one set per informer).
func (ew *envWatch) coreResources() []*watched {
	var opts []informers.SharedInformerOption
	if !ew.src.keepFields {
		opts = append(opts, informers.WithTransform(Strip))
	}
	if ew.e.Namespace != "" {
		opts = append(opts, informers.WithNamespace(ew.e.Namespace))
	}
	f := informers.NewSharedInformerFactoryWithOptions(ew.e.Kube, 0, opts...)
	ns, kube := ew.e.Namespace, ew.e.Kube
	limit1 := metav1.ListOptions{Limit: 1}
	core := []*watched{
		{name: "pods", core: true, informer: f.Core().V1().Pods().Informer(),
			probe: func(ctx context.Context) error { _, err := kube.CoreV1().Pods(ns).List(ctx, limit1); return err },
			add:   func(inv *inventory, o any) { inv.pods = append(inv.pods, o.(*corev1.Pod)) }},
		{name: "deployments", core: true, informer: f.Apps().V1().Deployments().Informer(),
			probe: func(ctx context.Context) error { _, err := kube.AppsV1().Deployments(ns).List(ctx, limit1); return err },
			add: func(inv *inventory, o any) {
				inv.workloads = append(inv.workloads, fromDeployment(o.(*appsv1.Deployment)))
			}},
		{name: "statefulsets", core: true, informer: f.Apps().V1().StatefulSets().Informer(),
			probe: func(ctx context.Context) error {
				_, err := kube.AppsV1().StatefulSets(ns).List(ctx, limit1)
				return err
			},
			add: func(inv *inventory, o any) {
				inv.workloads = append(inv.workloads, fromStatefulSet(o.(*appsv1.StatefulSet)))
			}},
		{name: "daemonsets", core: true, informer: f.Apps().V1().DaemonSets().Informer(),
			probe: func(ctx context.Context) error { _, err := kube.AppsV1().DaemonSets(ns).List(ctx, limit1); return err },
			add: func(inv *inventory, o any) {
				inv.workloads = append(inv.workloads, fromDaemonSet(o.(*appsv1.DaemonSet)))
			}},
	}
	for _, w := range core {
		w.namespace = ns
	}
	return core
}

// customResources are dynamic informers for the CRDs the cluster serves:
// Rollouts in the environment's namespace, controllers cluster-wide.
func (ew *envWatch) customResources(served map[schema.GroupVersionResource]bool) []*watched {
	var out []*watched
	for _, gvr := range append([]schema.GroupVersionResource{rolloutsGVR}, controllerGVRs...) {
		if !served[gvr] {
			continue
		}
		ns := ""
		if gvr == rolloutsGVR {
			ns = ew.e.Namespace
		}
		inf := dynamicinformer.NewFilteredDynamicInformer(ew.e.Dynamic, gvr, ns, 0, cache.Indexers{}, nil).Informer()
		if !ew.src.keepFields {
			_ = inf.SetTransform(Strip)
		}
		res := ew.e.Dynamic.Resource(gvr).Namespace(ns)
		w := &watched{name: gvr.Resource, namespace: ns, core: gvr == rolloutsGVR, informer: inf,
			probe: func(ctx context.Context) error { _, err := res.List(ctx, metav1.ListOptions{Limit: 1}); return err }}
		if gvr == rolloutsGVR {
			w.add = func(inv *inventory, o any) {
				inv.workloads = append(inv.workloads, fromRollout(o.(*unstructured.Unstructured)))
			}
		} else {
			w.add = func(inv *inventory, o any) {
				if c, ok := fromController(gvr, o.(*unstructured.Unstructured)); ok {
					inv.controllers = append(inv.controllers, c)
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// hook connects an informer's changes and failures to the environment.
func (ew *envWatch) hook(ctx context.Context, r *watched) {
	changed := func(any) { ew.markDirty() }
	_, _ = r.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: changed, DeleteFunc: changed,
		UpdateFunc: func(_, obj any) { changed(obj) },
	})
	_ = r.informer.SetWatchErrorHandlerWithContext(func(_ context.Context, _ *cache.Reflector, err error) {
		if benign(err) {
			return
		}
		msg := describe(ew.e.Context, r.name, r.namespace, err)
		if !r.core {
			// Without controllers the cells still show what runs.
			ew.src.logf("cluster: %s", msg)
			return
		}
		if ew.setProblem(r.name, msg) {
			ew.notify()
		}
		ew.startProbe(ctx)
	})
}

// benign errors end a watch in the normal course; the reflector re-lists
// and a real failure comes as the next error.
func benign(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
}

// startProbe runs one prober per environment while resources fail. The
// informers reconnect on their own with backoff; the prober learns, with
// its own backoff, when each failing resource is readable again so its
// problem can be cleared.
func (ew *envWatch) startProbe(ctx context.Context) {
	ew.mu.Lock()
	if ew.probing {
		ew.mu.Unlock()
		return
	}
	ew.probing = true
	ew.mu.Unlock()
	go func() {
		backoff := reconnect()
		for ctxutil.Sleep(ctx, backoff.Step()) == nil && ew.probeFailing(ctx) {
		}
	}()
}

// probeFailing reads each failing resource once; it reports whether any
// still fails (and stops probing when none does).
func (ew *envWatch) probeFailing(ctx context.Context) bool {
	ew.mu.Lock()
	var failing []*watched
	for _, r := range ew.resources {
		if _, ok := ew.problems[r.name]; ok {
			failing = append(failing, r)
		}
	}
	ew.mu.Unlock()
	for _, r := range failing {
		msg := ""
		if err := r.probe(ctx); err != nil {
			msg = describe(ew.e.Context, r.name, r.namespace, err)
		}
		if ew.setProblem(r.name, msg) {
			ew.markDirty()
		}
	}
	ew.mu.Lock()
	defer ew.mu.Unlock()
	ew.probing = len(ew.problems) > 0
	return ew.probing
}

// inventory reads the informer caches; the caller holds ew.mu. Custom
// resources count once their informer has listed.
func (ew *envWatch) inventory() *inventory {
	inv := &inventory{}
	for _, r := range ew.resources {
		if !r.core && !r.informer.HasSynced() {
			continue
		}
		for _, o := range r.informer.GetStore().List() {
			r.add(inv, o)
		}
	}
	return inv
}

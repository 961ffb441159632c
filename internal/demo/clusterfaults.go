package demo

import (
	"fmt"
	"net"
	"net/url"
	"sync"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	k8stesting "k8s.io/client-go/testing"
)

// ClusterFault is how a demo cluster fails ferry's reads.
type ClusterFault int

const (
	// ClusterDown: every read is refused at the socket, as when the API
	// server is down; open watches end.
	ClusterDown ClusterFault = iota + 1
	// ClusterForbidden: reading pods is refused by RBAC; open watches end.
	ClusterForbidden
	// WatchDropped: every open watch ends once, as a load balancer's idle
	// timeout does; reads go on working.
	WatchDropped
)

// outage is a cluster's fault, switched on and off while it runs.
type outage struct {
	mu       sync.Mutex
	fault    ClusterFault
	watchers []watch.Interface
}

// installOutage puts the fault's reactors in front of both clientsets;
// watches are made here (as the fakes' own reactor does) so a fault can
// end them.
func (c *fakeCluster) installOutage() {
	read := func(a k8stesting.Action) (bool, runtime.Object, error) {
		if err := c.outage.refuse(c.env.Context, a); err != nil {
			return true, nil, err
		}
		return false, nil, nil
	}
	for _, verb := range []string{"get", "list"} {
		c.kube.PrependReactor(verb, "*", read)
		c.dyn.PrependReactor(verb, "*", read)
	}
	watchWith := func(tracker k8stesting.ObjectTracker) k8stesting.WatchReactionFunc {
		return func(a k8stesting.Action) (bool, watch.Interface, error) {
			if err := c.outage.refuse(c.env.Context, a); err != nil {
				return true, nil, err
			}
			var opts metav1.ListOptions
			if w, ok := a.(k8stesting.WatchActionImpl); ok {
				opts = w.ListOptions
			}
			w, err := tracker.Watch(a.GetResource(), a.GetNamespace(), opts)
			if err != nil {
				return false, nil, err
			}
			c.outage.track(w)
			return true, w, nil
		}
	}
	c.kube.PrependWatchReactor("*", watchWith(c.kube.Tracker()))
	c.dyn.PrependWatchReactor("*", watchWith(c.dyn.Tracker()))
}

// refuse is the error a read meets under the fault, or nil.
func (o *outage) refuse(context string, a k8stesting.Action) error {
	o.mu.Lock()
	fault := o.fault
	o.mu.Unlock()
	switch {
	case fault == ClusterDown:
		return &url.Error{Op: "Get", URL: "https://" + context + ".demo.invalid:6443/api",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	case fault == ClusterForbidden && a.GetResource().Resource == "pods":
		return apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", fmt.Errorf(
			"User \"demo-viewer\" cannot %s resource \"pods\" in API group \"\" in the namespace %q", a.GetVerb(), namespace))
	}
	return nil
}

func (o *outage) track(w watch.Interface) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.watchers = append(o.watchers, w)
}

// set switches the fault and ends the open watches (but when healing):
// the readers meet the fault at their next read.
func (o *outage) set(fault ClusterFault) {
	o.mu.Lock()
	ended := o.watchers
	if fault != 0 {
		o.watchers = nil
	} else {
		ended = nil
	}
	if fault != WatchDropped {
		o.fault = fault
	}
	o.mu.Unlock()
	for _, w := range ended {
		w.Stop()
	}
}

// BreakCluster makes the environment's cluster fail ferry's reads until
// HealCluster (WatchDropped ends the watches once and needs no healing).
func (w *World) BreakCluster(env string, f ClusterFault) error {
	c, ok := w.clusters[env]
	if !ok {
		return fmt.Errorf("demo: no cluster for environment %q", env)
	}
	c.outage.set(f)
	return nil
}

// HealCluster makes the cluster answer again.
func (w *World) HealCluster(env string) error { return w.BreakCluster(env, 0) }

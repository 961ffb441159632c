package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/ferryhq/ferry/internal/ctxutil"
	"github.com/ferryhq/ferry/model"
)

var (
	podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	podsGVK = schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
)

// reconcile applies one commit to one cell, the way Argo CD and the
// Deployment controller would together: the Application starts a sync, the
// Deployment gets the new image, pods are replaced one by one, and the
// Application reports the commit synced and healthy.
type reconcile struct {
	c      *controller
	app    appPlan
	env    string
	commit string
	ref    model.ImageRef
}

func (r *reconcile) run(ctx context.Context) error {
	fc := r.c.w.clusters[r.env]
	if fc == nil {
		return fmt.Errorf("no cluster for environment %s", r.env)
	}
	application, err := r.application(ctx, fc)
	if err != nil || application == nil {
		return err
	}
	art, err := r.c.reg.resolve(ctx, pullRef(r.ref))
	if err != nil {
		return fmt.Errorf("registry %s cannot give %s: %w", r.c.reg.Host, pullRef(r.ref), err)
	}
	form := formFor(appIndex(r.app.Name), envIndex(r.env))
	target := running{Image: r.ref.String(), ImageID: imageID(r.ref.Repository, art, form), Version: r.ref.Tag}
	applied := syncedRevision(application)
	if application, err = r.setApp(ctx, fc, application, appStatus{Sync: "OutOfSync", Revision: r.commit,
		Applied: applied, Health: "Progressing", Phase: "Running"}); err != nil {
		return err
	}
	desired, err := r.applyDeployment(ctx, fc, target)
	if err != nil {
		return err
	}
	r.c.emit(Event{Kind: DeploymentUpdated, Commit: r.commit, App: r.app.Name, Env: r.env,
		Image: target.Image, Digest: art.Digest, Desired: desired})
	if err := r.replacePods(ctx, fc, target, art.Digest, desired); err != nil {
		return err
	}
	if _, err := r.setApp(ctx, fc, application, appStatus{Sync: "Synced", Revision: r.commit,
		Applied: r.commit, Health: "Healthy", Phase: "Succeeded"}); err != nil {
		return err
	}
	r.c.emit(Event{Kind: AppSynced, Commit: r.commit, App: r.app.Name, Env: r.env,
		Image: target.Image, Digest: art.Digest, Updated: desired, Desired: desired})
	return nil
}

// application returns the cell's Application, creating one for a cell Git
// just declared; nil when it syncs by hand (the commit stays pending).
func (r *reconcile) application(ctx context.Context, fc *fakeCluster) (*unstructured.Unstructured, error) {
	apps := fc.dyn.Resource(applicationsGVR).Namespace(argoNamespace)
	u, err := apps.Get(ctx, r.app.Name+"-"+r.env, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return apps.Create(ctx, newApplication(r.app, r.env, r.c.w.RemoteDir, true), metav1.CreateOptions{})
	}
	if err != nil {
		return nil, err
	}
	if !automated(u) {
		r.c.emit(Event{Kind: SyncSkipped, Commit: r.commit, App: r.app.Name, Env: r.env})
		return nil, nil
	}
	return u, nil
}

func (r *reconcile) setApp(ctx context.Context, fc *fakeCluster, u *unstructured.Unstructured, s appStatus) (*unstructured.Unstructured, error) {
	u = u.DeepCopy()
	s.At = time.Now()
	setStatus(u, r.app.Name, s)
	return fc.dyn.Resource(applicationsGVR).Namespace(argoNamespace).Update(ctx, u, metav1.UpdateOptions{})
}

// syncedRevision is the revision the Application's last sync applied.
func syncedRevision(u *unstructured.Unstructured) string {
	rev, _, _ := unstructured.NestedString(u.Object, "status", "operationState", "syncResult", "revision")
	return rev
}

// applyDeployment sets the new image on the Deployment (creating it for a
// new cell) and returns how many replicas it wants.
func (r *reconcile) applyDeployment(ctx context.Context, fc *fakeCluster, target running) (int, error) {
	deps := fc.kube.AppsV1().Deployments(namespace)
	d, err := deps.Get(ctx, r.app.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		d = newDeployment(r.app.Name, r.env, max(r.app.Replicas, 1), target, 1)
		d.Status = appsv1.DeploymentStatus{ObservedGeneration: 1}
		d, err = deps.Create(ctx, d, metav1.CreateOptions{})
		return int(*d.Spec.Replicas), err
	}
	if err != nil {
		return 0, err
	}
	d = d.DeepCopy()
	d.Generation++
	d.Spec.Paused = false
	d.Spec.Template.Spec.Containers[0].Image = target.Image
	d.Spec.Template.Labels[labelVersion] = target.Version
	d.Labels[labelVersion] = target.Version
	d.Status.ObservedGeneration = d.Generation
	d.Status.UpdatedReplicas = 0
	_, err = deps.Update(ctx, d, metav1.UpdateOptions{})
	return int(*d.Spec.Replicas), err
}

// replacePods starts a pod of the new image and stops an old one every
// RolloutStep until all desired pods run the new image.
func (r *reconcile) replacePods(ctx context.Context, fc *fakeCluster, target running, digest string, desired int) error {
	for {
		fresh, old, err := r.pods(fc, target)
		if err != nil {
			return err
		}
		if len(fresh) >= desired && len(old) == 0 {
			return r.deploymentStatus(ctx, fc, len(fresh), len(fresh))
		}
		if !r.wait(ctx) {
			return ctx.Err()
		}
		var created string
		if len(fresh) < desired {
			p := newPod(r.app.Name, target, fc.podSuffix(), time.Now())
			if _, err := fc.kube.CoreV1().Pods(namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
				return err
			}
			created = p.Name
			fresh = append(fresh, p)
		}
		if len(old) > 0 {
			if err := fc.kube.CoreV1().Pods(namespace).Delete(ctx, old[0].Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return err
			}
			old = old[1:]
		}
		if err := r.deploymentStatus(ctx, fc, len(fresh), len(fresh)+len(old)); err != nil {
			return err
		}
		if created != "" {
			r.c.emit(Event{Kind: PodReplaced, Commit: r.commit, App: r.app.Name, Env: r.env, Image: target.Image,
				Digest: digest, Pod: created, Updated: len(fresh), Desired: desired})
		}
	}
}

// wait paces the rollout: RolloutStep, or the test's step channel.
func (r *reconcile) wait(ctx context.Context) bool {
	if r.c.o.step == nil {
		return ctxutil.Sleep(ctx, r.c.o.RolloutStep) == nil
	}
	select {
	case <-ctx.Done():
		return false
	case <-r.c.o.step:
		return true
	}
}

// pods splits the app's pods into those running target and the others,
// oldest first. They are read from the object tracker, past any reactor
// that forbids reading pods to the user ferry plays.
func (r *reconcile) pods(fc *fakeCluster, target running) (fresh, old []*corev1.Pod, err error) {
	obj, err := fc.kube.Tracker().List(podsGVR, podsGVK, namespace)
	if err != nil {
		return nil, nil, err
	}
	list := obj.(*corev1.PodList)
	sort.Slice(list.Items, func(i, j int) bool {
		return list.Items[i].CreationTimestamp.Before(&list.Items[j].CreationTimestamp)
	})
	for i := range list.Items {
		p := &list.Items[i]
		if p.Labels[labelName] != r.app.Name {
			continue
		}
		if p.Spec.Containers[0].Image == target.Image {
			fresh = append(fresh, p)
		} else {
			old = append(old, p)
		}
	}
	return fresh, old, nil
}

// deploymentStatus reports rollout progress on the Deployment.
func (r *reconcile) deploymentStatus(ctx context.Context, fc *fakeCluster, updated, total int) error {
	deps := fc.kube.AppsV1().Deployments(namespace)
	d, err := deps.Get(ctx, r.app.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	d = d.DeepCopy()
	d.Status.ObservedGeneration = d.Generation
	d.Status.Replicas = int32(total)
	d.Status.UpdatedReplicas = int32(updated)
	d.Status.ReadyReplicas = int32(total)
	d.Status.AvailableReplicas = int32(min(total, int(*d.Spec.Replicas)))
	_, err = deps.UpdateStatus(ctx, d, metav1.UpdateOptions{})
	return err
}

package cluster

import "strings"

// controllerFor finds the GitOps controller object that deploys an app's
// workloads, most certain evidence first: Argo CD's tracking annotation, a
// controller that lists the workload among its resources, Flux's owner
// labels, Argo CD's instance label, and last the usual names
// (<app>-<env>, <env>-<app>, <app>).
func (inv *inventory) controllerFor(t Target, ws []workload) *controller {
	for _, w := range ws {
		if id := w.Annotations[argoTrackingID]; id != "" {
			name, _, _ := strings.Cut(id, ":")
			if c := inv.findController("Application", "", name); c != nil {
				return c
			}
		}
	}
	for _, w := range ws {
		for i := range inv.controllers {
			if inv.controllers[i].Resources[resourceKey(w.Kind, w.Namespace, w.Name)] {
				return &inv.controllers[i]
			}
		}
	}
	for _, w := range ws {
		if c := inv.findController("HelmRelease", w.Labels[fluxHelmNS], w.Labels[fluxHelmKey]); c != nil {
			return c
		}
		if c := inv.findController("Kustomization", w.Labels[fluxKustomizeNS], w.Labels[fluxKustomizeKey]); c != nil {
			return c
		}
		if c := inv.findController("Application", "", w.Labels[labelInstance]); c != nil {
			return c
		}
	}
	for _, name := range []string{t.App + "-" + t.Env, t.Env + "-" + t.App, t.App} {
		for _, kind := range []string{"Application", "HelmRelease", "Kustomization"} {
			if c := inv.findController(kind, "", name); c != nil {
				return c
			}
		}
	}
	return nil
}

// findController returns the controller of a kind and name; namespace ""
// matches any namespace.
func (inv *inventory) findController(kind, namespace, name string) *controller {
	if name == "" {
		return nil
	}
	for i := range inv.controllers {
		c := &inv.controllers[i]
		if c.Facts.Kind == kind && c.Facts.Name == name && (namespace == "" || c.Namespace == namespace) {
			return c
		}
	}
	return nil
}

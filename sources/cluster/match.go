package cluster

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
)

// Labels and annotations that tie a workload to an app or a controller.
const (
	labelName        = "app.kubernetes.io/name"
	labelInstance    = "app.kubernetes.io/instance"
	labelVersion     = "app.kubernetes.io/version"
	argoTrackingID   = "argocd.argoproj.io/tracking-id"
	fluxKustomizeNS  = "kustomize.toolkit.fluxcd.io/namespace"
	fluxKustomizeKey = "kustomize.toolkit.fluxcd.io/name"
	fluxHelmNS       = "helm.toolkit.fluxcd.io/namespace"
	fluxHelmKey      = "helm.toolkit.fluxcd.io/name"
)

// envFacts are the facts of one environment.
type envFacts struct {
	env         string
	status      model.ClusterProgress
	live        map[model.ImageKey]model.LiveFacts
	controllers map[model.CellKey]model.ControllerFacts
	problems    []model.CellProblem
}

// factsFor turns one environment's inventory into facts for its targets.
func (s *Source) factsFor(e envClients, inv *inventory, targets []Target) envFacts {
	out := envFacts{live: map[model.ImageKey]model.LiveFacts{}, controllers: map[model.CellKey]model.ControllerFacts{}}
	for _, t := range targets {
		if t.Env != e.env {
			continue
		}
		ws := inv.workloadsFor(t)
		if len(ws) == 0 {
			out.problems = append(out.problems, model.CellProblem{
				CellKey: model.CellKey{App: t.App, Env: t.Env},
				Problem: model.Problem{Source: SourceName, Message: notFound(e, t)},
			})
		}
		for _, d := range t.Declared {
			if lf, ok := inv.liveFacts(ws, d); ok {
				out.live[model.ImageKey{App: t.App, Env: t.Env, Image: d.Name}] = lf
			}
		}
		if c := inv.controllerFor(t, ws); c != nil {
			f := c.Facts
			f.Applied = s.applied(t.App, t.Env, f)
			out.controllers[model.CellKey{App: t.App, Env: t.Env}] = f
		}
	}
	return out
}

func notFound(e envClients, t Target) string {
	where := "all namespaces"
	if e.Namespace != "" {
		where = "namespace " + e.Namespace
	}
	var looked []string
	if t.Workload != "" {
		looked = append(looked, t.Workload)
	}
	for _, d := range t.Declared {
		if d.Workload != "" {
			looked = append(looked, d.Workload)
		}
		if d.AppLabel != "" {
			looked = append(looked, labelName+"="+d.AppLabel)
		}
	}
	if len(looked) == 0 {
		looked = append(looked, t.App, labelName+"="+t.App)
	}
	return fmt.Sprintf("context %q: no workload of %s found in %s (looked for %s)",
		e.Context, t.App, where, strings.Join(dedupe(looked), ", "))
}

// workloadsFor finds an app's workloads: by ferry.yaml's workload name,
// else by the workload or label Git declares, else by the app's name.
func (inv *inventory) workloadsFor(t Target) []workload {
	if t.Workload != "" {
		return inv.select_(func(w workload) bool { return named(w, t.Workload) })
	}
	var out []workload
	seen := map[string]bool{}
	add := func(ws []workload) {
		for _, w := range ws {
			if key := w.Namespace + "/" + w.id(); !seen[key] {
				seen[key] = true
				out = append(out, w)
			}
		}
	}
	for _, d := range t.Declared {
		if d.Workload != "" {
			add(inv.select_(func(w workload) bool { return named(w, d.Workload) }))
		}
	}
	for _, d := range t.Declared {
		if len(out) == 0 && d.AppLabel != "" {
			add(inv.select_(func(w workload) bool { return labelled(w, d.AppLabel) }))
		}
	}
	if len(out) == 0 {
		add(inv.select_(func(w workload) bool { return w.Name == t.App || labelled(w, t.App) }))
	}
	return out
}

func (inv *inventory) select_(keep func(workload) bool) []workload {
	var out []workload
	for _, w := range inv.workloads {
		if keep(w) {
			out = append(out, w)
		}
	}
	return out
}

// named matches "name" or "Kind/name".
func named(w workload, ref string) bool {
	if kind, name, ok := strings.Cut(ref, "/"); ok {
		return strings.EqualFold(kind, w.Kind) && name == w.Name
	}
	return ref == w.Name
}

func labelled(w workload, app string) bool {
	for _, set := range []map[string]string{w.Labels, w.TemplateLabels} {
		if set[labelName] == app || set[labelInstance] == app {
			return true
		}
	}
	return false
}

// liveFacts adds up what the workloads that run image d report: replicas,
// and pods per digest of the matching container.
func (inv *inventory) liveFacts(ws []workload, d model.Declared) (model.LiveFacts, bool) {
	lf := model.LiveFacts{Digests: map[string]int{}, RolloutComplete: true}
	found := false
	for _, w := range ws {
		c, ok := containerFor(w.Containers, d)
		if !ok {
			continue
		}
		found = true
		lf.Desired += w.Desired
		lf.Updated += w.Updated
		lf.Ready += w.Ready
		lf.Available += w.Available
		lf.RolloutComplete = lf.RolloutComplete && w.Complete
		if lf.SpecImage == "" {
			lf.SpecImage = c.Image
		}
		if lf.Version == "" {
			lf.Version = firstNonEmpty(w.Labels[labelVersion], w.TemplateLabels[labelVersion])
		}
		for _, p := range inv.podsOf(w) {
			if digest, ok := runningDigest(p, c.Name); ok {
				lf.Digests[digest]++
				noteReady(&lf, digest, p)
			}
		}
	}
	return lf, found
}

// noteReady keeps, per digest, when the last of its ready pods became ready.
func noteReady(lf *model.LiveFacts, digest string, p *corev1.Pod) {
	for _, c := range p.Status.Conditions {
		if c.Type != corev1.PodReady || c.Status != corev1.ConditionTrue || c.LastTransitionTime.IsZero() {
			continue
		}
		if at := c.LastTransitionTime.Time; at.After(lf.ReadyAt[digest]) {
			if lf.ReadyAt == nil {
				lf.ReadyAt = map[string]time.Time{}
			}
			lf.ReadyAt[digest] = at
		}
	}
}

// containerFor finds the container that runs a declared image: by
// container name, else by repository.
func containerFor(cs []corev1.Container, d model.Declared) (corev1.Container, bool) {
	for _, c := range cs {
		if c.Name == d.Name {
			return c, true
		}
	}
	for _, c := range cs {
		if ref, err := imageref.Parse(c.Image); err == nil && sameRepository(ref.Repository, d.Ref.Repository) {
			return c, true
		}
	}
	return corev1.Container{}, false
}

// runningDigest is the digest a pod's container reports; false while the
// container is not running (no imageID yet) or the pod has finished.
func runningDigest(p *corev1.Pod, container string) (string, bool) {
	if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
		return "", false
	}
	for _, list := range [][]corev1.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.Name == container && cs.ImageID != "" {
				return ParseImageID(cs.ImageID).Digest, true
			}
		}
	}
	return "", false
}

// sameRepository compares repositories the way a registry does: "nginx",
// "docker.io/library/nginx" and "index.docker.io/library/nginx" are one.
func sameRepository(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := imageref.Registry(a), imageref.Registry(b)
	return ra != "" && ra == rb && repoPath(a) == repoPath(b)
}

// repoPath is the repository without its registry host, with Docker Hub's
// implicit "library/" made explicit.
func repoPath(repo string) string {
	path := repo
	if first, rest, ok := strings.Cut(repo, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		path = rest
	}
	if imageref.Registry(repo) == "index.docker.io" && !strings.Contains(path, "/") {
		path = "library/" + path
	}
	return path
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

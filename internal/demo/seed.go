package demo

import (
	"time"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/ferryhq/ferry/model"
)

// seeder fills the clusters with what the plan says each one runs.
type seeder struct {
	builds  map[string][]build
	repoOf  func(app string) string
	repoURL string
	head    string // the commit every automated Application has synced
	// beforePending is what a manually synced Application last applied.
	beforePending string
}

// seed writes the objects of one environment into its cluster.
func (s seeder) seed(c *fakeCluster) error {
	ei := envIndex(c.env.Name)
	for ai, app := range appPlans {
		cp, ok := app.Cells[c.env.Name]
		if !ok {
			continue
		}
		objs, application := s.cellObjects(c, app, cp, formFor(ai, ei))
		for _, o := range objs {
			if err := c.kube.Tracker().Add(o); err != nil {
				return err
			}
		}
		if err := c.dyn.Tracker().Add(application); err != nil {
			return err
		}
	}
	return nil
}

// cellObjects are the Deployment, pods and Application of one cell, twisted
// as the plan says.
func (s seeder) cellObjects(c *fakeCluster, app appPlan, cp cellPlan, form idForm) ([]runtime.Object, runtime.Object) {
	repo := s.repoOf(app.Name)
	builds := s.builds[app.Name]
	declared := runningBuild(repo, builds[cp.Build], cp.TagOnly, form)
	other := runningBuild(repo, builds[cp.Other], false, form)
	status := appStatus{Sync: "Synced", Revision: s.head, Applied: s.head, Health: "Healthy",
		Phase: "Succeeded", At: epoch.Add(19 * 24 * time.Hour)}

	dep := newDeployment(app.Name, c.env.Name, app.Replicas, declared, 3)
	pods := make([]running, app.Replicas)
	for i := range pods {
		pods[i] = declared
	}
	switch cp.Twist {
	case drift:
		// `kubectl set image` bumps the generation; Argo CD, told to
		// ignore image differences, still says Synced.
		dep = newDeployment(app.Name, c.env.Name, app.Replicas, other, 4)
		for i := range pods {
			pods[i] = other
		}
	case pending:
		dep = newDeployment(app.Name, c.env.Name, app.Replicas, other, 3)
		for i := range pods {
			pods[i] = other
		}
		status.Sync, status.Applied = "OutOfSync", s.beforePending
	case rolling:
		// Paused half way: half the pods still run the previous build.
		dep.Spec.Paused = true
		half := app.Replicas / 2
		dep.Status.UpdatedReplicas = int32(app.Replicas - half)
		for i := 0; i < half; i++ {
			pods[i] = other
		}
		status.Health = "Suspended"
	}
	objs := []runtime.Object{dep}
	for i, r := range pods {
		started := epoch.Add(19*24*time.Hour + time.Duration(i)*time.Minute)
		objs = append(objs, newPod(app.Name, r, c.podSuffix(), started))
	}
	a := newApplication(app, c.env.Name, s.repoURL, cp.Twist != pending)
	setStatus(a, app.Name, status)
	return objs, a
}

// Planned returns the state the plan gives every cell of a fresh world,
// for tests that read the world through ferry (`ferry demo --status`).
func Planned() map[model.CellKey]model.State {
	out := map[model.CellKey]model.State{}
	for _, app := range appPlans {
		for _, env := range envPlans {
			out[model.CellKey{App: app.Name, Env: env.Name}] = plannedState(app, env.Name)
		}
	}
	return out
}

// plannedState is what the plan means a cell to show.
func plannedState(app appPlan, env string) model.State {
	cp, ok := app.Cells[env]
	switch {
	case envPlans[envIndex(env)].Forbidden:
		return model.StateError
	case !ok:
		return model.StateMissing
	case cp.Twist == drift:
		return model.StateDrift
	case cp.Twist == pending:
		return model.StatePending
	case cp.Twist == rolling:
		return model.StateRolling
	case app.Rebuilt && cp.Build == len(app.Versions)-1:
		return model.StateTagMoved
	}
	for _, up := range upstreams(env) {
		if u, ok := app.Cells[up]; ok && u.Build > cp.Build {
			return model.StateBehind
		}
	}
	return model.StateInSync
}

// upstreams are the environments env is promoted from, as ferry.yaml says:
// its after list, else the environment before it.
func upstreams(env string) []string {
	i := envIndex(env)
	switch {
	case len(envPlans[i].After) > 0:
		return envPlans[i].After
	case i > 0:
		return []string{envPlans[i-1].Name}
	}
	return nil
}

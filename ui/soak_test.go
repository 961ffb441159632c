package ui

import (
	"maps"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
)

// BenchmarkSoak runs the console through churn as the feed delivers it —
// 1,000 apps × 12 environments, 20,000 pods on 3 clusters of 4
// environments, a cluster snapshot with rollouts advancing most steps, a
// registry refresh of 500 references every 10th, a promotion of 20 apps
// every 50th (which the clusters then roll out) — drawing a frame after
// each. It reports the heap (after GC) before and after, and the slowest
// frame. A benchmark only; a soak of minutes is
//
//	go test -run '^$' -bench Soak -benchtime 3m ./ui
func BenchmarkSoak(b *testing.B) {
	s := newSoak(1000, 12)
	c := benchConsole(b, 0, 0, 200, 60)
	for _, u := range []model.Update{s.git, s.reg, s.cluster()} {
		send(c, u)
	}
	_ = c.View()
	before := heapInuse()
	var frames []time.Duration
	steps := 0
	for b.Loop() {
		send(c, s.next(steps))
		if steps%7 == 0 {
			c.grid.Move([]int{1, -1}[steps/7%2], 1) // someone at the keys
		}
		start := time.Now()
		_ = c.View()
		frames = append(frames, time.Since(start))
		steps++
	}
	after := heapInuse()
	b.ReportMetric(float64(before)/(1<<20), "heap-before-MiB")
	b.ReportMetric(float64(after)/(1<<20), "heap-after-MiB")
	// The median and the 99th percentile say what a user feels; the
	// slowest alone is often one GC pause.
	slices.Sort(frames)
	at := func(q float64) float64 { return float64(frames[int(q*float64(len(frames)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "p50-frame-ms")
	b.ReportMetric(at(0.99), "p99-frame-ms")
	b.ReportMetric(at(1), "slowest-frame-ms")
	b.ReportMetric(float64(s.pods), "pods")
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// soak is the churning world: what Git declares, what the registry
// answered, and what the clusters run, changed step by step.
type soak struct {
	git      model.GitUpdate
	reg      model.RegistryUpdate
	live     map[model.ImageKey]model.LiveFacts
	envs     map[string]model.ClusterProgress
	original []model.Declared
	rolling  map[model.ImageKey]string // rolling out to this digest
	pods     int
}

func newSoak(apps, envs int) *soak {
	git, reg, cl := synthetic(apps, envs)
	s := &soak{git: git, reg: reg, live: cl.Live, envs: cl.Envs,
		original: slices.Clone(git.Declared), rolling: map[model.ImageKey]string{}}
	for k, l := range s.live { // one or two replicas: 20,000 pods
		n := 2
		if (int(k.App[len(k.App)-1])+int(k.Env[len(k.Env)-1]))%3 == 0 {
			n = 1
		}
		for d := range l.Digests {
			l.Digests = map[string]int{d: n}
			break
		}
		l.Desired, l.Ready, l.Updated, l.Available, l.RolloutComplete = n, n, n, n, true
		s.live[k] = l
		s.pods += n
	}
	for i, e := range git.Environments { // three clusters, four environments each
		s.envs[e.Name] = model.ClusterProgress{Synced: true, Context: "cluster-" + strconv.Itoa(i/4)}
	}
	return s
}

// next is the feed's delivery at step i.
func (s *soak) next(i int) model.Update {
	switch {
	case i%50 == 0:
		return s.promote(i / 50)
	case i%10 == 5:
		return s.refresh(i / 10)
	default:
		return s.cluster()
	}
}

// promote brings 20 apps in one environment to their upstream's artifact,
// or back: a new commit, and rollouts for the clusters to run.
func (s *soak) promote(n int) model.GitUpdate {
	envs := s.git.Environments
	env := 1 + n%(len(envs)-1)
	declared := slices.Clone(s.git.Declared)
	for j := range 20 {
		a := (n*20 + j) % len(s.git.Apps)
		i, up := a*len(envs)+env, a*len(envs)+env-1
		if declared[i].Ref == s.original[i].Ref {
			declared[i].Ref = s.original[up].Ref
		} else {
			declared[i].Ref = s.original[i].Ref
		}
		s.rolling[model.ImageKey{App: declared[i].App, Env: declared[i].Env, Image: "api"}] = declared[i].Ref.Digest
	}
	s.git.Declared, s.git.Commit = declared, "commit-"+strconv.Itoa(n)
	return s.git
}

// refresh answers 500 references again, as a registry round does.
func (s *soak) refresh(n int) model.RegistryUpdate {
	facts := map[string]model.RegistryFacts{}
	for j := range 500 {
		d := s.original[(n*500+j)%len(s.original)]
		facts[d.Ref.String()] = s.reg.Facts[d.Ref.String()]
	}
	return model.RegistryUpdate{Facts: facts, Done: len(facts), Total: len(facts)}
}

// cluster is a new snapshot of every cluster with each rollout one pod on.
func (s *soak) cluster() model.ClusterUpdate {
	live := maps.Clone(s.live)
	for k, to := range s.rolling {
		l := live[k]
		digests := maps.Clone(l.Digests)
		for d, n := range digests {
			if d != to && n > 0 {
				digests[d]--
				if digests[d] == 0 {
					delete(digests, d)
				}
				digests[to]++
				break
			}
		}
		l.Digests, l.Updated = digests, digests[to]
		l.RolloutComplete = digests[to] == l.Desired
		if l.RolloutComplete {
			delete(s.rolling, k)
		}
		live[k] = l
	}
	s.live = live
	return model.ClusterUpdate{Live: live, Envs: s.envs}
}

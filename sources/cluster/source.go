// Package cluster reads what the Kubernetes clusters actually run: the
// workloads of each app in each environment, the digests their pods report,
// rollout progress, and what the GitOps controller (Argo CD, Flux) says. It
// only ever gets, lists and watches: ferry never writes to a cluster.
//
// List reads once with paginated lists (ferry status); Watch keeps shared
// informers per environment and publishes a fresh Snapshot on every change.
// Both turn the same objects into the same model facts.
package cluster

import (
	"io"
	"strings"
	"sync"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/klog/v2"

	"github.com/ferryhq/ferry/model"
)

// SourceName is the Problem.Source of everything this package reports.
const SourceName = "cluster"

// Options configure a Source.
type Options struct {
	// Kubeconfig is --kubeconfig; "" uses KUBECONFIG (a merged list) or
	// ~/.kube/config, as kubectl does.
	Kubeconfig string
	// Environments name a context and namespace per environment; either
	// may be empty.
	Environments model.Environments
	// Applied decides whether the controller's revision (a Git commit
	// hash) already contains the Git commit that declares this cell. nil,
	// or a revision that is no commit (a chart version): Applied = Synced.
	Applied func(app, env, revision string) bool
	// Logf receives diagnostics; nothing is ever written to stdout/stderr.
	Logf func(format string, args ...any)
	// Asked: the user asked for the clusters (--sources cluster), so an
	// environment no context matches is a problem on its column, not a
	// line in the log.
	Asked bool
}

// Clients are the API clients of one environment.
type Clients struct {
	Kube    kubernetes.Interface
	Dynamic dynamic.Interface // nil: no GitOps controllers or Rollouts are read
	Context string
	// Namespace limits reads to one namespace; "" reads all namespaces.
	Namespace string

	reach *reachability // set by New: whether the context's server answers
}

// Target is one app in one environment, as Git declares it.
type Target struct {
	App, Env string
	// Workload is ferry.yaml's apps[].workload: "name" or "Kind/name".
	Workload string
	// Declared are the app's images there; Name is the container (or values
	// key), Workload and AppLabel tell how Git deploys it.
	Declared []model.Declared
}

// Snapshot is everything the clusters said, as model facts.
type Snapshot struct {
	Live        map[model.ImageKey]model.LiveFacts
	Controllers map[model.CellKey]model.ControllerFacts
	// Problems have Source "cluster", name the context, and sit on the
	// environment column or the cells they concern.
	Problems []model.CellProblem
	// Contexts maps environment → kubeconfig context chosen for it.
	Contexts map[string]string
	// Envs says, per environment with a cluster, whether it has answered:
	// read (Synced) or failing with a problem. A reader that needs every
	// answer (ferry status) waits until each is one or the other.
	Envs map[string]model.ClusterProgress
}

// Source reads the clusters of all environments, one client per context.
type Source struct {
	opts Options
	envs []envClients
	// keepFields turns the informer transform off; only the memory
	// benchmark sets it, to measure what the transform saves.
	keepFields bool
}

// envClients are the clients of one environment, in environment order.
type envClients struct {
	env string
	Clients
}

// NewFromClients builds a Source over given clients per environment (fake
// clientsets in the demo world and in unit tests); it runs the same code as
// a Source from New.
func NewFromClients(o Options, clients map[string]Clients) *Source {
	silenceKlog()
	s := &Source{opts: o}
	for _, name := range envOrder(o.Environments, clients) {
		s.envs = append(s.envs, envClients{env: name, Clients: clients[name]})
	}
	return s
}

// envOrder lists the environments that have clients: configured order
// first, then the rest by name.
func envOrder(envs model.Environments, clients map[string]Clients) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range envs {
		if _, ok := clients[e.Name]; ok {
			out = append(out, e.Name)
			seen[e.Name] = true
		}
	}
	var rest []string
	for name := range clients {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sortStrings(rest)
	return append(out, rest...)
}

// Contexts returns environment → context for the environments with a
// cluster.
func (s *Source) Contexts() map[string]string {
	out := map[string]string{}
	for _, e := range s.envs {
		out[e.env] = e.Context
	}
	return out
}

func (s *Source) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// applied decides Applied for a controller's revision. Only a Git commit
// can be compared with Git history; a HelmRelease's chart version (or an
// OCI digest) cannot, and then the controller's own Synced is the answer.
func (s *Source) applied(app, env string, f model.ControllerFacts) bool {
	if s.opts.Applied == nil || !looksLikeCommit(f.Revision) {
		return f.Synced
	}
	return s.opts.Applied(app, env, f.Revision)
}

// looksLikeCommit accepts 7 to 64 lowercase hex digits (SHA-1 or SHA-256).
func looksLikeCommit(rev string) bool {
	if len(rev) < 7 || len(rev) > 64 {
		return false
	}
	for _, c := range rev {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

var klogOnce sync.Once

// silenceKlog keeps client-go from writing to the terminal: anything printed
// while the TUI runs corrupts the screen.
func silenceKlog() {
	klogOnce.Do(func() {
		klog.SetOutput(io.Discard)
		klog.LogToStderr(false)
	})
}

package cluster

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/model"
)

// Client rate limits: client-go's 5/10 made 80 requests take 14 s
// (kubernetes/client-go#564); k9s uses 50/100 too.
const (
	defaultQPS   = 50
	defaultBurst = 100
)

// loadKubeconfig reads the kubeconfig as kubectl does: path, else
// $KUBECONFIG's files merged, else ~/.kube/config.
func loadKubeconfig(path string) (*clientcmd.ClientConfigLoadingRules, *clientcmdapi.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = path
	raw, err := rules.Load()
	return rules, raw, err
}

// ContextNames lists the kubeconfig's contexts, sorted (for shell
// completion), read by the same rules as New.
func ContextNames(kubeconfig string) ([]string, error) {
	_, raw, err := loadKubeconfig(kubeconfig)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(raw.Contexts))
	for name := range raw.Contexts {
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// New reads the kubeconfig with kubectl's rules, picks a context per
// environment, and builds one client per context, shared by every
// environment that uses it. Problems sit on the environment columns.
func New(o Options) (*Source, []model.CellProblem) {
	silenceKlog()
	s := &Source{opts: o}
	rules, raw, err := loadKubeconfig(o.Kubeconfig)
	if err != nil {
		msg := "cannot read the kubeconfig: " + err.Error()
		return s, []model.CellProblem{{Problem: model.Problem{Source: SourceName, Message: msg}}}
	}
	var problems []model.CellProblem
	perContext := map[string]Clients{}
	for _, env := range o.Environments {
		ctxName, problem := chooseContext(env, raw)
		if problem != "" {
			problems = append(problems, envProblem(env.Name, problem))
			continue
		}
		if ctxName == "" {
			s.logf("cluster: no kubeconfig context for environment %s; its cluster is not read", env.Name)
			if o.Asked {
				problems = append(problems, envProblem(env.Name, noContext(env.Name, raw)))
			}
			continue
		}
		if env.Kube.Context == "" {
			s.logf("cluster: environment %s uses kubeconfig context %q (name it in ferry.yaml to choose another)", env.Name, ctxName)
		}
		c, ok := perContext[ctxName]
		if !ok {
			if c, err = clientsFor(raw, ctxName, rules); err != nil {
				problems = append(problems, envProblem(env.Name, fmt.Sprintf("context %q: %v", ctxName, err)))
				continue
			}
			perContext[ctxName] = c
		}
		c.Namespace = env.Kube.Namespace
		if kc := raw.Contexts[ctxName]; c.Namespace == "" && kc != nil {
			c.Namespace = kc.Namespace // as kubectl does: the context's own namespace
		}
		s.envs = append(s.envs, envClients{env: env.Name, Clients: c})
	}
	return s, problems
}

// noContext says that no context matches, and which there are.
func noContext(env string, raw *clientcmdapi.Config) string {
	names := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	have := "the kubeconfig has none"
	if len(names) > 0 {
		have = "the kubeconfig has " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("no kubeconfig context matches environment %s (%s): name one in ferry.yaml (environments[].kube.context)", env, have)
}

// chooseContext returns the context for an environment: the one ferry.yaml
// names, else one named like the environment, else one whose name contains
// it as a word, else one containing it at all. Several equally good
// candidates are a problem: reading the wrong cluster would show false truth.
func chooseContext(env model.Environment, raw *clientcmdapi.Config) (string, string) {
	if name := env.Kube.Context; name != "" {
		if _, ok := raw.Contexts[name]; !ok {
			return "", fmt.Sprintf("context %q (named in ferry.yaml, --context or the user config's cluster.contexts) is not in the kubeconfig", name)
		}
		return name, ""
	}
	if _, ok := raw.Contexts[env.Name]; ok {
		return env.Name, ""
	}
	names := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, match := range []func(string) bool{
		func(n string) bool { return containsWord(n, env.Name) },
		func(n string) bool { return strings.Contains(strings.ToLower(n), strings.ToLower(env.Name)) },
	} {
		var found []string
		for _, n := range names {
			if match(n) {
				found = append(found, n)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], ""
		default:
			return "", fmt.Sprintf("several kubeconfig contexts match environment %s (%s); name one in ferry.yaml",
				env.Name, strings.Join(found, ", "))
		}
	}
	return "", ""
}

// containsWord reports whether word appears in name between separators, as
// "prod" does in "gke_shop_prod" but not in "production".
func containsWord(name, word string) bool {
	fields := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return strings.ContainsRune("-_./:@", r)
	})
	w := strings.FieldsFunc(strings.ToLower(word), func(r rune) bool {
		return strings.ContainsRune("-_./:@", r)
	})
	for i := 0; i+len(w) <= len(fields) && len(w) > 0; i++ {
		if strings.Join(fields[i:i+len(w)], "/") == strings.Join(w, "/") {
			return true
		}
	}
	return false
}

// clientsFor builds the clients of one context. One rest.Config per context
// is reused, so an exec credential plugin runs once, not once per client.
func clientsFor(raw *clientcmdapi.Config, ctxName string, rules *clientcmd.ClientConfigLoadingRules) (Clients, error) {
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, ctxName, &clientcmd.ConfigOverrides{}, rules).ClientConfig()
	if err != nil {
		return Clients{}, err
	}
	tune(cfg)
	// A server that accepts and never answers ends within netwait's
	// deadlines, whatever client-go's own are.
	wait := netwait.Current()
	reach := &reachability{}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return &observingTransport{next: wait.Bound(rt), seen: reach}
	})
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return Clients{}, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return Clients{}, err
	}
	return Clients{Kube: kube, Dynamic: dyn, Context: ctxName, reach: reach}, nil
}

// tune raises the client-side rate limits unless they are already set, and
// keeps API warnings and credential prompts off the terminal.
func tune(cfg *rest.Config) {
	if cfg.QPS == 0 {
		cfg.QPS = defaultQPS
	}
	if cfg.Burst == 0 {
		cfg.Burst = defaultBurst
	}
	cfg.UserAgent = "ferry"
	cfg.WarningHandler = rest.NoWarnings{}
	if cfg.ExecProvider != nil {
		// A credential plugin must not prompt on the terminal the TUI owns;
		// its failure becomes a problem on the environment instead.
		exec := *cfg.ExecProvider
		exec.StdinUnavailable = true
		exec.StdinUnavailableMessage = "ferry cannot prompt for credentials; log in with the plugin first (for example by running kubectl)"
		cfg.ExecProvider = &exec
	}
}

func envProblem(env, msg string) model.CellProblem {
	return model.CellProblem{CellKey: model.CellKey{Env: env}, Problem: model.Problem{Source: SourceName, Message: msg}}
}

func sortStrings(s []string) { sort.Strings(s) }

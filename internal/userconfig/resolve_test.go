package userconfig

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// layers maps "key" → text for one fake layer.
type layers map[string]string

func (l layers) lookup(where string) Lookup {
	return func(s Setting) (string, string, bool) {
		v, ok := l[s.Key]
		return v, where, ok
	}
}

// TestPrecedence is the precedence table: flag > FERRY_* > ferry.yaml >
// user config > default, for every combination that matters.
func TestPrecedence(t *testing.T) {
	cases := []struct {
		name                  string
		flag, env, repo, user string // "" = this layer does not set it
		want                  string
		from                  Layer
	}{
		{name: "nothing set: the default", want: "30s", from: Default},
		{name: "user config alone", user: "1m", want: "1m0s", from: User},
		{name: "ferry.yaml beats the user config", repo: "2m", user: "1m", want: "2m0s", from: Repo},
		{name: "environment beats ferry.yaml", env: "3m", repo: "2m", user: "1m", want: "3m0s", from: Env},
		{name: "flag beats everything", flag: "4m", env: "3m", repo: "2m", user: "1m", want: "4m0s", from: Flag},
		{name: "flag beats the user config", flag: "4m", user: "1m", want: "4m0s", from: Flag},
		{name: "environment beats the user config", env: "3m", user: "1m", want: "3m0s", from: Env},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			got := fs.Duration("fetch-interval", 30*time.Second, "")
			var args []string
			if tc.flag != "" {
				args = []string{"--fetch-interval", tc.flag}
			}
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			r := Resolve(fs)
			env := map[string]string{}
			if tc.env != "" {
				env["FERRY_FETCH_INTERVAL"] = tc.env
			}
			// The repo layer comes last, as it does when ferry opens the repo.
			apply(t, r, Env, EnvLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok }))
			apply(t, r, User, only(tc.user).lookup("config.yaml:2"))
			apply(t, r, Repo, only(tc.repo).lookup("ferry.yaml"))
			if got.String() != tc.want || r.Origin("fetch_interval").Layer != tc.from {
				t.Errorf("fetch interval = %s from %v, want %s from %v", got, r.Origin("fetch_interval"), tc.want, tc.from)
			}
		})
	}
}

func only(v string) layers {
	if v == "" {
		return layers{}
	}
	return layers{"fetch_interval": v}
}

func apply(t *testing.T, r *Resolved, l Layer, look Lookup) {
	t.Helper()
	if err := r.Apply(l, look); err != nil {
		t.Fatal(err)
	}
}

// The repo's ferry.yaml sets only what a team may decide for everyone.
func TestRepoLayerSetsOnlyRepoSettings(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	theme := fs.String("theme", "", "")
	readOnly := fs.Bool("read-only", false, "")
	r := Resolve(fs)
	apply(t, r, Repo, layers{"theme": "colorblind", "read_only": "true"}.lookup("ferry.yaml"))
	if *theme != "" || !*readOnly || r.Origin("read_only").Where != "ferry.yaml" {
		t.Errorf("theme %q read-only %v (%v)", *theme, *readOnly, r.Origin("read_only"))
	}
}

func TestAWrongValueNamesWhereItCameFrom(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.Int("registry-concurrency", 16, "")
	err := Resolve(fs).Apply(Env, EnvLookup(func(string) (string, bool) { return "many", true }))
	if err == nil || err.Error() != `FERRY_REGISTRY_CONCURRENCY: registry.concurrency: "many" is not a whole number` {
		t.Errorf("err = %v", err)
	}
}

func TestParseSettings(t *testing.T) {
	c, problems := Parse("config.yaml", []byte(`repo: ~/gitops
fetch_interval: soon
read_only: true
registry:
  concurrency: 4
  insecure: [localhost:5000]
  mirror: x
cluster:
  kubeconfig: /k/config
  contexts: {prod-eu: gke-prod-eu}
`))
	if !strings.HasSuffix(c.Value("repo"), "/gitops") || strings.HasPrefix(c.Value("repo"), "~") {
		t.Errorf("repo = %q, want ~ expanded", c.Value("repo"))
	}
	if c.Value("read_only") != "true" || c.Value("registry.concurrency") != "4" || c.Value("cluster.kubeconfig") != "/k/config" {
		t.Errorf("values = %v", c.values)
	}
	if !c.IsInsecure("localhost:5000") || c.Contexts["prod-eu"] != "gke-prod-eu" {
		t.Errorf("insecure %v contexts %v", c.Insecure, c.Contexts)
	}
	want := []string{
		`config.yaml:2: fetch_interval: "soon" is not a duration such as 30s or 5m: the setting is ignored`,
		`config.yaml:7: unknown setting "registry.mirror" (known: concurrency, insecure)`,
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	if text, where, ok := c.Lookup(Settings[3]); text != "true" || where != "config.yaml:3" || !ok {
		t.Errorf("lookup read_only = %q %q %v", text, where, ok)
	}
}

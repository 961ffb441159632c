package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodConfig = `# ferry.yaml
environments:
  - name: dev
    kube: {context: kind-dev, namespace: shop}
  - name: staging
  - name: prod-eu
    after: [staging]
    protected: true
  - name: prod-us
    after: [staging]
    protected: true
apps:
  - name: search
    images: [api]
    paths:
      dev: environments/dev/search
      prod-eu: environments/prod-eu/search
    workload: search-api
registries:
  "localhost:5000": {insecure: true}
`

func TestParseConfig(t *testing.T) {
	cfg, problems := ParseConfig([]byte(goodConfig))
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	envs := cfg.EnvironmentList()
	if got := envs.Names(); !reflect.DeepEqual(got, []string{"dev", "staging", "prod-eu", "prod-us"}) {
		t.Fatalf("environments = %v", got)
	}
	if up := envs[1].Upstream; !reflect.DeepEqual(up, []string{"dev"}) {
		t.Errorf("staging upstream = %v", up)
	}
	if up := envs[3].Upstream; !reflect.DeepEqual(up, []string{"staging"}) {
		t.Errorf("prod-us upstream = %v (fan-out from staging)", up)
	}
	if envs[0].Kube != (KubeTarget{Context: "kind-dev", Namespace: "shop"}) || !envs[2].Protected {
		t.Errorf("kube/protected not read: %+v", envs)
	}
	if !cfg.Insecure("localhost:5000") || cfg.Insecure("ghcr.io") {
		t.Errorf("insecure registries wrong: %+v", cfg.Registries)
	}
	if app, ok := cfg.App("search"); !ok || app.Workload != "search-api" {
		t.Errorf("app = %+v", app)
	}
}

func TestParseConfigProblems(t *testing.T) {
	tests := []struct {
		name, yaml string
		line       int
		contains   string
	}{
		{"unknown top-level key", "environmnts:\n  - name: dev\n", 1, `unknown key "environmnts"`},
		{"unknown env key", "environments:\n  - name: dev\n    contxt: x\n", 3, `unknown key "contxt"`},
		{"unknown kube key", "environments:\n  - name: dev\n    kube: {ctx: a}\n", 3, `unknown key "ctx"`},
		{"unknown env in paths", "environments:\n  - name: dev\napps:\n  - name: a\n    paths: {prod: x}\n", 4, `unknown environment "prod"`},
		{"after an unlisted env", "environments:\n  - name: dev\n    after: [qa]\n", 2, `not listed before it`},
		{"duplicate env", "environments:\n  - name: dev\n  - name: dev\n", 3, "listed twice"},
		{"broken yaml", "environments: [\n", 0, "not valid YAML"},
		{"wrong type", "environments: 3\n", 1, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := ParseConfig([]byte(tt.yaml))
			if len(problems) == 0 {
				t.Fatal("no problem reported")
			}
			p := problems[0]
			if p.File != ConfigFile || !strings.Contains(p.Message, tt.contains) || (tt.line > 0 && p.Line != tt.line) {
				t.Errorf("problem = %+v; want file %s line %d containing %q", p, ConfigFile, tt.line, tt.contains)
			}
		})
	}
}

func TestParseConfigKeepsTheRest(t *testing.T) {
	cfg, problems := ParseConfig([]byte("bogus: 1\nenvironments:\n  - name: dev\n"))
	if len(problems) != 1 || len(cfg.Environments) != 1 {
		t.Fatalf("problems %v, environments %v", problems, cfg.Environments)
	}
}

func TestAfterEmptyMeansNoUpstreamAndAliasesAreKept(t *testing.T) {
	cfg, problems := ParseConfig([]byte("environments:\n  - name: dev\n  - name: lab\n    after: []\n  - name: prod\n    aliases: [production]\n    ref: env/prod\n"))
	envs := cfg.EnvironmentList()
	if len(problems) > 0 || len(envs) != 3 || len(envs[1].Upstream) != 0 || len(envs[2].Upstream) != 1 ||
		envs[2].Ref != "env/prod" || len(envs[2].Aliases) != 1 {
		t.Fatalf("envs %+v problems %v", envs, problems)
	}
	if env, ok := cfg.Alias("production"); !ok || env != "prod" {
		t.Errorf("Alias(production) = %q %v", env, ok)
	}
}

func TestAnEnvironmentListedTwiceIsOneColumn(t *testing.T) {
	cfg, problems := ParseConfig([]byte("environments:\n  - name: dev\n  - name: prod\n  - name: dev\n    protected: true\n"))
	envs := cfg.EnvironmentList()
	if got := envs.Names(); len(got) != 2 || got[0] != "dev" || got[1] != "prod" {
		t.Errorf("environments %v, want dev, prod", got)
	}
	if e, _ := envs.Get("dev"); e.Protected {
		t.Error("the second entry of dev was used, not the first")
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Message, `environment "dev" is listed twice: the first entry is used`) || problems[0].Line != 4 {
		t.Errorf("problems %+v", problems)
	}
}

// One wrongly typed field drops that field, not the file; errors carry
// their line (issue 12's silent drops and wrong words).
func TestAWronglyTypedFieldDropsOnlyItself(t *testing.T) {
	cfg, problems := ParseConfig([]byte("environments:\n  - name: dev\n  - name: prod\n    protected: maybe\nregistries:\n  r.example:\n    insecure: true\n"))
	if got := cfg.EnvironmentList().Names(); len(got) != 2 || !cfg.Insecure("r.example") {
		t.Errorf("environments %v, insecure %v: the rest of the file must be used", got, cfg.Insecure("r.example"))
	}
	if len(problems) != 1 || problems[0].Line != 4 || !strings.Contains(problems[0].Message, "this field is ignored, the rest is used") {
		t.Errorf("problems %+v", problems)
	}
	_, problems = ParseConfig([]byte("environments:\n  - name: dev\n  - name: prod: eu\n"))
	if len(problems) != 1 || problems[0].Line != 3 || !strings.HasPrefix(problems[0].Message, "not valid YAML: ") {
		t.Errorf("a syntax error on line 3: %+v", problems)
	}
}

// The console settings a team may set for everyone on the repo.
func TestConsoleSettings(t *testing.T) {
	cfg, problems := ParseConfig([]byte("read_only: true\nfetch_interval: 5m\npull_requests: true\n"))
	if len(problems) != 0 || cfg.ReadOnly == nil || !*cfg.ReadOnly || cfg.FetchInterval != 5*time.Minute ||
		cfg.PullRequests == nil || !*cfg.PullRequests {
		t.Errorf("cfg %+v, problems %+v", cfg, problems)
	}
	cfg, problems = ParseConfig([]byte("fetch_interval: soon\n"))
	if len(problems) != 1 || problems[0].Line != 1 || cfg.FetchInterval != 0 {
		t.Errorf("a wrong duration: cfg %+v, problems %+v", cfg, problems)
	}
}

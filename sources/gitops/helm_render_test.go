package gitops

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// Charts in the repo are rendered: the declared images are those of the
// manifests, each written where the values scalar that produces it is.
func TestReadRenderedCharts(t *testing.T) {
	res := Read(readFixture(t, "helm-rendered"))
	checkCells(t, res.Declared, []cell{
		// A tag-only key: the template hard-codes the repository.
		{"web", "dev", "web", "ghcr.io/acme/web:2.1.0", "envs/dev/web/values.yaml", 1, helmValues},
		{"web", "prod", "web", "ghcr.io/acme/web:2.0.0", "envs/prod/web/values.yaml", 0, helmValues},
		// A sidecar no values key reaches: declared, read-only.
		{"web", "dev", "proxy", "envoyproxy/envoy:v1.30", "charts/web/templates/deployment.yaml", 14, model.KindHelmTemplate},
		{"web", "prod", "proxy", "envoyproxy/envoy:v1.30", "charts/web/templates/deployment.yaml", 14, model.KindHelmTemplate},
		// A remote chart with a copy in the repo: rendered with the copy.
		{"web", "staging", "web", "ghcr.io/acme/web:2.0.5", "argocd/web-staging.yaml", 13, model.KindArgoHelmParameter},
		{"web", "staging", "proxy", "envoyproxy/envoy:v1.30", "charts/web/templates/deployment.yaml", 14, model.KindHelmTemplate},
		// chart/ is a chart folder, not a layout word; env-first file names.
		{"billing", "qa", "billing", "ghcr.io/acme/billing:5.1.0", "chart/values-qa.yaml", 2, helmValues},
		{"billing", "staging", "billing", "ghcr.io/acme/billing:5.0.2", "chart/staging-values.yaml", 2, helmValues},
		// redis.repository + redis.tag: the tag from a ConfigMap of values.
		{"cache", "prod", "redis", "mirror.example.org/library/redis:7.2.5", "clusters/prod/cache-values.yaml", 9, model.KindFluxValuesFrom},
		// A remote chart without a copy, its image under its own name.
		{"queue", "prod", "rabbitmq", "docker.io/bitnami/rabbitmq:3.13.1", "clusters/prod/queue.yaml", 18, model.KindFluxHelmRelease},
		// A remote chart without a copy: values read as before.
		{"other", "staging", "other", "ghcr.io/acme/other:3.0.1", "argocd/other-staging.yaml", 14, model.KindArgoHelmValues},
	})
	byCell := map[string]model.Declared{}
	for _, d := range res.Declared {
		byCell[d.App+"/"+d.Env+"/"+d.Name] = d
	}
	dev := byCell["web/dev/web"]
	if dev.Location.FieldPaths["tag"] != "imageVersion" || dev.Location.Fields["tag"] != (model.Position{Line: 1, Column: 15}) ||
		dev.ReadOnly != "" || dev.Workload != "Deployment/web" {
		t.Errorf("web/dev: %+v", dev)
	}
	prod := byCell["web/prod/web"]
	if prod.Inherited != "charts/web/values.yaml" || prod.Location.FieldPaths["tag"] != "imageVersion" {
		t.Errorf("web/prod: inherited %q field paths %v", prod.Inherited, prod.Location.FieldPaths)
	}
	if proxy := byCell["web/dev/proxy"]; !strings.Contains(proxy.ReadOnly, "charts/web/templates/deployment.yaml") {
		t.Errorf("proxy read-only %q", proxy.ReadOnly)
	}
	if n := byCell["web/staging/web"].Note; !strings.Contains(n, "copy in charts/web") {
		t.Errorf("staging note %q", n)
	}
	if n := byCell["queue/prod/rabbitmq"].Note; !strings.Contains(n, "chart rabbitmq 14.0.0 from HelmRepository bitnami is not in this repo") {
		t.Errorf("queue note %q", n)
	}
	if n := byCell["other/staging/other"].Note; !strings.Contains(n, "not in this repo") {
		t.Errorf("other note %q", n)
	}
	cache := byCell["cache/prod/redis"]
	if cache.Location.FieldPaths["tag"] != "data.values.yaml|redis.tag" || cache.Location.Fields["repository"] != (model.Position{}) {
		t.Errorf("cache: %+v", cache.Location)
	}
	// A bad template is a problem naming the chart, the template and the line.
	if len(res.Problems) != 1 {
		t.Fatalf("problems:\n%s", problemsText(res.Problems))
	}
	p := res.Problems[0]
	if p.App != "broken" || p.Env != "dev" || p.File != "charts/broken/templates/deployment.yaml" || p.Line != 10 ||
		!strings.Contains(p.Message, "chart charts/broken does not render") || !strings.Contains(p.Message, "nil pointer") {
		t.Errorf("problem [%s/%s] %s", p.App, p.Env, p.Problem.Error())
	}
}

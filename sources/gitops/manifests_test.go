package gitops

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestReadPlainManifests(t *testing.T) {
	const m = model.KindManifest
	res := Read(readFixture(t, "manifests"))
	checkCells(t, res.Declared, []cell{
		{"search", "dev", "migrate", "ghcr.io/shop/search-migrate:v0.9.0", "envs/dev/search.yaml", 17, m},
		{"search", "dev", "api", "ghcr.io/shop/search-api:v0.9.0", "envs/dev/search.yaml", 20, m},
		{"search", "dev", "sidecar", "docker.io/envoyproxy/envoy@sha256:2222222222222222222222222222222222222222222222222222222222222222", "envs/dev/search.yaml", 22, m},
		{"search", "prod", "migrate", "ghcr.io/shop/search-migrate:v0.8.0", "envs/prod/search.yaml", 12, m},
		{"search", "prod", "api", "ghcr.io/shop/search-api:v0.8.0", "envs/prod/search.yaml", 15, m},
		{"search", "prod", "web", "ghcr.io/shop/search-web:v0.8.0", "envs/prod/search.yaml", 28, m},   // Argo Rollout
		{"reindex", "prod", "reindex", "ghcr.io/shop/reindex:1.4.2", "envs/prod/jobs.yaml", 13, m},    // CronJob, env suffix stripped
		{"backfill", "prod", "backfill", "ghcr.io/shop/backfill:0.1.0", "envs/prod/jobs.yaml", 24, m}, // Job
		{"node-agent", "prod", "agent", "quay.io/acme/node-agent:3.0", "envs/prod/infra.yaml", 10, m}, // DaemonSet
		{"redis", "prod", "redis", "redis:7.2", "envs/prod/infra.yaml", 24, m},                        // StatefulSet, template label
	})
	for _, d := range res.Declared {
		if d.Env == "dev" && d.Name == "api" {
			if d.Location.Setter != `{"$imagepolicy": "flux-system:search-api"}` {
				t.Errorf("setter = %q", d.Location.Setter)
			}
			if d.Workload != "Deployment/search-api" || d.AppLabel != "search" {
				t.Errorf("workload %q label %q", d.Workload, d.AppLabel)
			}
			if d.Location.Path != "spec.template.spec.containers[0].image" {
				t.Errorf("path %q", d.Location.Path)
			}
		}
		if d.Name == "reindex" && d.Location.Path != "spec.jobTemplate.spec.template.spec.containers[0].image" {
			t.Errorf("cronjob path %q", d.Location.Path)
		}
	}
}

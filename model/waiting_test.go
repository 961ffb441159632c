package model

import (
	"strings"
	"testing"
)

func TestWaitingNamesTheSourcesNotYetAnswered(t *testing.T) {
	envs := Environments{{Name: "dev"}, {Name: "prod"}}
	p := Progress{Expect: SourcesUpdate{Registry: true, Clusters: true}}
	if got := strings.Join(p.Waiting(envs), ", "); got != "git, registry, clusters" {
		t.Errorf("before anything answered: %q", got)
	}
	p.Git.Read = true
	p.Registry = RegistryProgress{Asked: true, Done: 140, Total: 300}
	p.Clusters = map[string]ClusterProgress{"dev": {Synced: true}, "prod": {Context: "prod-1"}}
	if got := strings.Join(p.Waiting(envs), ", "); got != "registry (140/300), cluster prod (context prod-1)" {
		t.Errorf("midway: %q", got)
	}
	p.Registry.Done = 300
	p.Clusters["prod"] = ClusterProgress{Failing: true}
	if got := p.Waiting(envs); len(got) != 0 {
		t.Errorf("every source answered, still waiting for %v", got)
	}
}

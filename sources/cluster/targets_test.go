package cluster_test

import (
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

func TestTargetsGroupsByCell(t *testing.T) {
	decls := []model.Declared{
		{App: "shop", Env: "dev", Name: "api"}, {App: "shop", Env: "prod", Name: "api"},
		{App: "shop", Env: "dev", Name: "worker"}, {App: "blog", Env: "dev", Name: "web"},
	}
	got := cluster.Targets(decls, []model.AppConfig{{Name: "shop", Workload: "Deployment/shop"}})
	if len(got) != 3 {
		t.Fatalf("targets = %+v", got)
	}
	if got[0].App != "shop" || got[0].Env != "dev" || len(got[0].Declared) != 2 || got[0].Workload != "Deployment/shop" {
		t.Errorf("first target = %+v", got[0])
	}
	if got[2].App != "blog" || got[2].Workload != "" {
		t.Errorf("last target = %+v", got[2])
	}
}

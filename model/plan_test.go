package model

import "testing"

func TestPlanStagesOneChangePerImageAndNamesItself(t *testing.T) {
	var p Plan
	p.Stage(Change{Kind: Promote, App: "checkout", Env: "prod-eu", Image: "api", FromEnv: "staging", To: Identity{Version: "2.7.0"}})
	p.Stage(Change{Kind: Promote, App: "checkout", Env: "prod-eu", Image: "api", FromEnv: "staging", To: Identity{Version: "2.7.1"}})
	if len(p.Changes) != 1 || p.Subject() != "promote checkout 2.7.1 to prod-eu" {
		t.Errorf("plan = %+v, subject %q", p.Changes, p.Subject())
	}
	p.Stage(Change{Kind: Promote, App: "cart", Env: "prod-eu", Image: "api", FromEnv: "staging", To: Identity{Tag: "1.4.0"}})
	if got := p.Subject(); got != "release staging → prod-eu: 2 apps" {
		t.Errorf("train subject = %q", got)
	}
	if n := p.Unstage("cart", "prod-eu"); n != 1 || len(p.Of("checkout", "prod-eu")) != 1 {
		t.Errorf("unstage dropped %d, left %+v", n, p.Changes)
	}
	rb := Change{Kind: Rollback, App: "checkout", Env: "prod-eu", To: Identity{Digest: "sha256:0123456789abcdef0123"}}
	if got := rb.Summary(); got != "roll back checkout in prod-eu to sha256:0123456789ab" {
		t.Errorf("rollback summary = %q", got)
	}
}

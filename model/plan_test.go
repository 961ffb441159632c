package model

import (
	"errors"
	"strings"
	"testing"
)

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

func TestPromotionPinsUpstreamsDigestAndKeepsItsTag(t *testing.T) {
	w := twoEnvWorld()
	g := w.Grid()
	changes, err := g.Promotion("search", "prod", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 {
		t.Fatalf("changes = %+v", changes)
	}
	c := changes[0]
	if c.To.Tag != "v2" || c.To.Digest != dOther || c.To.Version != "2.0.0" || c.From.Tag != "v1" || c.From.Digest != dIndex {
		t.Errorf("change = %+v", c)
	}
	if c.Summary() != "promote search 2.0.0 to prod" || c.Location.File != "environments/prod/search/values.yaml" {
		t.Errorf("summary %q, location %+v", c.Summary(), c.Location)
	}
	if _, err := g.Promotion("search", "dev", "dev"); !errors.Is(err, ErrNothingToDo) {
		t.Errorf("promoting a cell onto itself: %v", err)
	}
	w.Registry = nil
	if _, err := w.Grid().Promotion("search", "prod", "dev"); err == nil || !strings.Contains(err.Error(), "no digest to pin yet") {
		t.Errorf("without the registry: %v", err)
	}
}

func TestRollbackDeclaresAnEarlierArtifact(t *testing.T) {
	g := twoEnvWorld().Grid()
	history := []HistoryEntry{
		{Commit: "c3", Image: "api", From: ImageRef{Tag: "v0.9", Digest: dAmd}, To: ImageRef{Tag: "v1", Digest: dIndex}},
		{Commit: "c2", Image: "api", From: ImageRef{Tag: "v0.8"}, To: ImageRef{Tag: "v0.9", Digest: dAmd}},
		{Commit: "c1", Image: "api", To: ImageRef{Tag: "v0.8"}},
	}
	arts := Artifacts(history, "api")
	if len(arts) != 3 || arts[1].To.Tag != "v0.9" {
		t.Fatalf("artifacts = %+v", arts)
	}
	c, err := g.Rollback("search", "prod", "api", arts[1].To, "0.9.0")
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != Rollback || c.To.Digest != dAmd || c.To.Tag != "v0.9" || c.Summary() != "roll back search in prod to 0.9.0" {
		t.Errorf("rollback = %+v (%s)", c, c.Summary())
	}
	if _, err := g.Rollback("search", "prod", "api", arts[0].To, ""); !errors.Is(err, ErrNothingToDo) {
		t.Errorf("a rollback to what prod declares: %v", err)
	}
	p := Plan{Changes: []Change{c}}
	tr := p.Trailers()
	if len(tr) != 6 || tr[4] != (Trailer{"Ferry-From", dIndex}) || tr[5] != (Trailer{"Ferry-To", dAmd}) {
		t.Errorf("trailers = %+v", tr)
	}
	if !strings.Contains(p.Body(), "- rollback search in prod: 1.0.0, sha256:") {
		t.Errorf("body = %q", p.Body())
	}
}

func TestBranchNameIsAValidRefNamingTheChange(t *testing.T) {
	p := Plan{Changes: []Change{{App: "checkout", Env: "prod-eu", To: Identity{Tag: "2.7.1"}}}}
	if got := p.BranchName(); got != "ferry/prod-eu/checkout-2.7.1" {
		t.Errorf("one change: %q", got)
	}
	p.Changes = append(p.Changes, Change{App: "cart", Env: "prod-eu", To: Identity{Tag: "1.0"}})
	p.Changes[0].To = Identity{Digest: "sha256:" + strings.Repeat("a", 64)}
	if got := p.BranchName(); got != "ferry/prod-eu/checkout-sha256-aaaaaaaaaaaa-and-1-more" {
		t.Errorf("a train by digest: %q", got)
	}
}

func TestWarningsNameTheAutomationThatMayUndoAChange(t *testing.T) {
	p := Plan{Changes: []Change{
		{Kind: Rollback, App: "search", Env: "dev", Location: Location{Updater: "api=ghcr.io/shop/search:~1.0"}},
		{Kind: Rollback, App: "cart", Env: "dev", Location: Location{Setter: `{"$imagepolicy": "flux-system:cart"}`}},
	}}
	w := strings.Join(p.Warnings(Environments{{Name: "dev"}}, &Grid{}), "\n")
	for _, want := range []string{"search in dev: Argo CD Image Updater follows this image (api=ghcr.io/shop/search:~1.0)", "cart in dev: Flux image automation writes this field too"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

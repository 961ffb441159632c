package model

import (
	"reflect"
	"testing"
)

func TestOrderEnvironments(t *testing.T) {
	got := OrderEnvironments([]string{"prod-us", "dev", "staging", "prod-eu", "sandbox-x", "demo", "qa"})
	wantNames := []string{"sandbox-x", "dev", "qa", "staging", "prod-eu", "prod-us", "demo"}
	if !reflect.DeepEqual(got.Names(), wantNames) {
		t.Fatalf("order = %v, want %v", got.Names(), wantNames)
	}
	upstream := map[string][]string{
		"sandbox-x": nil, "dev": {"sandbox-x"}, "qa": {"dev"}, "staging": {"qa"},
		"prod-eu": {"staging"}, "prod-us": {"staging"}, "demo": nil,
	}
	for _, e := range got {
		if !reflect.DeepEqual(e.Upstream, upstream[e.Name]) {
			t.Errorf("%s upstream = %v, want %v", e.Name, e.Upstream, upstream[e.Name])
		}
	}
}

func TestLooksLikeEnvironment(t *testing.T) {
	for _, yes := range []string{"dev", "prod", "production", "prod-eu", "prod_us", "staging", "uat", "preprod", "qa", "test", "stage"} {
		if !LooksLikeEnvironment(yes) {
			t.Errorf("%q should look like an environment", yes)
		}
	}
	for _, no := range []string{"base", "charts", "apps", "search", "overlays", "devops"} {
		if LooksLikeEnvironment(no) {
			t.Errorf("%q should not look like an environment", no)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		cmp  int
		ok   bool
	}{
		{"v1.10.0", "1.9.2", 1, true},
		{"1.2", "1.2.0", 0, true},
		{"2.0.0-rc.1", "2.0.0", -1, true},
		{"latest", "1.0.0", 0, false},
		{"8f31c2d", "1.0.0", 0, false},
	}
	for _, tt := range tests {
		cmp, ok := CompareVersions(tt.a, tt.b)
		if cmp != tt.cmp || ok != tt.ok {
			t.Errorf("CompareVersions(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, cmp, ok, tt.cmp, tt.ok)
		}
	}
}

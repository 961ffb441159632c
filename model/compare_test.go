package model

import "testing"

func TestCompareURL(t *testing.T) {
	for _, c := range []struct{ repo, want string }{
		{"https://github.com/acme/shop.git", "https://github.com/acme/shop/compare/a1...b2"},
		{"git@github.com:acme/shop.git", "https://github.com/acme/shop/compare/a1...b2"},
		{"ssh://git@gitlab.com/group/sub/shop", "https://gitlab.com/group/sub/shop/-/compare/a1...b2"},
		{"https://user:token@github.com/acme/shop", "https://github.com/acme/shop/compare/a1...b2"},
		{"https://git.example.com/acme/shop", ""},
		{"/srv/git/shop.git", ""},
		{"", ""},
	} {
		if got := CompareURL(c.repo, "a1", "b2"); got != c.want {
			t.Errorf("CompareURL(%q) = %q, want %q", c.repo, got, c.want)
		}
	}
	if got := CompareURL("https://github.com/acme/shop", "", "b2"); got != "" {
		t.Errorf("an unknown end gives %q, want none", got)
	}
}

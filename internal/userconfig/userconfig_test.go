package userconfig

import (
	"strings"
	"testing"
)

func TestParseKeepsWhatItCanUseAndNamesTheLine(t *testing.T) {
	c, problems := Parse("config.yaml", []byte(`theme: colorblind
keys:
  grid.filter: f
  global.quit: [q, ctrl+q]
  grid.up: {a: b}
colour: red
`))
	if c.Value("theme") != "colorblind" || strings.Join(c.Keys["grid.filter"], ",") != "f" || strings.Join(c.Keys["global.quit"], ",") != "q,ctrl+q" {
		t.Errorf("config = %+v", c)
	}
	want := []string{
		"config.yaml:5: keys.grid.up: want a key or a list of keys",
		`config.yaml:6: unknown setting "colour" (known: repo, theme, fetch_interval, read_only, pull_requests, connect_timeout, answer_timeout, registry, cluster, keys)`,
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	if got := c.Problem(`keys.grid.filter: "f" is already bound to grid.x`); got != `config.yaml:3: keys.grid.filter: "f" is already bound to grid.x` {
		t.Errorf("later problem = %q", got)
	}
}

func TestParseSyntaxError(t *testing.T) {
	_, problems := Parse("config.yaml", []byte("keys: [\n"))
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "config.yaml: not valid YAML") {
		t.Errorf("problems = %v", problems)
	}
}

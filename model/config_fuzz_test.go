package model

import (
	"bytes"
	"testing"
)

// FuzzParseConfig feeds ferry.yaml variants to the parser: it never
// panics, always returns a config, names ferry.yaml on a line the input
// has in every problem, and lists each environment once whatever the file
// repeats.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		goodConfig,
		"environments:\n  - name: dev\n  - name: dev\n",
		"environments:\n  - name: dev\n    after: staging\n  - name: 3\n",
		"environments: [{name: a, kube: {context: c}}, {name: b, after: []}]\napps: [{name: x, paths: {a: p}}]\n",
		"apps:\n  - name: web\n    images: api\n",
		"registries:\n  r: {insecure: yes}\n",
		"environments:\n  - name: &e dev\n  - name: *e\n",
		"environments:\n\t- name: dev\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, problems := ParseConfig(data)
		if cfg == nil {
			t.Fatal("no config")
		}
		// YAML breaks lines at \r\n, \n and a lone \r alike (the fuzzer's
		// first find: "\r\r0" has an error on line 3).
		lines := bytes.Count(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) +
			bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
		for _, p := range problems {
			if p.File != ConfigFile || p.Line < 0 || p.Line > lines || p.Message == "" {
				t.Fatalf("problem %+v of a %d-line file:\n%q", p, lines, data)
			}
		}
		seen := map[string]bool{}
		for _, e := range cfg.EnvironmentList() {
			if seen[e.Name] || e.Name == "" {
				t.Fatalf("environment %q listed twice or unnamed:\n%q", e.Name, data)
			}
			seen[e.Name] = true
		}
	})
}

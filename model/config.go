package model

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ConfigFile is the name of ferry's optional configuration at the repo root.
const ConfigFile = "ferry.yaml"

// Config is ferry.yaml: environments in promotion order, apps with their
// paths, and registry settings. Everything is optional; discovery fills in
// what it leaves out.
type Config struct {
	Environments []EnvConfig               `yaml:"environments"`
	Apps         []AppConfig               `yaml:"apps"`
	Registries   map[string]RegistryConfig `yaml:"registries"`
	// ReadOnly makes every console and CLI on this repo read-only unless
	// a flag or FERRY_READ_ONLY says otherwise (promotions go through pull
	// requests, say); nil when the file does not say.
	ReadOnly *bool `yaml:"read_only,omitempty"`
	// PullRequests makes every commit ferry makes on this repo go on a
	// pull-request branch of its own (the console's and --pr's), for a
	// repo whose branch takes changes only by pull request; nil when the
	// file does not say.
	PullRequests *bool `yaml:"pull_requests,omitempty"`
	// FetchInterval is how often a console fetches the repo cloned from a
	// URL; 0 when the file does not say.
	FetchInterval time.Duration `yaml:"fetch_interval,omitempty"`
}

// EnvConfig is one environment in ferry.yaml.
type EnvConfig struct {
	Name string `yaml:"name"`
	// After names the environments this one is promoted from. Without it,
	// the previous entry of the list; "after: []" means none.
	After     []string   `yaml:"after,omitempty"`
	Kube      KubeTarget `yaml:"kube,omitempty"`
	Protected bool       `yaml:"protected,omitempty"`
	// Aliases are other names the repo uses for this environment (a
	// folder "production", an Application "demo-prod"): they are read as
	// this one.
	Aliases []string `yaml:"aliases,omitempty"`
	// Ref reads the environment from a branch or tag of its own (Kargo's
	// env/<stage>, Git Flow's develop or main) instead of the tree read.
	Ref string `yaml:"ref,omitempty"`
}

// AppConfig is one app in ferry.yaml.
type AppConfig struct {
	Name string `yaml:"name"`
	// Images names the images (containers or values keys) ferry follows;
	// empty means all it finds.
	Images []string `yaml:"images,omitempty"`
	// Paths maps environment → repo-relative directory or file declaring
	// the app there.
	Paths map[string]string `yaml:"paths,omitempty"`
	// Workload is the name of the Deployment (or StatefulSet, …) that runs
	// the app in the clusters.
	Workload string `yaml:"workload,omitempty"`
}

// RegistryConfig holds per-registry settings, keyed by "host[:port]".
type RegistryConfig struct {
	Insecure bool `yaml:"insecure,omitempty"`
}

// configKeys lists the keys each mapping of ferry.yaml may hold.
var configKeys = map[string][]string{
	"":             {"environments", "apps", "registries", "read_only", "pull_requests", "fetch_interval"},
	"environments": {"name", "after", "kube", "protected", "aliases", "ref"},
	"kube":         {"context", "namespace"},
	"apps":         {"name", "images", "paths", "workload"},
	"registry":     {"insecure"},
}

// ParseConfig reads ferry.yaml. It never fails outright: what it cannot use
// comes back as problems naming the file and line, and the rest is kept.
func ParseConfig(data []byte) (*Config, []Problem) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := lineOf(yamlMessage(err))
		return &Config{}, []Problem{configProblem(line, "not valid YAML: "+msg)}
	}
	if len(root.Content) == 0 {
		return &Config{}, nil
	}
	doc := root.Content[0]
	problems := checkKeys(doc, "")
	var cfg Config
	var typeErr *yaml.TypeError
	switch err := doc.Decode(&cfg); {
	case errors.As(err, &typeErr):
		// yaml.v3 decodes every field it can: a wrong field is dropped, the
		// rest of the file is used.
		for _, e := range typeErr.Errors {
			line, msg := lineOf(e)
			problems = append(problems, configProblem(line, msg+": this field is ignored, the rest is used"))
		}
	case err != nil:
		problems = append(problems, configProblem(doc.Line, yamlMessage(err)))
		return &Config{}, problems
	}
	problems = append(problems, cfg.validate(doc)...)
	return &cfg, problems
}

// checkKeys reports keys ferry.yaml does not know, with their lines.
func checkKeys(n *yaml.Node, scope string) []Problem {
	var out []Problem
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			out = append(out, checkKeys(c, scope)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			allowed, checked := configKeys[scope]
			if checked && !slices.Contains(allowed, key.Value) {
				out = append(out, configProblem(key.Line,
					fmt.Sprintf("unknown key %q (known here: %s)", key.Value, strings.Join(allowed, ", "))))
				continue
			}
			out = append(out, checkKeys(val, childScope(scope, key.Value))...)
		}
	}
	return out
}

// childScope names the mapping a key's value is checked as; "-" leaves
// free-form maps (registry hosts, apps[].paths) unchecked.
func childScope(scope, key string) string {
	switch {
	case scope == "":
		return key
	case scope == "registries":
		return "registry"
	case scope == "environments" && key == "kube":
		return "kube"
	}
	return "-"
}

func (c *Config) validate(doc *yaml.Node) []Problem {
	var out []Problem
	known := map[string]bool{}
	for i, e := range c.Environments {
		line := itemLine(doc, "environments", i)
		switch {
		case e.Name == "":
			out = append(out, configProblem(line, "an environment has no name"))
		case known[e.Name]:
			out = append(out, configProblem(line, fmt.Sprintf("environment %q is listed twice: the first entry is used", e.Name)))
		}
		for _, a := range e.After {
			if !known[a] {
				out = append(out, configProblem(line, fmt.Sprintf(
					"environment %q comes after %q, which is not listed before it", e.Name, a)))
			}
		}
		known[e.Name] = true
	}
	out = append(out, c.validateAliases(doc)...)
	for i, a := range c.Apps {
		line := itemLine(doc, "apps", i)
		if a.Name == "" {
			out = append(out, configProblem(line, "an app has no name"))
		}
		for _, env := range sortedKeys(a.Paths) {
			if len(c.Environments) > 0 && !known[env] {
				out = append(out, configProblem(line, fmt.Sprintf(
					"app %q has a path for unknown environment %q (environments: %s)",
					a.Name, env, strings.Join(c.envNames(), ", "))))
			}
		}
	}
	return out
}

// validateAliases reports an alias that is an environment's name or
// another environment's alias: ferry could not tell which one it means.
func (c *Config) validateAliases(doc *yaml.Node) []Problem {
	var out []Problem
	owner := map[string]string{}
	for _, e := range c.Environments {
		owner[e.Name] = e.Name
	}
	for i, e := range c.Environments {
		for _, a := range e.Aliases {
			if o, taken := owner[a]; taken && o != e.Name {
				out = append(out, configProblem(itemLine(doc, "environments", i), fmt.Sprintf(
					"alias %q of environment %q is already %q's name or alias", a, e.Name, o)))
				continue
			}
			owner[a] = e.Name
		}
	}
	return out
}

// Alias returns the configured environment a name stands for: the
// environment itself, or the one listing it under aliases.
func (c *Config) Alias(name string) (string, bool) {
	for _, e := range c.Environments {
		if e.Name == name || slices.Contains(e.Aliases, name) {
			return e.Name, e.Name != ""
		}
	}
	return "", false
}

// EnvironmentList turns the configured environments into promotion order
// with upstream links. It returns nil when ferry.yaml names none.
func (c *Config) EnvironmentList() Environments {
	var out Environments
	seen := map[string]bool{}
	for i, e := range c.Environments {
		if e.Name == "" || seen[e.Name] {
			continue // the first entry of a name counts; validate reports the rest
		}
		seen[e.Name] = true
		env := Environment{Name: e.Name, Kube: e.Kube, Protected: e.Protected, Upstream: e.After,
			Aliases: e.Aliases, Ref: e.Ref}
		if e.After == nil && i > 0 { // "after: []" says: promoted from none
			env.Upstream = []string{c.Environments[i-1].Name}
		}
		out = append(out, env)
	}
	return out
}

// App returns the configured app of that name.
func (c *Config) App(name string) (AppConfig, bool) {
	for _, a := range c.Apps {
		if a.Name == name {
			return a, true
		}
	}
	return AppConfig{}, false
}

// Insecure reports whether a registry host may be reached over plain HTTP.
func (c *Config) Insecure(host string) bool {
	return c != nil && c.Registries[host].Insecure
}

func (c *Config) envNames() []string {
	out := make([]string, 0, len(c.Environments))
	for _, e := range c.Environments {
		out = append(out, e.Name)
	}
	return out
}

// itemLine returns the line of entry i of a top-level list.
func itemLine(doc *yaml.Node, list string, i int) int {
	for k := 0; k+1 < len(doc.Content); k += 2 {
		if doc.Content[k].Value == list {
			if items := doc.Content[k+1].Content; i < len(items) {
				return items[i].Line
			}
			return doc.Content[k].Line
		}
	}
	return 0
}

func configProblem(line int, msg string) Problem {
	return Problem{Source: "git", File: ConfigFile, Line: line, Message: msg}
}

// lineOf splits yaml.v3's "line 3: message" into the line and the message.
func lineOf(msg string) (int, string) {
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return 0, msg
	}
	num, text, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, msg
	}
	return line, text
}

// yamlMessage strips yaml.v3's "yaml: " prefix; the caller names the file.
func yamlMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

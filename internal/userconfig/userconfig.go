// Package userconfig reads the user's own ferry settings,
// $XDG_CONFIG_HOME/ferry/config.yaml: the default repo, theme, key
// bindings, registry and cluster settings, fetch interval and read-only
// mode. Every problem names the file and line, and what can be used is
// used. resolve.go decides which source of a setting wins.
package userconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/adrg/xdg"
	"go.yaml.in/yaml/v3"
)

// Config is the user config.
type Config struct {
	Path string
	// Keys rebinds bindings by name: "grid.filter" → ["f"].
	Keys map[string][]string
	// Insecure lists registry hosts reached over plain HTTP, besides those
	// the repo's ferry.yaml names.
	Insecure []string
	// Contexts maps environment → kubeconfig context, for environments
	// the repo's ferry.yaml does not pin to one.
	Contexts map[string]string
	values   map[string]value // "fetch_interval" → its text and line
	lines    map[string]int   // "keys.grid.filter" → line, for later problems
}

type value struct {
	text string
	line int
}

// Path is where the user config lives.
func Path() string { return filepath.Join(xdg.ConfigHome, "ferry", "config.yaml") }

// Load reads the user config; a missing file is an empty config.
func Load() (*Config, []string) {
	path := Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return empty(path), nil
	}
	if err != nil {
		return empty(path), []string{fmt.Sprintf("%s: %v", path, err)}
	}
	return Parse(path, data)
}

func empty(path string) *Config {
	return &Config{Path: path, Keys: map[string][]string{}, Contexts: map[string]string{},
		values: map[string]value{}, lines: map[string]int{}}
}

// Parse reads a user config's contents.
func Parse(path string, data []byte) (*Config, []string) {
	c := empty(path)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return c, []string{fmt.Sprintf("%s: not valid YAML: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if len(root.Content) == 0 {
		return c, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return c, []string{c.at(doc, "the file must be a mapping of settings")}
	}
	return c, c.mapping(doc, "")
}

// sections are the nested mappings of the file and what else they hold
// besides plain settings.
var sections = map[string][]string{"registry": {"insecure"}, "cluster": {"contexts"}}

// mapping reads the top level (prefix "") or a section ("registry.").
func (c *Config) mapping(n *yaml.Node, prefix string) []string {
	var problems []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := prefix + k.Value
		switch {
		case name == "keys":
			problems = append(problems, c.keys(v)...)
		case name == "registry.insecure":
			problems = append(problems, c.insecure(v)...)
		case name == "cluster.contexts":
			problems = append(problems, c.contexts(v)...)
		case prefix == "" && sections[name] != nil:
			if v.Kind != yaml.MappingNode {
				problems = append(problems, c.at(v, name+": want a mapping of settings"))
				continue
			}
			problems = append(problems, c.mapping(v, name+".")...)
		default:
			s, ok := Find(name)
			if !ok {
				problems = append(problems, c.at(k, fmt.Sprintf("unknown setting %q (known: %s)", name, strings.Join(known(prefix), ", "))))
				continue
			}
			if p := c.scalar(s, v); p != "" {
				problems = append(problems, p)
			}
		}
	}
	return problems
}

// scalar keeps one plain setting when its value has the setting's kind.
func (c *Config) scalar(s Setting, v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode {
		return c.at(v, fmt.Sprintf("%s: want %s", s.Key, s.Kind.want()))
	}
	text, err := s.Kind.check(v.Value)
	if err != nil {
		return c.at(v, fmt.Sprintf("%s: %v: the setting is ignored", s.Key, err))
	}
	c.values[s.Key] = value{text: text, line: v.Line}
	return ""
}

// known lists the names a mapping may hold, for a problem's hint.
func known(prefix string) []string {
	var out []string
	for _, s := range Settings {
		if rest, ok := strings.CutPrefix(s.Key, prefix); ok && (prefix != "" || !strings.Contains(rest, ".")) {
			out = append(out, rest)
		}
	}
	if prefix == "" {
		return append(out, "registry", "cluster", "keys")
	}
	return append(out, sections[strings.TrimSuffix(prefix, ".")]...)
}

// insecure reads `registry: {insecure: [localhost:5000]}`.
func (c *Config) insecure(n *yaml.Node) []string {
	var hosts []string
	if n.Kind != yaml.SequenceNode || n.Decode(&hosts) != nil {
		return []string{c.at(n, "registry.insecure: want a list of hosts, such as [localhost:5000]")}
	}
	c.Insecure = hosts
	return nil
}

// contexts reads `cluster: {contexts: {prod-eu: gke_prod_eu}}`.
func (c *Config) contexts(n *yaml.Node) []string {
	if n.Kind != yaml.MappingNode || n.Decode(&c.Contexts) != nil {
		c.Contexts = map[string]string{}
		return []string{c.at(n, "cluster.contexts: want a mapping of environment names to kubeconfig contexts")}
	}
	return nil
}

// keys reads `keys: {grid.filter: f, global.quit: [q, ctrl+q]}`.
func (c *Config) keys(n *yaml.Node) []string {
	if n.Kind != yaml.MappingNode {
		return []string{c.at(n, "keys: want a mapping of binding names to keys, such as grid.filter: [f]")}
	}
	var problems []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, v := n.Content[i].Value, n.Content[i+1]
		var keys []string
		switch v.Kind {
		case yaml.ScalarNode:
			keys = []string{v.Value}
		case yaml.SequenceNode:
			if err := v.Decode(&keys); err != nil {
				problems = append(problems, c.at(v, "keys."+name+": want a key or a list of keys"))
				continue
			}
		default:
			problems = append(problems, c.at(v, "keys."+name+": want a key or a list of keys"))
			continue
		}
		c.Keys[name] = keys
		c.lines["keys."+name] = n.Content[i].Line
	}
	return problems
}

func (c *Config) at(n *yaml.Node, msg string) string {
	return fmt.Sprintf("%s:%d: %s", c.Path, n.Line, msg)
}

// Problem places a later problem with a setting (such as a key the keymap
// refuses, or a theme ferry does not have) on the setting's line:
// "keys.grid.up: …", "theme: …".
func (c *Config) Problem(msg string) string {
	setting, _, _ := strings.Cut(msg, ":")
	if line, ok := c.lines[setting]; ok {
		return fmt.Sprintf("%s:%d: %s", c.Path, line, msg)
	}
	if v, ok := c.values[setting]; ok {
		return fmt.Sprintf("%s:%d: %s", c.Path, v.line, msg)
	}
	return c.Path + ": " + msg
}

// Value is a plain setting's text as the file has it ("" when absent).
func (c *Config) Value(key string) string { return c.values[key].text }

// Lookup finds a setting for the resolver, with the file and line it is on.
func (c *Config) Lookup(s Setting) (text, where string, ok bool) {
	v, ok := c.values[s.Key]
	if !ok {
		return "", "", false
	}
	return v.text, fmt.Sprintf("%s:%d", c.Path, v.line), true
}

// IsInsecure reports whether the user config lets a registry host be
// reached over plain HTTP.
func (c *Config) IsInsecure(host string) bool { return c != nil && slices.Contains(c.Insecure, host) }

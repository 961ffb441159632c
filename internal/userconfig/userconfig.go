// Package userconfig reads the user's own ferry settings,
// $XDG_CONFIG_HOME/ferry/config.yaml: the theme and key bindings. Every
// problem names the file and line, and what can be used is used.
package userconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"
	"go.yaml.in/yaml/v3"
)

// Config is the user config.
type Config struct {
	Path  string
	Theme string
	// Keys rebinds bindings by name: "grid.filter" → ["f"].
	Keys  map[string][]string
	lines map[string]int // "keys.grid.filter" → line, for later problems
}

// Path is where the user config lives.
func Path() string { return filepath.Join(xdg.ConfigHome, "ferry", "config.yaml") }

// Load reads the user config; a missing file is an empty config.
func Load() (*Config, []string) {
	path := Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{Path: path}, nil
	}
	if err != nil {
		return &Config{Path: path}, []string{fmt.Sprintf("%s: %v", path, err)}
	}
	return Parse(path, data)
}

// Parse reads a user config's contents.
func Parse(path string, data []byte) (*Config, []string) {
	c := &Config{Path: path, Keys: map[string][]string{}, lines: map[string]int{}}
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
	var problems []string
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "theme":
			if v.Kind != yaml.ScalarNode {
				problems = append(problems, c.at(v, "theme: want a name (default, colorblind, high-contrast)"))
				continue
			}
			c.Theme = v.Value
			c.lines["theme"] = v.Line
		case "keys":
			problems = append(problems, c.keys(v)...)
		default:
			problems = append(problems, c.at(k, fmt.Sprintf("unknown setting %q (known: theme, keys)", k.Value)))
		}
	}
	return c, problems
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
// refuses) on the setting's line: "keys.grid.up: …".
func (c *Config) Problem(msg string) string {
	setting, _, _ := strings.Cut(msg, ":")
	if line, ok := c.lines[setting]; ok {
		return fmt.Sprintf("%s:%d: %s", c.Path, line, msg)
	}
	return c.Path + ": " + msg
}

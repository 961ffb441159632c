package userconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Layer is one place a setting can come from. A higher layer wins:
// flag > environment (FERRY_*) > the repo's ferry.yaml > the user config
// > ferry's default.
type Layer int

// The layers, lowest first.
const (
	Default Layer = iota
	User
	Repo
	Env
	Flag
)

// Kind is what a setting's text must parse as.
type Kind int

// The kinds of settings.
const (
	String   Kind = iota
	FilePath      // a file or directory; ~/ is the home directory
	Duration
	Bool
	Int
)

// Setting is one setting that has a flag: its key in config.yaml (and,
// for Repo settings, in ferry.yaml), its flag and its variable.
type Setting struct {
	Key  string
	Flag string
	Env  string
	Kind Kind
	// Repo is true when a repo's ferry.yaml may set it too: a team can
	// make every console on its repo read-only, or fetch less often.
	Repo bool
}

// Settings lists every setting the resolver decides.
var Settings = []Setting{
	{Key: "repo", Flag: "repo", Env: "FERRY_REPO", Kind: FilePath},
	{Key: "theme", Flag: "theme", Env: "FERRY_THEME", Kind: String},
	{Key: "fetch_interval", Flag: "fetch-interval", Env: "FERRY_FETCH_INTERVAL", Kind: Duration, Repo: true},
	{Key: "read_only", Flag: "read-only", Env: "FERRY_READ_ONLY", Kind: Bool, Repo: true},
	{Key: "pull_requests", Flag: "pr", Env: "FERRY_PULL_REQUESTS", Kind: Bool, Repo: true},
	{Key: "registry.concurrency", Flag: "registry-concurrency", Env: "FERRY_REGISTRY_CONCURRENCY", Kind: Int},
	{Key: "cluster.kubeconfig", Flag: "kubeconfig", Env: "FERRY_KUBECONFIG", Kind: FilePath},
	{Key: "connect_timeout", Flag: "connect-timeout", Env: "FERRY_CONNECT_TIMEOUT", Kind: Duration},
	{Key: "answer_timeout", Flag: "answer-timeout", Env: "FERRY_ANSWER_TIMEOUT", Kind: Duration},
}

// Find returns the setting of a config key.
func Find(key string) (Setting, bool) {
	for _, s := range Settings {
		if s.Key == key {
			return s, true
		}
	}
	return Setting{}, false
}

// Lookup finds a setting in one layer: its text, and where it was found
// ("FERRY_THEME", "/home/u/.config/ferry/config.yaml:3").
type Lookup func(s Setting) (text, where string, ok bool)

// Origin says where a setting's value came from.
type Origin struct {
	Layer Layer
	Where string // "--read-only", "FERRY_READ_ONLY", "ferry.yaml", "config.yaml:3"
}

// Resolved tracks, for one command's flags, which layer set each setting.
type Resolved struct {
	fs      *pflag.FlagSet
	origins map[string]Origin
}

// Resolve starts from the command line: a flag given there is final, the
// others hold ferry's defaults until Apply finds a higher layer.
func Resolve(fs *pflag.FlagSet) *Resolved {
	r := &Resolved{fs: fs, origins: map[string]Origin{}}
	for _, s := range Settings {
		if f := fs.Lookup(s.Flag); f != nil {
			o := Origin{Layer: Default, Where: "default"}
			if f.Changed {
				o = Origin{Layer: Flag, Where: "--" + s.Flag}
			}
			r.origins[s.Key] = o
		}
	}
	return r
}

// Apply sets each setting the layer has, where nothing above it has set it
// already. Layers may come in any order (ferry.yaml is read once the repo
// is open, after the others): the order of the layers decides.
func (r *Resolved) Apply(l Layer, look Lookup) error {
	for _, s := range Settings {
		o, ok := r.origins[s.Key]
		if !ok || o.Layer >= l || (l == Repo && !s.Repo) {
			continue
		}
		text, where, found := look(s)
		if !found {
			continue
		}
		text, err := s.Kind.check(text)
		if err == nil {
			err = r.fs.Set(s.Flag, text)
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %v", where, s.Key, err)
		}
		r.origins[s.Key] = Origin{Layer: l, Where: where}
	}
	return nil
}

// Origin says where a setting came from; the zero Origin when the command
// has no such flag.
func (r *Resolved) Origin(key string) Origin {
	if r == nil {
		return Origin{}
	}
	return r.origins[key]
}

// EnvLookup reads FERRY_* variables.
func EnvLookup(getenv func(string) (string, bool)) Lookup {
	return func(s Setting) (string, string, bool) {
		v, ok := getenv(s.Env)
		if !ok || v == "" {
			return "", "", false
		}
		return v, s.Env, true
	}
}

// check parses a setting's text, and gives it back in the form its flag
// takes (a path with ~/ expanded).
func (k Kind) check(text string) (string, error) {
	var err error
	switch k {
	case Duration:
		_, err = time.ParseDuration(text)
	case Bool:
		_, err = strconv.ParseBool(text)
	case Int:
		_, err = strconv.Atoi(text)
	case FilePath:
		if rest, ok := strings.CutPrefix(text, "~/"); ok {
			if home, herr := os.UserHomeDir(); herr == nil {
				text = filepath.Join(home, rest)
			}
		}
	}
	if err != nil {
		return text, fmt.Errorf("%q is not %s", text, k.want())
	}
	return text, nil
}

func (k Kind) want() string {
	return [...]string{"a name", "a path", "a duration such as 30s or 5m", "true or false", "a whole number"}[k]
}

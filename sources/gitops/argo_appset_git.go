package gitops

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/repotree"
)

// gitParams expands a git generator over this repo: a set per directory
// that matches (exclusions aside), or per file that matches, with the
// file's values. Paths are those of the tree read.
func (r *reader) gitParams(git *yaml.Node, parent genParams) []genParams {
	var out []genParams
	if dirs := repotree.Items(repotree.Get(git, "directories")); len(dirs) > 0 {
		for _, dir := range r.treeDirs() {
			if matchesEntries(dirs, dir) {
				params := maps.Clone(parent)
				addPathParams(params, dir, "")
				out = append(out, params)
			}
		}
	}
	for _, f := range repotree.Items(repotree.Get(git, "files")) {
		pattern := globRegexp(repotree.Str(f, "path"))
		for _, p := range r.t.Paths() {
			if pattern.MatchString(p) {
				out = append(out, r.fileParams(p, parent)...)
			}
		}
	}
	return out
}

// matchesEntries applies directories[] entries: a path matches one that is
// not an exclusion and no exclusion.
func matchesEntries(entries []*yaml.Node, dir string) bool {
	in := false
	for _, e := range entries {
		if !globRegexp(repotree.Str(e, "path")).MatchString(dir) {
			continue
		}
		if repotree.Str(e, "exclude") == "true" {
			return false
		}
		in = true
	}
	return in
}

// fileParams reads a generator file: one set per document, or per item
// of a list, each with the file's path parameters.
func (r *reader) fileParams(p string, parent genParams) []genParams {
	data, _ := r.t.Read(p)
	docs, _ := repotree.ParseDocs(p, data)
	var out []genParams
	for _, d := range docs {
		items := []*yaml.Node{d.Root}
		if d.Root.Kind == yaml.SequenceNode {
			items = d.Root.Content
		}
		for _, item := range items {
			params := maps.Clone(parent)
			own := genParams{}
			flattenParams(item, "", own)
			for k, v := range own {
				r.genOrigin[v] = nodeOrigin{File: p, Path: k}
			}
			maps.Copy(params, own)
			addPathParams(params, path.Dir(p), path.Base(p))
			out = append(out, params)
			r.files.used(p, "ApplicationSet git files generator: its values make an Application")
		}
	}
	return out
}

// addPathParams adds the path parameters Argo CD gives, in both template
// styles: path, path.basename, path[n] and path.path, path.segments[n].
func addPathParams(params genParams, dir, file string) {
	set := func(k, v string) { params[k] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
	base := path.Base(dir)
	for _, prefix := range []string{"path", "path.path"} {
		set(prefix, dir)
	}
	set("path.basename", base)
	set("path.basenameNormalized", normalized(base))
	for i, seg := range strings.Split(dir, "/") {
		set("path["+strconv.Itoa(i)+"]", seg)
		set("path.segments["+strconv.Itoa(i)+"]", seg)
	}
	if file != "" {
		set("path.filename", file)
		set("path.filenameNormalized", normalized(file))
	}
}

var notDNS = regexp.MustCompile(`[^a-z0-9-]+`)

// normalized is a name as Argo CD normalizes it for Kubernetes names.
func normalized(s string) string { return notDNS.ReplaceAllString(strings.ToLower(s), "-") }

// treeDirs lists every folder of the tree.
func (r *reader) treeDirs() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range r.t.Paths() {
		for d := path.Dir(p); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// globRegexp turns a generator path glob into an expression: * within a
// folder, ** across folders.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case c == '*' && i+1 < len(glob) && glob[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(fmt.Sprintf("^%s$", regexp.QuoteMeta(glob)))
	}
	return re
}

// nodeOrigin is where a generator file holds a value an ApplicationSet
// substituted into an Application.
type nodeOrigin struct{ File, Path string }

// relocate points a location at the generator file its version comes from,
// when it does: that file, not the ApplicationSet, is what a promotion
// edits. fields are the nodes of the image's other parts, by field key.
func (r *reader) relocate(loc *model.Location, version *yaml.Node, fields map[string]*yaml.Node) {
	o, ok := r.genOrigin[version]
	if !ok {
		return
	}
	*loc = model.Location{File: o.File, Line: version.Line, Column: version.Column, Kind: model.KindArgoGeneratorFile,
		Path: imagePath(o.Path), Fields: map[string]model.Position{}, FieldPaths: map[string]string{},
		Setter: repotree.Setter(version)}
	for key, n := range fields {
		if fo, ok := r.genOrigin[n]; ok && fo.File == o.File {
			loc.Fields[key] = repotree.Pos(n)
			loc.FieldPaths[key] = fo.Path
		}
	}
}

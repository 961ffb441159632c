package helm

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Chart is a chart folder of the repo tree.
type Chart struct {
	Dir  string // repo-relative folder holding Chart.yaml
	Name string // Chart.yaml's name
	tree *repotree.Tree
}

// FindChart returns the chart in dir, if dir holds a Chart.yaml.
func FindChart(t *repotree.Tree, dir string) (*Chart, bool) {
	file := path.Join(dir, "Chart.yaml")
	data, ok := t.Read(file)
	if !ok {
		return nil, false
	}
	c := &Chart{Dir: strings.TrimPrefix(path.Clean(dir), "."), tree: t}
	if docs, _ := repotree.ParseDocs(file, data); len(docs) > 0 {
		c.Name = repotree.Str(docs[0].Root, "name")
	}
	return c, true
}

// File returns the repo path of a file of the chart ("values.yaml").
func (c *Chart) File(rel string) string { return path.Join(c.Dir, rel) }

// Renders reports whether the chart has templates that can produce
// manifests. A chart folder holding only Chart.yaml and values (a common
// layout for values per environment) renders nothing: callers read its
// values instead.
func (c *Chart) Renders() bool {
	for _, p := range c.tree.Under(c.File("templates")) {
		if base := path.Base(p); !strings.HasPrefix(base, "_") && base != "NOTES.txt" {
			return true
		}
	}
	return false
}

// load reads the chart with Helm's loader from the tree's files. A fresh
// chart per render: Helm changes it while processing dependencies.
func (c *Chart) load() (*chart.Chart, error) {
	var files []*loader.BufferedFile
	for _, p := range c.tree.Under(c.Dir) {
		data, _ := c.tree.Read(p)
		files = append(files, &loader.BufferedFile{Name: strings.TrimPrefix(p, c.prefix()), Data: data})
	}
	ch, err := loader.LoadFiles(files)
	if err != nil {
		return nil, fmt.Errorf("chart %s cannot be loaded: %w", c.Dir, err)
	}
	return ch, nil
}

func (c *Chart) prefix() string {
	if c.Dir == "" {
		return ""
	}
	return c.Dir + "/"
}

// repoPath turns the name Helm gives a rendered template ("shop/templates/
// a.yaml", "shop/charts/redis/templates/b.yaml") into its repo path.
func (c *Chart) repoPath(rendered string) string {
	_, rest, _ := strings.Cut(rendered, "/")
	return c.File(rest)
}

// templateError matches the place Helm's template errors name:
// "template: shop/templates/deployment.yaml:10:20: executing …".
var templateError = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::\d+)?: `)

// TemplateError is a chart that failed to render, with the template file
// and line the error names when it names one.
type TemplateError struct {
	Chart string // the chart's folder
	File  string // repo path of the template, or the chart's Chart.yaml
	Line  int
	Err   string
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("chart %s does not render (%s): %s", e.Chart, e.File, e.Err)
}

// renderError says where a Helm error points.
func (c *Chart) renderError(err error) *TemplateError {
	e := &TemplateError{Chart: c.Dir, File: c.File("Chart.yaml"), Err: err.Error()}
	if m := templateError.FindStringSubmatchIndex(e.Err); m != nil {
		e.File = c.repoPath(e.Err[m[2]:m[3]])
		e.Line, _ = strconv.Atoi(e.Err[m[4]:m[5]])
		e.Err = e.Err[m[1]:] // the file and line are said apart
	}
	return e
}

// lineOf returns the 1-based line of a file of the tree that holds text, 0
// when none does.
func (c *Chart) lineOf(file, text string) int {
	data, _ := c.tree.Read(file)
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, text) {
			return i + 1
		}
	}
	return 0
}

package helm

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/sources/repotree"
)

// rendered is one container of the rendered manifests.
type rendered struct {
	c    repotree.Container
	file string // repo path of the template
}

// containers lists the containers of the rendered manifests, by template
// file, document and place.
func (c *Chart) containers(files map[string]string) ([]rendered, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if repotree.IsYAML(name) || strings.HasSuffix(name, ".tpl") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []rendered
	for _, name := range names {
		file := c.repoPath(name)
		docs, problem := repotree.ParseDocs(file, []byte(files[name]))
		if problem != nil {
			return nil, &TemplateError{Chart: c.Dir, File: file,
				Err: fmt.Sprintf("renders invalid YAML (%s)", problem.Message)}
		}
		for _, d := range docs {
			for _, ct := range repotree.Containers(d.Root) {
				out = append(out, rendered{c: ct, file: file})
			}
		}
	}
	return out, nil
}

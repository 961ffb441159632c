package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
)

// The repo is generated from these templates at start, because the
// registry's port is only known then. They live under testdata so that a
// reader of the repo finds them next to the other fixtures; go:embed puts
// them in the binary, so `ferry demo` needs no source checkout. Templates
// use [[ ]] so that the Helm chart's own {{ }} pass through untouched;
// template names are file base names, so they must be unique.
//
//go:embed testdata/templates
var templateFS embed.FS

const templateRoot = "testdata/templates"

var templates = template.Must(template.New("demo").Delims("[[", "]]").
	Funcs(template.FuncMap{"join": strings.Join}).
	ParseFS(templateFS, templateRoot+"/*.tmpl", templateRoot+"/*/*.tmpl", templateRoot+"/*/*/*.tmpl"))

// repoData is what the top-level templates see.
type repoData struct {
	Seed      int64
	Registry  string
	Namespace string
	Envs      []envPlan
	Apps      []appPlan
}

// cellData is what an app's templates see.
type cellData struct {
	App, Env   string
	Namespace  string
	Repository string
	Replicas   int
	Tag        string
	Digest     string
}

// render executes one template by its file name.
func render(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("demo template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// renderer turns the plan and a promotion state into repo files.
type renderer struct {
	seed     int64
	registry string
	builds   map[string][]build
}

// state is what Git declares: app → env → build index.
type state map[string]map[string]int

// skeleton renders the files that do not depend on the state: ferry.yaml,
// the README, Kustomize bases, charts.
func (r renderer) skeleton() (map[string][]byte, error) {
	files := map[string][]byte{}
	data := repoData{Seed: r.seed, Registry: r.registry, Namespace: namespace, Envs: envPlans, Apps: appPlans}
	for file, tmpl := range map[string]string{"ferry.yaml": "ferry.yaml.tmpl", "README.md": "README.md.tmpl"} {
		b, err := render(tmpl, data)
		if err != nil {
			return nil, err
		}
		files[file] = b
	}
	for _, app := range appPlans {
		if err := r.appSkeleton(files, app); err != nil {
			return nil, err
		}
	}
	return files, nil
}

func (r renderer) appSkeleton(files map[string][]byte, app appPlan) error {
	data := cellData{App: app.Name, Namespace: namespace, Repository: r.registry + "/shop/" + app.Name}
	if !app.Helm {
		for _, f := range []string{"kustomization.yaml", "deployment.yaml", "service.yaml"} {
			b, err := render(f+".tmpl", data)
			if err != nil {
				return err
			}
			files["apps/"+app.Name+"/base/"+f] = b
		}
		return nil
	}
	dir := "charts/" + app.Name + "/"
	for file, tmpl := range map[string]string{"Chart.yaml": "Chart.yaml.tmpl", "values.yaml": "values.yaml.tmpl"} {
		b, err := render(tmpl, data)
		if err != nil {
			return err
		}
		files[dir+file] = b
	}
	// The chart's templates are Helm's, copied as they are.
	return fs.WalkDir(templateFS, templateRoot+"/helm/templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		files[dir+"templates/"+path.Base(p)] = b
		return err
	})
}

// cellFile returns the path of the file that declares an app's build in an
// environment.
func cellFile(app appPlan, env string) string {
	if app.Helm {
		return "charts/" + app.Name + "/values-" + env + ".yaml"
	}
	return "apps/" + app.Name + "/overlays/" + env + "/kustomization.yaml"
}

// cell renders the file that declares build n of app in env.
func (r renderer) cell(app appPlan, env string, n int) (string, []byte, error) {
	b := r.builds[app.Name][n]
	data := cellData{App: app.Name, Env: env, Namespace: namespace,
		Repository: r.registry + "/shop/" + app.Name, Replicas: app.Replicas,
		Tag: b.Version, Digest: b.Digest}
	if app.Cells[env].TagOnly {
		data.Digest = ""
	}
	tmpl := "overlay-kustomization.yaml.tmpl"
	if app.Helm {
		tmpl = "values-env.yaml.tmpl"
	}
	out, err := render(tmpl, data)
	return cellFile(app, env), out, err
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/ui"
)

type statusFlags struct {
	repoFlags
	sourceFlags
	envs     []string
	apps     []string
	output   string
	show     string
	exitCode bool
	explain  bool
}

func newStatusCmd() *cobra.Command {
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Print the grid: what each environment declares, resolves to and runs",
		Example: `  ferry status
  ferry status --repo ../gitops --env prod-eu,prod-us -o json
  ferry status --sources git --exit-code`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatus(cmd, &f)
		},
	}
	fs := cmd.Flags()
	f.repoFlags.register(fs)
	f.sourceFlags.register(fs)
	fs.StringSliceVar(&f.envs, "env", nil, "only these environments (comma list)")
	fs.StringSliceVar(&f.apps, "app", nil, "only these apps (comma list)")
	fs.StringVarP(&f.output, "output", "o", "table", "output format: table, json or yaml")
	fs.StringVar(&f.show, "show", "version", "what cells show: version, commit or digest")
	fs.BoolVar(&f.exitCode, "exit-code", false, "exit 1 when any cell drifts or has problems")
	fs.BoolVar(&f.explain, "explain", false, "list, per file that looks like deploy configuration, the cells it feeds or why none")
	return cmd
}

func runStatus(cmd *cobra.Command, f *statusFlags) error {
	view, ok := ui.ParseIdentityView(f.show)
	if !ok {
		return fmt.Errorf("--show %q: want version, commit or digest", f.show)
	}
	if !slices.Contains([]string{"table", "json", "yaml"}, f.output) {
		return fmt.Errorf("--output %q: want table, json or yaml", f.output)
	}
	if f.explain {
		return runExplain(cmd, &f.repoFlags, &f.sourceFlags, f.output)
	}
	world, err := loadWorld(cmd.Context(), &f.repoFlags, &f.sourceFlags, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	grid, err := world.Grid().Filter(f.envs, f.apps)
	if err != nil {
		return err
	}
	if err := printGrid(cmd.OutOrStdout(), grid, f.output, view); err != nil {
		return err
	}
	if f.output == "table" {
		printNotPlaced(cmd.OutOrStdout())
	}
	if f.exitCode && grid.NeedsAttention() {
		return &exitError{code: exitFindings}
	}
	return nil
}

func printGrid(w io.Writer, g *model.Grid, format string, view ui.IdentityView) error {
	switch format {
	case "json":
		b, err := g.JSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "yaml":
		return printYAML(w, g)
	}
	_, err := lipgloss.Fprint(w, ui.StatusTable(g, ui.DefaultTheme(), view))
	return err
}

// printYAML prints a JSON contract as YAML: same field names, same shape.
func printYAML(w io.Writer, g any) error {
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(generic); err != nil {
		return err
	}
	return enc.Close()
}

// sourceList parses --sources.
func sourceList(s []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, name := range s {
		name = strings.TrimSpace(name)
		if !slices.Contains([]string{"git", "registry", "cluster"}, name) {
			return nil, fmt.Errorf("--sources: unknown source %q (known: git, registry, cluster)", name)
		}
		out[name] = true
	}
	if !out["git"] {
		return nil, fmt.Errorf("--sources must include git: it says what to look for")
	}
	return out, nil
}

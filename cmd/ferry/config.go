package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/internal/userconfig"
	"github.com/ferryhq/ferry/ui"
)

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show where your own settings live, edit them, check them",
		Long: `Your own settings live in $XDG_CONFIG_HOME/ferry/config.yaml (default repo, theme,
key bindings, registry and cluster settings, fetch interval, read-only mode).
A flag wins over a FERRY_* variable, which wins over the repo's ferry.yaml, which
wins over this file, which wins over ferry's defaults.`,
		Example: `  ferry config path
  ferry config edit
  ferry config check`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "path",
		Short:   "Print where the user config lives (it need not exist)",
		Example: `  ferry config path`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), userconfig.Path())
			return err
		},
	}, &cobra.Command{
		Use:   "edit",
		Short: "Open the user config in $EDITOR (else vi), then check it",
		Example: `  ferry config edit
  EDITOR="code --wait" ferry config edit`,
		Args: cobra.NoArgs,
		RunE: runConfigEdit,
	}, &cobra.Command{
		Use:   "check",
		Short: "List every problem in the user config with its file and line; exit 1 when there is any",
		Example: `  ferry config check
  ferry config check && echo fine`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runConfigCheck(cmd) },
	})
	return cmd
}

// runConfigEdit opens the editor on the file (its folder made first, so
// the editor can write it) and checks what was saved.
func runConfigEdit(cmd *cobra.Command, _ []string) error {
	path := userconfig.Path()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	editor := strings.Fields(firstNonEmpty(os.Getenv("VISUAL"), os.Getenv("EDITOR"), "vi"))
	e := exec.Command(editor[0], append(editor[1:], path)...)
	e.Stdin, e.Stdout, e.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := e.Run(); err != nil {
		return fmt.Errorf("editor %s: %w", editor[0], err)
	}
	return runConfigCheck(cmd)
}

// runConfigCheck reads the file as the console would: its own problems,
// then a theme ferry does not have and bindings the keymap refuses.
func runConfigCheck(cmd *cobra.Command) error {
	path := userconfig.Path()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s does not exist: ferry uses its defaults (ferry config edit writes one)\n", path)
		return err
	}
	cfg, problems := userconfig.Load()
	if theme := cfg.Value("theme"); theme != "" {
		if _, err := ui.NewTheme(theme, true); err != nil {
			problems = append(problems, cfg.Problem("theme: "+err.Error()))
		}
	}
	_, keyProblems := userKeys(&settings{user: cfg})
	problems = append(problems, keyProblems...)
	if len(problems) == 0 {
		_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s: no problems\n", path)
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(cmd.OutOrStdout(), p)
	}
	return &exitError{code: exitFindings}
}

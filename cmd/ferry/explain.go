package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/ferryhq/ferry/sources/gitops"
)

// explanation is `ferry status --explain -o json|yaml`: what discovery made
// of every file that looks like deploy configuration. Lists are [] when
// empty, never null.
type explanation struct {
	Environments []string            `json:"environments"`
	Files        []gitops.FileReport `json:"files"`
	NotPlaced    int                 `json:"notPlaced"`
}

func explain(res *gitops.Result) explanation {
	e := explanation{Environments: res.Environments.Names(), Files: res.Files(), NotPlaced: len(res.NotPlaced())}
	if e.Environments == nil {
		e.Environments = []string{}
	}
	return e
}

// runExplain reads the repo as status does and prints the file reports.
func runExplain(cmd *cobra.Command, rf *repoFlags, sf *sourceFlags, format string) error {
	_, tree, err := rf.open(cmd.Context())
	if err != nil {
		return err
	}
	return printExplain(cmd.OutOrStdout(), readGit(tree, !sf.ephemeral), format)
}

// printExplain prints, per file, the cells it feeds, what else it is read
// for, or why it feeds nothing.
func printExplain(w io.Writer, res *gitops.Result, format string) error {
	e := explain(res)
	switch format {
	case "json":
		b, err := json.MarshalIndent(e, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "yaml":
		return printYAML(w, e)
	}
	fmt.Fprintf(w, "%d files look like deploy configuration; %d not placed.\n", len(e.Files), e.NotPlaced)
	for _, placed := range []bool{true, false} {
		heading := "\nplaced (feeds cells or the promotion order):\n"
		if !placed {
			heading = "\nnot placed (feeds nothing):\n"
		}
		wrote := false
		for _, f := range e.Files {
			if f.Placed() != placed {
				continue
			}
			if !wrote {
				io.WriteString(w, heading)
				wrote = true
			}
			printFileReport(w, f)
		}
	}
	return nil
}

func printFileReport(w io.Writer, f gitops.FileReport) {
	fmt.Fprintf(w, "  %s (%s)\n", f.Path, f.Kind)
	if cells := cellList(f.Cells); cells != "" {
		fmt.Fprintf(w, "      feeds %s\n", cells)
	}
	for _, u := range f.Uses {
		fmt.Fprintf(w, "      %s\n", u)
	}
	for _, r := range f.Reasons {
		label := "note"
		if !f.Placed() {
			label = "why"
		}
		fmt.Fprintf(w, "      %s: %s\n", label, r)
	}
}

// cellList spells cells per app: "search: dev, prod; web: dev".
func cellList(cells []gitops.CellRef) string {
	var parts []string
	for i := 0; i < len(cells); {
		app, envs := cells[i].App, []string{}
		for ; i < len(cells) && cells[i].App == app; i++ {
			envs = append(envs, cells[i].Env)
		}
		name := app
		if name == "" {
			name = "(no app)"
		}
		parts = append(parts, name+": "+strings.Join(envs, ", "))
	}
	return strings.Join(parts, "; ")
}

// notPlacedLine is the line the status table ends with when files that
// look like deploy configuration feed nothing; "" when none.
func notPlacedLine(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 file not placed — ferry status --explain"
	}
	return fmt.Sprintf("%d files not placed — ferry status --explain", n)
}

// lastReading is the latest reading of the repo in this process, so that
// `ferry status` can end its table with the not-placed line the feed's
// reading found (readGit stores it).
var lastReading atomic.Pointer[gitops.Result]

// printNotPlaced prints the not-placed line of the latest reading, if any.
func printNotPlaced(w io.Writer) {
	if res := lastReading.Load(); res != nil {
		if line := notPlacedLine(len(res.NotPlaced())); line != "" {
			fmt.Fprintln(w, line)
		}
	}
}

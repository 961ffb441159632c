package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// openK9s suspends the console and runs k9s on the cell's workload in its
// context and namespace; the console resumes when k9s exits.
func (c *Console) openK9s() tea.Cmd {
	if c.o.OpenK9s == nil {
		c.notice = "K: " + c.o.K9sOff
		return nil
	}
	target, why := c.k9sTarget()
	if why != "" {
		c.notice = "K: " + why
		return nil
	}
	build := c.o.OpenK9s
	return func() tea.Msg {
		cmd, err := build(target)
		return k9sReadyMsg{cmd: cmd, err: err}
	}
}

// k9sTarget finds the context, namespace and workload of the current cell,
// or says why it cannot.
func (c *Console) k9sTarget() (K9sTarget, string) {
	cell, k := c.current()
	env, _ := c.world.Environments.Get(k.Env)
	t := K9sTarget{Context: env.Kube.Context, Namespace: env.Kube.Namespace}
	if t.Context == "" {
		t.Context = c.world.Progress.Clusters[k.Env].Context
	}
	if t.Context == "" {
		return t, fmt.Sprintf("no kubeconfig context is known for %s (name one in ferry.yaml: environments[].kube.context)", Clean(k.Env))
	}
	if cell != nil {
		for _, img := range cell.Images {
			if d := img.Facts.Declared; d != nil && d.Workload != "" {
				t.Kind, t.Name, _ = strings.Cut(d.Workload, "/")
				break
			}
		}
	}
	return t, ""
}

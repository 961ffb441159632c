package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/ferryhq/ferry/internal/testrepo"
)

// Escape sequences a hostile repo, registry or API server might carry: a
// clipboard write (OSC 52), a window title (OSC 0), a hyperlink (OSC 8), a
// screen clear (CSI), and an 8-bit CSI (C1, as UTF-8).
const (
	osc52   = "\x1b]52;c;cHduZWQ=\x07"
	osc0    = "\x1b]0;pwned\x07"
	osc8    = "\x1b]8;;http://127.0.0.1:1/evil\x1b\\click\x1b]8;;\x1b\\"
	csi2J   = "\x1b[2J"
	c1CSI   = "\u009b31m"
	hostile = osc52 + osc0 + osc8 + csi2J + c1CSI
)

// Their inert forms, as ui.Clean shows them.
var (
	inertOSC52 = "^[]52;c;cHduZWQ=^G"
	inertOSC0  = "^[]0;pwned^G"
	inertC1    = "<U+009B>31m"
)

// hostileAPIServer answers every request as an API server refusing it,
// with escape sequences in Status.message.
func hostileAPIServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure",
			"reason": "Forbidden", "code": 403, "message": "denied " + hostile + " by policy"})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// hostileWorld is a GitOps repo, a registry and an API server, each
// carrying escape sequences where a user would read them: an environment
// name, an image reference's unparsable tail, a commit subject, an OCI
// version label, and a Kubernetes Status.message.
func hostileWorld(t *testing.T, dir string) (repo, kubeconfig string) {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	digest := pushWithLabels(t, u.Host, "acme/web:1.0", map[string]string{
		"org.opencontainers.image.version":  "1.0" + hostile,
		"org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567",
	})

	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: evil, cluster: {server: "`+hostileAPIServer(t)+`"}}]
users: [{name: u, user: {token: t0ken}}]
contexts: [{name: evil, context: {cluster: evil, user: u, namespace: shop}}]
current-context: evil
`), 0o600); err != nil {
		t.Fatal(err)
	}

	r := testrepo.FromDir(t, t.TempDir())
	yamlEsc := func(s string) string { // YAML double-quoted escapes
		return strings.NewReplacer("\x1b", `\e`, "\x07", `\a`, "\\", `\\`, "\u009b", `\x9b`).Replace(s)
	}
	qa := `"qa` + yamlEsc(osc0+osc52) + `"`
	r.Write("ferry.yaml", `environments:
  - name: dev
    kube: {context: evil}
  - name: `+qa+`
apps:
  - name: web
    paths: {dev: envs/dev/web, `+qa+`: envs/qa/web}
  - name: api
    paths: {dev: envs/dev/api}
registries:
  `+u.Host+`: {insecure: true}
`)
	deploy := func(image string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: web\n          image: \"" + image + "\"\n"
	}
	r.Write("envs/dev/web/deployment.yaml", deploy(u.Host+"/acme/web:1.0@"+digest))
	r.Write("envs/dev/api/deployment.yaml", deploy("nginx:1.0"+yamlEsc(hostile)))
	r.Write("envs/qa/web/deployment.yaml", deploy(u.Host+"/acme/web:1.0"))
	r.Commit("deploy web " + osc52 + c1CSI + " everywhere")
	return r.Dir, kubeconfig
}

// TestHostileTextStaysInertInARealTerminal runs the console and the tables
// on a real pseudo-terminal (tmux, which obeys OSC 52, OSC 0 and OSC 8):
// every escape sequence from a file, Git, the registry or an API server is
// shown in its inert form, and the terminal's title and clipboard are
// untouched. A pipe would hide the bug: lipgloss strips on non-terminals.
func TestHostileTextStaysInertInARealTerminal(t *testing.T) {
	bin, dir := buildForTmux(t)
	repo, kubeconfig := hostileWorld(t, dir)
	term := newTmux(t, dir)
	// tmux obeys an application's OSC 52 with set-clipboard on: a clipboard
	// write that got through would land in its buffers.
	term.run("-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "cat")
	term.run("set-option", "-g", "set-clipboard", "on")
	term.run("respawn-pane", "-k", "env "+xdgEnv(dir)+" "+bin+" --repo "+repo+" --kubeconfig "+kubeconfig+"; echo ferry-exited-$?; sleep 600")
	// The grid: an environment's name, an OCI label.
	term.see("APP", "qa"+inertOSC0, "1.0"+inertOSC52)
	// The detail: the whole label, the API server's Status.message, the
	// commit subject.
	term.keys("Enter")
	term.see("web in dev", "version   1.0"+inertOSC52+inertOSC0+"^[]8;;http", "(denied "+inertOSC52, "deploy web "+inertOSC52+inertC1)
	term.keys("Escape")
	term.see("APP")
	// An image reference's unparsable tail.
	term.keys("j", "Enter")
	term.see("api in dev", "invalid image reference", "evil^[\\click^[]8;;^[\\^[[2J"+inertC1)
	term.keys("Escape")
	term.see("APP", "row 2/2")
	// The timeline.
	term.keys("t")
	term.see("timeline", "qa"+inertOSC0, "deploy web "+inertOSC52+inertC1)
	term.keys("Escape")
	term.see("APP", "row 2/2")
	term.keys("q")
	term.see("ferry-exited-0")

	// The tables, on the same terminal.
	term.run("respawn-pane", "-k", "env "+xdgEnv(dir)+" "+bin+" status --repo "+repo+" --kubeconfig "+kubeconfig+"; "+
		"env "+xdgEnv(dir)+" "+bin+" log --since 100000h --repo "+repo+"; echo tables-printed; sleep 600")
	term.see("tables-printed", "│ qa"+inertOSC0, "(denied "+inertOSC52, "SUBJECT", "deploy web "+inertOSC52+inertC1)

	// Nothing was obeyed: no title set, no clipboard written.
	if title := term.run("display-message", "-p", "#{pane_title}"); strings.Contains(title, "pwned") {
		t.Errorf("an OSC 0 reached the terminal: the pane's title is %q", title)
	}
	if buffers := term.run("list-buffers"); strings.TrimSpace(buffers) != "" {
		t.Errorf("an OSC 52 reached the terminal: tmux's buffers hold %q", buffers)
	}
}

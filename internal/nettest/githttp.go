package nettest

import (
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// GitServer serves one bare repository over Git's smart HTTP protocol on
// 127.0.0.1, with git's own http-backend behind it, as a Git host would:
// anyone may fetch; a push may need a token (HTTP basic auth, any user
// name), and a pre-receive hook may decline it with a message.
type GitServer struct {
	URL  string // http://127.0.0.1:PORT/NAME.git
	bare string

	mu    sync.Mutex
	token string
}

// GitHTTP serves the bare repository at dir until the test ends.
func GitHTTP(t testing.TB, dir string) *GitServer {
	t.Helper()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v (the Git server in tests is git's own http-backend)", err)
	}
	backend := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env: []string{"GIT_PROJECT_ROOT=" + filepath.Dir(dir), "GIT_HTTP_EXPORT_ALL=1",
			"REMOTE_USER=pusher"}, // receive-pack runs only for a user; the token is checked before
		Stderr: io.Discard, // what a hook says to a client without side-band
	}
	s := &GitServer{bare: dir}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pushing(r) && !s.allowed(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/" + filepath.Base(dir)
	return s
}

// pushing reports a request of a push: the receive-pack advertisement or
// the pack itself.
func pushing(r *http.Request) bool {
	return r.URL.Query().Get("service") == "git-receive-pack" || strings.HasSuffix(r.URL.Path, "/git-receive-pack")
}

func (s *GitServer) allowed(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == "" {
		return true
	}
	_, password, ok := r.BasicAuth()
	return ok && password == s.token
}

// RequireToken makes pushes need token as the password; "" lets anyone push.
func (s *GitServer) RequireToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// Decline makes the repository's pre-receive hook refuse every push with
// message, as a protected branch does; "" removes the hook.
func (s *GitServer) Decline(t testing.TB, message string) {
	t.Helper()
	hook := filepath.Join(s.bare, "hooks", "pre-receive")
	if message == "" {
		if err := os.Remove(hook); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho '" + strings.ReplaceAll(message, "'", `'\''`) + "' >&2\nexit 1\n"
	if err := os.WriteFile(hook, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

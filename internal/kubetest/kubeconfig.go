package kubetest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Context is one kubeconfig context to write: its name, the user it
// authenticates as, and its default namespace.
type Context struct {
	Name      string
	User      string
	Namespace string
}

// WriteKubeconfig writes a kubeconfig with the given contexts (the first is
// current) into the server's directory and returns its path.
func (s *Server) WriteKubeconfig(file string, contexts ...Context) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kubetest"] = &clientcmdapi.Cluster{Server: s.URL, CertificateAuthorityData: s.pki.caPEM}
	for i, c := range contexts {
		if _, ok := cfg.AuthInfos[c.User]; !ok {
			cfg.AuthInfos[c.User] = &clientcmdapi.AuthInfo{Token: Token(c.User)}
		}
		cfg.Contexts[c.Name] = &clientcmdapi.Context{Cluster: "kubetest", AuthInfo: c.User, Namespace: c.Namespace}
		if i == 0 {
			cfg.CurrentContext = c.Name
		}
	}
	path := filepath.Join(s.Dir, file)
	return path, clientcmd.WriteToFile(*cfg, path)
}

// AuditEvent is the part of an audit log line the tests look at.
type AuditEvent struct {
	Verb       string `json:"verb"`
	RequestURI string `json:"requestURI"`
	User       struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef struct {
		Resource  string `json:"resource"`
		Namespace string `json:"namespace"`
	} `json:"objectRef"`
}

// AuditEvents returns every request the API server recorded for a user, in
// order. The server writes the log before it answers (blocking mode), so a
// request that returned is in it.
func (s *Server) AuditEvents(user string) ([]AuditEvent, error) {
	f, err := os.Open(s.auditLog)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []AuditEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev AuditEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, err
		}
		if ev.User.Username == user {
			out = append(out, ev)
		}
	}
	return out, sc.Err()
}

// Package kubetest runs a real kube-apiserver backed by etcd for tests: no
// Docker, no kubelet, no controller manager. Both binaries are built from
// the Go module proxy through the wrapper modules under testdata/kube
// (k8s.io/kubernetes cannot be "go install"ed because of its replace
// directives) and cached per version under the user cache directory
// (~/.cache/ferry/kubetest): a cold build takes minutes, a hit a stat.
//
// Environment: FERRY_KUBE_APISERVER and FERRY_ETCD point at prebuilt
// binaries instead; test packages skip their kube tests when
// FERRY_SKIP_KUBE=1 (quick local runs), and otherwise fail with the build
// output if the harness cannot build or start.
//
// The servers run with a token file (users Admin, Ferry, Restricted),
// RBAC, serving certificates for 127.0.0.1, service-account keys, the
// ServiceAccount admission plugin off, and an audit log (Metadata level,
// blocking) that AuditEvents reads.
package kubetest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/rest"
)

// Users the server knows, by bearer token. Admin and Ferry are both in
// system:masters, so RBAC never limits what ferry could do: the audit log
// alone shows that it only reads. Restricted has no rights until a test
// binds a role to it.
const (
	Admin      = "admin"
	Ferry      = "ferry"
	Restricted = "restricted"
)

var users = map[string]string{Admin: "system:masters", Ferry: "system:masters", Restricted: ""}

// Options tune StartServer.
type Options struct {
	// Logf reports progress such as a cold build; nil discards it.
	Logf func(format string, args ...any)
}

// Server is a running etcd + kube-apiserver pair.
type Server struct {
	// URL is the API server's https address on 127.0.0.1.
	URL string
	// Dir holds certificates, tokens, logs and kubeconfigs.
	Dir string

	apiserverBin string
	args         []string
	pki          *pki
	etcd         *process
	apiserver    *process
	auditLog     string
	logf         func(string, ...any)
	firstStart   time.Duration // how long kube-apiserver took to get ready
}

// Start starts a server for one test and stops it when the test ends. A
// failure to build or start fails the test with the build or server output;
// the servers' logs are shown when the test fails, and only then.
// A cold build counts against go test's -timeout; call StartServer from
// TestMain (before m.Run) to build outside it.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := StartServer(Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.Logs())
		}
		s.Stop()
	})
	return s
}

// StartServer builds (or finds in the cache) and starts etcd and
// kube-apiserver on free loopback ports. The caller must call Stop.
func StartServer(o Options) (*Server, error) {
	logf := o.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	etcdBin, err := etcdServer.path(logf)
	if err != nil {
		return nil, err
	}
	apiBin, err := kubeAPIServer.path(logf)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ferry-kubetest-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, apiserverBin: apiBin, auditLog: filepath.Join(dir, "audit.log"), logf: logf}
	if err := s.start(etcdBin); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(etcdBin string) error {
	var err error
	if s.pki, err = writePKI(s.Dir); err != nil {
		return err
	}
	etcdURL, err := s.startEtcd(etcdBin)
	if err != nil {
		return err
	}
	if err := s.writeConfigFiles(); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	s.URL = loopback("https", port)
	s.args = []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + filepath.Join(s.Dir, "certs"),
		"--tls-cert-file=" + s.pki.certFile, "--tls-private-key-file=" + s.pki.keyFile,
		"--token-auth-file=" + filepath.Join(s.Dir, "tokens.csv"),
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + s.pki.saPublic,
		"--service-account-signing-key-file=" + s.pki.saPrivate,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--disable-admission-plugins=ServiceAccount",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
		"--audit-policy-file=" + filepath.Join(s.Dir, "audit-policy.yaml"),
		"--audit-log-path=" + s.auditLog, "--audit-log-mode=blocking",
	}
	return s.StartAPIServer()
}

func (s *Server) startEtcd(bin string) (string, error) {
	var client string
	start := func() (*process, error) {
		clientPort, err := freePort()
		if err != nil {
			return nil, err
		}
		peerPort, err := freePort()
		if err != nil {
			return nil, err
		}
		var peer string
		client, peer = loopback("http", clientPort), loopback("http", peerPort)
		data := filepath.Join(s.Dir, "etcd")
		_ = os.RemoveAll(data) // what a failed attempt left
		return startProcess("etcd", s.Dir, bin,
			"--name=kubetest", "--data-dir="+data,
			"--listen-client-urls="+client, "--advertise-client-urls="+client,
			"--listen-peer-urls="+peer, "--initial-advertise-peer-urls="+peer,
			"--initial-cluster=kubetest="+peer, "--unsafe-no-fsync", "--log-level=error")
	}
	var err error
	s.etcd, err = startReady(s.logf, Scale(time.Minute), start, func() error {
		return expectOK(http.DefaultClient, client+"/health", "")
	})
	return client, err
}

// StartAPIServer (re)starts kube-apiserver on the same port and storage,
// and waits until /readyz answers ok. Tests use it after StopAPIServer.
// A restart may take much longer than the first start took on a busy
// machine; its deadline grows with that first start.
func (s *Server) StartAPIServer() error {
	start := func() (*process, error) {
		return startProcess("kube-apiserver", s.Dir, s.apiserverBin, s.args...)
	}
	client := s.httpClient()
	began := time.Now()
	var err error
	s.apiserver, err = startReady(s.logf, Scale(2*time.Minute)+4*s.firstStart, start, func() error {
		return expectOK(client, s.URL+"/readyz", Token(Admin))
	})
	if err == nil && s.firstStart == 0 {
		s.firstStart = time.Since(began)
	}
	return err
}

// Logs returns the end of both servers' logs, for a test that failed.
func (s *Server) Logs() string {
	return "etcd log:\n" + s.etcd.tail() + "\nkube-apiserver log:\n" + s.apiserver.tail()
}

// StopAPIServer kills kube-apiserver, leaving etcd running: watches drop
// and requests fail as when a control plane goes away.
func (s *Server) StopAPIServer() { s.apiserver.stop() }

// Stop kills both servers and removes their files.
func (s *Server) Stop() {
	s.apiserver.stop()
	s.etcd.stop()
	_ = os.RemoveAll(s.Dir)
}

// Token returns the bearer token of a user.
func Token(user string) string { return "token-" + user }

// RESTConfig returns a client configuration for a user.
func (s *Server) RESTConfig(user string) *rest.Config {
	return &rest.Config{
		Host: s.URL, BearerToken: Token(user),
		TLSClientConfig: rest.TLSClientConfig{CAData: s.pki.caPEM},
		QPS:             100, Burst: 200,
	}
}

func (s *Server) httpClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.pki.caPEM)
	return &http.Client{
		Timeout:   Scale(5 * time.Second),
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
}

func (s *Server) writeConfigFiles() error {
	var tokens strings.Builder
	for user, group := range users {
		fmt.Fprintf(&tokens, "%s,%s,%s,%q\n", Token(user), user, user, group)
	}
	policy := "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n"
	if err := os.WriteFile(filepath.Join(s.Dir, "tokens.csv"), []byte(tokens.String()), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(s.Dir, "audit-policy.yaml"), []byte(policy), 0o600)
}

func expectOK(client *http.Client, url, token string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}

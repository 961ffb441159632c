package kubetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// Versions of the binaries the harness runs. They match the wrapper modules
// under testdata/kube; change both together.
const (
	KubeVersion = "v1.36.3"
	EtcdVersion = "v3.6.8"
)

// binary describes one program built from a wrapper module.
type binary struct {
	name    string // file name in the cache, before the version
	version string
	module  string // wrapper module directory under testdata/kube
	pkg     string // package to build
	ldflags string
	envVar  string // environment variable that may point at a prebuilt binary
}

var (
	kubeAPIServer = binary{
		name: "kube-apiserver", version: KubeVersion, module: "apiserver",
		pkg:     "k8s.io/kubernetes/cmd/kube-apiserver",
		ldflags: versionFlags("k8s.io/component-base/version", KubeVersion, "1", "36"),
		envVar:  "FERRY_KUBE_APISERVER",
	}
	etcdServer = binary{
		name: "etcd", version: EtcdVersion, module: "etcd",
		pkg: "go.etcd.io/etcd/server/v3", ldflags: "-s -w", envVar: "FERRY_ETCD",
	}
)

// versionFlags stamps the version clients parse from /version; without it
// the server reports v0.0.0 and client-go refuses to talk to it.
func versionFlags(pkg, version, major, minor string) string {
	return fmt.Sprintf("-s -w -X %[1]s.gitVersion=%[2]s -X %[1]s.gitMajor=%[3]s -X %[1]s.gitMinor=%[4]s -X %[1]s.gitTreeState=clean",
		pkg, version, major, minor)
}

// CacheDir is where built binaries are kept between runs, one file per
// version, under the user cache directory.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for the kube binaries: %w", err)
	}
	return filepath.Join(base, "ferry", "kubetest"), nil
}

// path returns the binary, building it on a cache miss. A hit only checks
// that the file exists: it costs no go invocation.
func (b binary) path(logf func(string, ...any)) (string, error) {
	if p := os.Getenv(b.envVar); p != "" {
		return p, nil
	}
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, b.name+"-"+b.version)
	if cached(out) {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(out + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if cached(out) { // another test process built it while we waited
		return out, nil
	}
	// Holding the lock, any partial output is left over from a killed build.
	if stale, err := filepath.Glob(out + ".tmp-*"); err == nil {
		for _, f := range stale {
			_ = os.Remove(f)
		}
	}
	logf("kubetest: building %s %s (minutes on a cold Go build cache)", b.name, b.version)
	start := time.Now()
	if err := b.build(out); err != nil {
		return "", err
	}
	logf("kubetest: built %s in %s", b.name, time.Since(start).Round(time.Second))
	return out, nil
}

func cached(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}

// build runs go build in the wrapper module and moves the result into place
// atomically, so an interrupted build never leaves a broken cache entry.
func (b binary) build(out string) error {
	src, err := wrapperDir(b.module)
	if err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp-%d", out, os.Getpid())
	cmd := exec.Command("go", "build", "-o", tmp, "-ldflags", b.ldflags, b.pkg)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Run(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("building %s %s in %s failed: %v\n%s", b.name, b.version, src, err, output.String())
	}
	return os.Rename(tmp, out)
}

// wrapperDir finds testdata/kube/<module> relative to this source file, so
// the harness works from any test package's working directory.
func wrapperDir(module string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("kubetest: cannot locate its own source file")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "kube", module)
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return "", fmt.Errorf("kubetest: wrapper module %s missing: %w", dir, err)
	}
	return dir, nil
}

package registry

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// TestDefaultKeychainReadsDockerConfig: without Options.Keychain, the
// credentials come from $DOCKER_CONFIG/config.json, as docker login wrote them.
func TestDefaultKeychainReadsDockerConfig(t *testing.T) {
	tr := newTestRegistry(t)
	tr.user, tr.password = "ci", secretPassword
	digest := tr.push(t, "shop/private-ok:1", plainImage(t))
	tr.arm()

	home, dockerDir := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home) // a docker config in the real home would win
	t.Setenv("DOCKER_CONFIG", dockerDir)
	auth := base64.StdEncoding.EncodeToString([]byte("ci:" + secretPassword))
	config := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, tr.host, auth)
	if err := os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	o := Options{CacheDir: "-", Insecure: func(string) bool { return true },
		Logf: func(f string, a ...any) { fmt.Fprintf(&logs, f+"\n", a...) }}
	good := ref(tr.host+"/shop/private-ok", "1", "")
	res := New(o).Resolve(context.Background(), []model.ImageRef{good})
	if got := res.Facts[good.String()].Digest; got != digest {
		t.Errorf("digest %q, problems %v; want %s", got, res.Problems, digest)
	}

	// Wrong credentials: the problem says what to do and shows no secret.
	wrong := base64.StdEncoding.EncodeToString([]byte("ci:wrong-" + secretPassword))
	config = fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, tr.host, wrong)
	if err := os.WriteFile(filepath.Join(dockerDir, "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	res = New(o).Resolve(context.Background(), []model.ImageRef{good})
	if f := res.Faults[good.String()]; len(f) != 1 || f[0].Kind != FaultUnauthorized ||
		!strings.HasSuffix(f[0].Message, "run docker login "+tr.host) {
		t.Errorf("faults %+v, want unauthorized with a docker login hint", f)
	}
	assertNoSecrets(t, res, logs.String())
}

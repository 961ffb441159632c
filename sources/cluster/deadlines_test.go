package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/cluster"
)

// TestAnAPIServerThatNeverAnswersSaysSoInOneSentence: an API server whose
// TLS handshake never completes, and one that completes it and never
// answers, each become one sentence on their column naming the wait,
// within the deadlines (the answer deadline shortened here; client-go's
// TLS handshake deadline is its own 10s). The waits are the transports'.
func TestAnAPIServerThatNeverAnswersSaysSoInOneSentence(t *testing.T) {
	nettest.Deadlines(t, netwait.Deadlines{Connect: time.Second, Answer: 300 * time.Millisecond})

	tarpit := nettest.Silent(t)
	silent := nettest.SilentTLS(t)

	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters:
  - {name: tarpit, cluster: {server: "https://`+tarpit+`", insecure-skip-tls-verify: true}}
  - {name: silent, cluster: {server: "`+silent.URL+`", insecure-skip-tls-verify: true}}
users: [{name: u, user: {token: t0ken}}]
contexts:
  - {name: tarpit, context: {cluster: tarpit, user: u}}
  - {name: silent, context: {cluster: silent, user: u}}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	envs := model.Environments{env("dev", "tarpit", "shop"), env("prod", "silent", "shop")}
	src, problems := cluster.New(cluster.Options{Kubeconfig: kubeconfig, Environments: envs})
	if len(problems) != 0 {
		t.Fatalf("problems building the source: %v", problems)
	}
	snap := src.List(context.Background(), []cluster.Target{
		{App: "api", Env: "dev", Declared: []model.Declared{declared("api", "dev", "api", "r/api", "")}},
		{App: "api", Env: "prod", Declared: []model.Declared{declared("api", "prod", "api", "r/api", "")}},
	})
	want := map[string]string{
		"dev":  `context "tarpit": its API server ` + tarpit + ` accepted the connection but did not finish the TLS handshake within 1s`,
		"prod": `context "silent": its API server ` + strings.TrimPrefix(silent.URL, "https://") + ` accepted the connection but did not answer within 300ms`,
	}
	for env, sentence := range want {
		found := false
		for _, p := range snap.Problems {
			if p.Env == env && strings.Contains(p.Message, sentence) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no problem saying %q in %v", env, sentence, snap.Problems)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/internal/nettest"
	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/internal/userconfig"
)

// TestTheDeadlinesComeFromAFlagTheEnvironmentOrTheUserConfig: a --repo URL
// whose server accepts and never answers ends in one sentence within the
// answer deadline, whichever layer set it (the waits are the transport's).
func TestTheDeadlinesComeFromAFlagTheEnvironmentOrTheUserConfig(t *testing.T) {
	t.Cleanup(func() { netwait.Set(netwait.Default) })
	silent := nettest.Silent(t)
	url := "http://" + silent + "/shop.git"
	path := userconfig.Path() // the test run's own (TestMain)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("answer_timeout: 400ms\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
	for _, c := range []struct {
		env, flag, want string
	}{
		{want: "did not answer within 400ms"},                              // the user config
		{env: "300ms", want: "did not answer within 300ms"},                // FERRY_ANSWER_TIMEOUT beats it
		{env: "300ms", flag: "200ms", want: "did not answer within 200ms"}, // the flag beats both
	} {
		t.Setenv("FERRY_ANSWER_TIMEOUT", c.env)
		args := []string{"status", "--repo", url, "--sources", "git"}
		if c.flag != "" {
			args = append(args, "--answer-timeout", c.flag)
		}
		_, errOut, code := ferry(t, args...)
		if code == 0 || !strings.Contains(errOut, silent+" accepted the connection but "+c.want) {
			t.Errorf("env %q flag %q: exit %d, %q; want one sentence with %q", c.env, c.flag, code, errOut, c.want)
		}
	}
}

package registry

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
)

func TestBackoffWait(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	b := backoff{Tries: 4, Base: 500 * time.Millisecond, Max: time.Minute, Now: func() time.Time { return now }}
	resp := func(retryAfter string) *http.Response {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &http.Response{Header: h}
	}
	tests := []struct {
		header string
		try    int
		want   time.Duration
		ok     bool
	}{
		{"", 1, 500 * time.Millisecond, true},
		{"", 3, 2 * time.Second, true},
		{"", 10, time.Minute, true}, // capped
		{"12", 1, 12 * time.Second, true},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 1, 30 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 1, 0, true}, // a date in the past: go now
		{"7200", 1, 2 * time.Hour, false},                         // more than ferry waits
		{"soon", 2, time.Second, true},                            // unreadable: own backoff
	}
	for _, tt := range tests {
		got, ok := b.wait(resp(tt.header), tt.try)
		if got != tt.want || ok != tt.ok {
			t.Errorf("wait(Retry-After %q, try %d) = %s, %v; want %s, %v", tt.header, tt.try, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCacheRoundTripAndBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	digest := "sha256:" + strings.Repeat("a", 64)
	s := newCacheStore(dir, t.Logf)
	s.putArtifact("r.example/a", digest, artifact{Version: "1.0"})
	s.putTag("r.example/a", "v1", digest, now)
	s.putTag("r.example/a", "old", digest, now.Add(-48*time.Hour)) // pruned at flush
	s.flush(5*time.Minute, now)

	s = newCacheStore(dir, t.Logf) // the next run
	if a, ok := s.artifact("r.example/a", digest); !ok || a.Version != "1.0" {
		t.Errorf("artifact round trip: %+v, %v", a, ok)
	}
	if d, fresh := s.tag("r.example/a", "v1", 5*time.Minute, now.Add(4*time.Minute)); !fresh || d != digest {
		t.Errorf("fresh tag entry: %q, %v", d, fresh)
	}
	if _, fresh := s.tag("r.example/a", "v1", 5*time.Minute, now.Add(6*time.Minute)); fresh {
		t.Errorf("expired tag entry trusted")
	}
	if d, _ := s.tag("r.example/a", "old", time.Hour, now); d != "" {
		t.Errorf("a tag entry two days old was kept")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "v1", "repos", "*"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one per repository and no temporary leftovers", files)
	}
	if err := os.WriteFile(files[0], []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := newCacheStore(dir, t.Logf).artifact("r.example/a", digest); ok {
		t.Errorf("a broken file was trusted")
	}
}

func TestScheduleDedupesAndInterleavesRepositories(t *testing.T) {
	a1, a2 := ref("r/a", "1", ""), ref("r/a", "2", "")
	b1 := ref("r/b", "1", "")
	got := schedule([]model.ImageRef{a1, a2, a1, b1, {}})
	if want := []model.ImageRef{a1, b1, a2}; !slices.Equal(got, want) {
		t.Errorf("schedule = %v, want %v", got, want)
	}
}

package imageref

import (
	"testing"

	"github.com/ferryhq/ferry/model"
)

const dg = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want model.ImageRef
	}{
		{"nginx", model.ImageRef{Repository: "nginx"}},
		{"nginx:1.27", model.ImageRef{Repository: "nginx", Tag: "1.27"}},
		{"localhost:5000/shop/api", model.ImageRef{Repository: "localhost:5000/shop/api"}},
		{"localhost:5000/shop/api:v2", model.ImageRef{Repository: "localhost:5000/shop/api", Tag: "v2"}},
		{"ghcr.io/shop/api@" + dg, model.ImageRef{Repository: "ghcr.io/shop/api", Digest: dg}},
		{"ghcr.io/shop/api:v1.2.3@" + dg, model.ImageRef{Repository: "ghcr.io/shop/api", Tag: "v1.2.3", Digest: dg}},
		{"  registry.example.org:443/a/b/c:x_y.z-1 ", model.ImageRef{Repository: "registry.example.org:443/a/b/c", Tag: "x_y.z-1"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if again, err := Parse(got.String()); err != nil || again != got {
			t.Errorf("round trip of %q: %+v, %v", got.String(), again, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "UPPER/case", "repo:", "repo@sha256:short", "repo:bad tag", "repo@@" + dg} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", in, got)
		}
	}
}

func TestParseParts(t *testing.T) {
	got, err := ParseParts("ghcr.io/", "shop/api", "v1", dg)
	want := model.ImageRef{Repository: "ghcr.io/shop/api", Tag: "v1", Digest: dg}
	if err != nil || got != want {
		t.Fatalf("ParseParts = %+v, %v; want %+v", got, err, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"nginx", "a/b:c", "localhost:5000/x@" + dg, "h:1/p:t@" + dg, ":", "@", "a:b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(ref.String())
		if err != nil || again != ref {
			t.Fatalf("Parse(%q) = %+v renders %q, which parses to %+v, %v", s, ref, ref.String(), again, err)
		}
	})
}

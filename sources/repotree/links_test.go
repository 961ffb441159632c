package repotree

import (
	"reflect"
	"testing"
)

func TestFollowLinksReadsWhatALinkPointsTo(t *testing.T) {
	files := map[string][]byte{
		"shared/base/deploy.yaml":        []byte("kind: Deployment\n"),
		"shared/base/kustomization.yaml": []byte("resources: [deploy.yaml]\n"),
		"shared/values.yaml":             []byte("image: {tag: 1}\n"),
	}
	links := map[string]string{
		"apps/web/base":            "../../shared/base",        // a folder
		"apps/web/values-dev.yaml": "../../shared/values.yaml", // a file
		"apps/api/base":            "../web/base",              // a link to a link
		"apps/web/secrets":         "/etc/ferry/secrets",       // absolute: outside
		"apps/web/common":          "../../../common",          // relative, outside
		"apps/web/gone":            "../../nothing",            // dangling
		"loop/a":                   "b",
		"loop/b":                   "a",
	}
	broken := FollowLinks(files, links)
	for _, p := range []string{"apps/web/base/deploy.yaml", "apps/web/base/kustomization.yaml", "apps/web/values-dev.yaml", "apps/api/base/deploy.yaml"} {
		if files[p] == nil {
			t.Errorf("%s is not read through its link", p)
		}
	}
	want := map[string]string{
		"apps/web/secrets": "a symbolic link to /etc/ferry/secrets, outside the repo: ferry reads only the repo's own files",
		"apps/web/common":  "a symbolic link to ../../../common, outside the repo: ferry reads only the repo's own files",
		"apps/web/gone":    "a symbolic link to ../../nothing, which the repo does not hold",
		"loop/a":           "a symbolic link that leads through more than 8 links (a loop?)",
		"loop/b":           "a symbolic link that leads through more than 8 links (a loop?)",
	}
	if !reflect.DeepEqual(broken, want) {
		t.Errorf("broken links:\n%v\nwant:\n%v", broken, want)
	}
}

package model

import (
	"net/url"
	"regexp"
	"strings"
)

// CompareURL links to the comparison of two revisions on the web page of
// the repository at repoURL (an https, ssh or scp-like Git URL), when the
// host is GitHub or GitLab; "" otherwise, and when either end is unknown.
// A promotion's review links what is being shipped; a pull-request branch
// links the request to open.
func CompareURL(repoURL, from, to string) string {
	if from == "" || to == "" {
		return ""
	}
	web, host := webRepo(repoURL)
	switch {
	case web == "":
		return ""
	case host == "github.com" || strings.HasPrefix(host, "github."):
		return web + "/compare/" + from + "..." + to
	case host == "gitlab.com" || strings.HasPrefix(host, "gitlab."):
		return web + "/-/compare/" + from + "..." + to
	}
	return ""
}

var scpURL = regexp.MustCompile(`^[\w.-]+@([\w.-]+):(.+)$`)

// webRepo turns a Git URL into the repository's https page and its host.
func webRepo(repoURL string) (web, host string) {
	var path string
	if m := scpURL.FindStringSubmatch(repoURL); m != nil {
		host, path = m[1], m[2]
	} else {
		u, err := url.Parse(repoURL)
		if err != nil || u.Host == "" {
			return "", ""
		}
		host, path = u.Hostname(), u.Path
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	if host == "" || path == "" {
		return "", ""
	}
	return "https://" + host + "/" + path, host
}

// WebRepo is the https page of the repository at a Git URL (https, ssh or
// scp-like), "" when it names none: two spellings of one repository match.
func WebRepo(repoURL string) string {
	web, _ := webRepo(repoURL)
	return web
}

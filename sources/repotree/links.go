package repotree

import (
	"path"
	"strings"
)

// Symbolic links are common in GitOps repos (an overlay's base linked from
// a shared folder, values files shared by environments). A link inside the
// repo is read as what it points to: its file, or every file of its
// folder under the link's path. A link out of the repo (or one that
// points at nothing, or in a loop) cannot be read, and says so instead of
// its files silently "not existing".

// maxLinkHops bounds a chain of links to links.
const maxLinkHops = 8

// FollowLinks adds to files what each link (repo path → its target, as
// stored in Git or read from disk) points to, and returns the links it
// could not follow with the reason.
func FollowLinks(files map[string][]byte, links map[string]string) (broken map[string]string) {
	broken = map[string]string{}
	for link, target := range links {
		to, why := resolveLink(link, links)
		switch {
		case why != "":
			broken[link] = why
		case files[to] != nil:
			files[link] = files[to]
		default:
			if n := copyFolder(files, to, link); n == 0 {
				broken[link] = "a symbolic link to " + target + ", which the repo does not hold"
			}
		}
	}
	return broken
}

// resolveLink follows a link, and the links its path leads through, to a
// repo path; or says why it cannot.
func resolveLink(link string, links map[string]string) (string, string) {
	outside := "a symbolic link to " + links[link] + ", outside the repo: ferry reads only the repo's own files"
	p := link
	for hop := 0; hop < maxLinkHops; hop++ {
		l, ok := linkOn(p, links)
		if !ok {
			return p, ""
		}
		target := links[l]
		if path.IsAbs(target) {
			return "", outside
		}
		base := path.Clean(path.Join(path.Dir(l), target))
		if base == ".." || strings.HasPrefix(base, "../") {
			return "", outside
		}
		p = base + strings.TrimPrefix(p, l)
	}
	return "", "a symbolic link that leads through more than 8 links (a loop?)"
}

// linkOn reports the link that p is, or lies under.
func linkOn(p string, links map[string]string) (string, bool) {
	for q := p; q != "." && q != "/"; q = path.Dir(q) {
		if _, ok := links[q]; ok {
			return q, true
		}
	}
	return "", false
}

// copyFolder puts every file under from/ also under to/; it returns how
// many.
func copyFolder(files map[string][]byte, from, to string) int {
	n := 0
	prefix := from + "/"
	for p, data := range files {
		if strings.HasPrefix(p, prefix) {
			files[to+"/"+strings.TrimPrefix(p, prefix)] = data
			n++
		}
	}
	return n
}

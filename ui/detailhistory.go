package ui

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ferryhq/ferry/model"
)

// historyBlock lists every change of the cell's declaration, newest first.
func historyBlock(in detailInput, t *Theme) string {
	title := t.Header.Render("history") + t.Muted.Render(" (Git, newest first)")
	switch {
	case in.loading:
		return title + "\n  " + t.Muted.Render("reading…") + "\n"
	case in.histErr != nil:
		return title + "\n  " + t.Problem.Render("✖ "+Clean(in.histErr.Error())) + "\n"
	case len(in.history) == 0:
		return title + "\n  " + t.Muted.Render("no change of this cell in the history read") + "\n"
	}
	var b strings.Builder
	b.WriteString(title + "\n")
	zone := in.timeZone
	for _, e := range in.history {
		when := e.When
		if zone != nil {
			when = when.In(zone)
		}
		change := refText(e.To)
		if !e.From.IsZero() {
			change = refText(e.From) + " → " + change
		}
		fmt.Fprintf(&b, "  %s  %s  %-14s %s  %s\n", when.Format("2006-01-02 15:04"),
			t.Muted.Render(model.ShortRevision(e.Commit)), Clean(e.Author), Clean(e.Subject),
			t.Artifact(e.To.Digest).Render(Clean(e.Image)+" "+change))
	}
	return b.String()
}

// refText names a reference by its tag and short digest.
func refText(r model.ImageRef) string {
	var parts []string
	if r.Tag != "" {
		parts = append(parts, Clean(r.Tag))
	}
	if r.Digest != "" {
		parts = append(parts, model.ShortDigest(r.Digest))
	}
	if len(parts) == 0 {
		return "latest"
	}
	return strings.Join(parts, "@")
}

// link makes text an OSC 8 hyperlink when the URL is safe to send.
func link(t *Theme, u, text string) string {
	if u == "" {
		return text
	}
	return t.Link.Hyperlink(u).Render(text)
}

// safeURL returns an http(s) URL as it is, "" for anything else: a label
// must not smuggle a file: or control sequence into the terminal's link.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || Clean(s) != s || strings.ContainsAny(s, " \\") {
		return ""
	}
	return s
}

// commitURL links a commit on GitHub or GitLab; "" for other hosts.
func commitURL(source, revision string) string {
	src := safeURL(strings.TrimSuffix(source, ".git"))
	if src == "" || Clean(revision) != revision {
		return ""
	}
	u, _ := url.Parse(src)
	switch {
	case u.Host == "github.com":
		return src + "/commit/" + revision
	case u.Host == "gitlab.com" || strings.HasPrefix(u.Host, "gitlab."):
		return src + "/-/commit/" + revision
	}
	return ""
}

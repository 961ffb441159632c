package model

import (
	"strings"

	"golang.org/x/mod/semver"
)

// CompareVersions compares two tags or versions the semver way ("v1.10.0" >
// "1.9.2"; a leading "v" is optional). ok is false when either is not a
// version, and the caller must order another way (by created time).
func CompareVersions(a, b string) (cmp int, ok bool) {
	va, vb := canonicalVersion(a), canonicalVersion(b)
	if va == "" || vb == "" {
		return 0, false
	}
	return semver.Compare(va, vb), true
}

// canonicalVersion turns "1.2", "v1.2.3-rc.1" or "1.2.3+build" into a
// golang.org/x/mod/semver string, or "" when it is no version.
func canonicalVersion(s string) string {
	if !strings.HasPrefix(s, "v") {
		s = "v" + s
	}
	if !semver.IsValid(s) {
		return ""
	}
	return s
}

package gitops

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/ferryhq/ferry/sources/kustomize"
)

// kindLine matches a document's kind, and workloadKind the kinds that run
// pods.
var (
	kindLine     = regexp.MustCompile(`(?m)^kind:\s*["']?(\w+)`)
	workloadKind = map[string]bool{
		"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true,
		"Job": true, "CronJob": true, "Rollout": true, "Pod": true,
	}
)

// looksLike says what kind of deploy configuration a file looks like, from
// its name and a glance at its text, or "" when it looks like none: every
// such file gets a line in --explain, placed or not.
func looksLike(p string, data []byte) string {
	base := path.Base(p)
	switch {
	case slices.Contains(kustomize.FileNames, base):
		return "kustomization"
	case base == "Chart.yaml":
		return "helm-chart"
	case isArgoSourceFile(p):
		return "argocd-source"
	}
	for _, m := range kindLine.FindAllSubmatch(data, -1) {
		switch kind := string(m[1]); {
		case kind == "Application" && bytes.Contains(data, []byte("argoproj.io")):
			return "argocd-application"
		case kind == "ApplicationSet":
			return "argocd-applicationset"
		case kind == "HelmRelease":
			return "flux-helmrelease"
		case kind == "Stage" && bytes.Contains(data, []byte("kargo.akuity.io")):
			return "kargo-stage"
		case workloadKind[kind] && bytes.Contains(data, []byte("containers:")):
			return "manifest"
		}
	}
	if isValuesName(base) && !kindLine.Match(data) {
		return "helm-values"
	}
	return ""
}

// isValuesName reports file names Helm values files go by: values.yaml,
// values-prod.yaml, prod-values.yaml, search_values.yaml.
func isValuesName(base string) bool {
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	return strings.HasPrefix(stem, "values") || strings.HasSuffix(stem, "-values") ||
		strings.HasSuffix(stem, "_values") || strings.HasSuffix(stem, ".values")
}

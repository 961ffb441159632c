// Package repotree holds what every reader of a GitOps repo shares: the
// snapshot of its files (Tree) and the YAML helpers that keep node
// positions, so that a promotion can splice bytes where a value is written.
// sources/gitops, sources/kustomize and sources/helm read through it.
package repotree

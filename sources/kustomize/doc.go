// Package kustomize builds Kustomize overlays of a repo tree with
// kustomize's own library (krusty) and says, for every image the built
// output deploys, which file and field set it: the images: entry, the patch
// or the resource file a promotion would edit.
package kustomize

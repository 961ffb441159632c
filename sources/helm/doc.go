// Package helm renders the Helm charts of a repo tree with Helm's own
// library, the way Argo CD and Flux do, and traces every image of the
// rendered manifests back to the values scalars that write it: the chart is
// rendered once with the values as they are (the truth), then again with a
// unique marker in place of each candidate scalar; the markers that reach
// an image string name its write locations. An image that no values key
// reaches is hard-coded in a template, and said so.
package helm

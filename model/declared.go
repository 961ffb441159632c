package model

import (
	"strconv"
	"strings"
)

// FieldKind says what kind of field declares an image, which decides how a
// promotion would edit it.
type FieldKind string

const (
	// KindKustomizeImages is an entry of an overlay's own `images:` list.
	KindKustomizeImages FieldKind = "kustomize-images"
	// KindKustomizePatch is an `image:` set by a patch (strategic merge,
	// JSON 6902, or a patch file) of the overlay.
	KindKustomizePatch FieldKind = "kustomize-patch"
	// KindKustomizeAddImages means the overlay only inherits the image: a
	// promotion adds an `images:` entry to the overlay's kustomization at
	// Location.File.
	KindKustomizeAddImages FieldKind = "kustomize-add-images"
	// KindHelmValues is image.repository / image.tag / image.digest in a
	// Helm values file, at any depth.
	KindHelmValues FieldKind = "helm-values"
	// KindManifest is a container or initContainer image of a plain workload
	// manifest.
	KindManifest FieldKind = "manifest-container"
	// KindArgoHelmParameter is an Argo CD Application helm.parameters entry.
	KindArgoHelmParameter FieldKind = "argocd-helm-parameter"
	// KindArgoHelmValues is an Argo CD Application helm.valuesObject field.
	KindArgoHelmValues FieldKind = "argocd-helm-values"
	// KindArgoKustomizeImages is an Argo CD Application kustomize.images entry.
	KindArgoKustomizeImages FieldKind = "argocd-kustomize-images"
	// KindArgoSourceFile is an .argocd-source-<app>.yaml write-back file.
	KindArgoSourceFile FieldKind = "argocd-source-file"
	// KindFluxHelmRelease is a Flux HelmRelease spec.values image field.
	KindFluxHelmRelease FieldKind = "flux-helmrelease-values"
	// KindHelmTemplate is an image a chart's template writes itself, which
	// no values key reaches: read-only (Declared.ReadOnly says why).
	KindHelmTemplate FieldKind = "helm-template"
	// KindFluxValuesFrom is a values field in a ConfigMap or Secret a Flux
	// HelmRelease takes its values from (spec.valuesFrom).
	KindFluxValuesFrom FieldKind = "flux-valuesfrom"
	// KindArgoGeneratorFile is a value in a file an ApplicationSet's git
	// files generator reads (config.json, values per app): the generator
	// substitutes it into the Applications it makes.
	KindArgoGeneratorFile FieldKind = "argocd-generator-file"
)

// Position is a 1-based line and column in a file.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Location says where a declaration lives and where a change to it would be
// written. File is repo-relative with forward slashes.
type Location struct {
	File   string
	Line   int // 1-based; 0 when the field does not exist yet (KindKustomizeAddImages)
	Column int
	Kind   FieldKind
	// Path is the YAML path of the node that declares the image, such as
	// "images[0]", "frontend.image" or
	// "spec.template.spec.containers[1].image".
	Path string
	// Fields holds the position of each scalar a promotion may rewrite:
	// "image" (a whole reference), "repository", "tag", "digest",
	// "registry", "newName", "newTag". Edits splice bytes at these.
	Fields map[string]Position
	// Setter is a Flux image-automation marker on the field, such as
	// `{"$imagepolicy": "flux-system:search:tag"}`: automation writes it too.
	Setter string
	// Updater is the Argo CD Image Updater entry that follows this image
	// (the Application's argocd-image-updater.argoproj.io/image-list, as
	// "alias=repository:constraint"): it writes the image too.
	Updater string
	// UpdaterFile is the Application that carries the annotation;
	// UpdaterHeld is true when it tells the updater to leave the image
	// alone (<alias>.ignore-tags: "*", as a hold writes).
	UpdaterFile string
	UpdaterHeld bool
	// FieldPaths names, per field of Fields (and the field a promotion adds
	// when Line is 0), the values key written: "frontend.image.tag", or a
	// tag-only key such as "imageVersion" that a chart's template reads.
	FieldPaths map[string]string
	// Formats spells a field's part of the image when a template adds text
	// around the value: "v{}" means the tag is "v" followed by the value.
	Formats map[string]string
	// Branch is the branch or tag the file is read from when the
	// environment lives on one of its own ("env/dev"), and Commit the
	// commit read there; both "" for the tree ferry was asked to read.
	Branch string
	Commit string
}

// Declared is what Git says one image of an app in one environment should be:
// the reference that environment would deploy, and where it is written.
type Declared struct {
	App      string
	Env      string
	Name     string // container name or values key, e.g. "api"
	Ref      ImageRef
	Location Location
	// Inherited names the file the value was inherited from when the
	// environment does not set it itself (chart defaults, a kustomize base).
	Inherited string
	// Workload names the workload Git deploys the image with, such as
	// "Deployment/search-api" (after kustomize name prefixes), when known;
	// AppLabel is its app.kubernetes.io/name (or instance) label. The
	// cluster source finds the running pods by them.
	Workload string
	AppLabel string
	// ReadOnly says why a promotion cannot write this image (a chart's
	// template hard-codes it); "" when it can.
	ReadOnly string
	// Note says how the image was read when that is worth knowing: a chart
	// from a remote repository read from values keys without rendering,
	// or rendered with a copy in the repo.
	Note string
	// Next is what the environment's "-next" branch declares for the image
	// when it differs (gitops-promoter's hydrated state, not yet promoted):
	// the cell is pending until the environment's branch catches up.
	Next *ImageRef
}

// Problem is something a source could not read or understand. File and Line
// point at the input when there is one.
type Problem struct {
	Source  string `json:"source"` // "git", "registry", "cluster"
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Error formats the problem the way the CLI prints it: the file and line
// when there is one, else the source (unless the message names it already).
func (p Problem) Error() string {
	if p.File == "" && strings.HasPrefix(p.Message, p.Source+" ") {
		return p.Message
	}
	where := p.Source
	if p.File != "" {
		where = p.File
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
	}
	return where + ": " + p.Message
}

// NextName is what the environment's "-next" branch declares when it
// differs from what the environment does ("" otherwise): hydrated, not yet
// promoted.
func (d Declared) NextName() string {
	if d.Next == nil || (d.Next.Tag == d.Ref.Tag && d.Next.Digest == d.Ref.Digest) {
		return ""
	}
	return d.Next.String()
}

// The Flux marker key, and the inert key a hold writes in its place: Flux
// no longer sees the field, and ferry can restore it exactly.
const (
	SetterMarker = `"$imagepolicy"`
	HeldMarker   = `"$ferry-held-imagepolicy"`
)

// Held reports whether the field is held against image automation: its
// Flux marker is inert, or Argo CD Image Updater is told to ignore it.
func (l Location) Held() bool { return strings.Contains(l.Setter, HeldMarker) || l.UpdaterHeld }

// Automated reports whether image automation writes the field now.
func (l Location) Automated() bool {
	return (l.Setter != "" && !strings.Contains(l.Setter, HeldMarker)) || (l.Updater != "" && !l.UpdaterHeld)
}

// UpdaterAlias is the alias an Image Updater entry gives the image
// ("api" in "api=ghcr.io/shop/api:~1.0"); per-image options need it.
func (l Location) UpdaterAlias() string {
	alias, _, found := strings.Cut(l.Updater, "=")
	if !found {
		return ""
	}
	return strings.TrimSpace(alias)
}

// IgnoreTagsAnnotation is the Application annotation that stops Argo CD
// Image Updater from updating the image an alias names.
func IgnoreTagsAnnotation(alias string) string {
	return "argocd-image-updater.argoproj.io/" + alias + ".ignore-tags"
}

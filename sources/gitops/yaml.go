package gitops

import "github.com/ferryhq/ferry/sources/repotree"

// The tree and the YAML helpers live in sources/repotree, which the
// kustomize and helm packages share; these names keep gitops' own API.
type (
	// Tree is a read-only snapshot of the repo's files at one commit.
	Tree = repotree.Tree
	// Doc is one YAML document of a file.
	Doc = repotree.Doc
	// ValuesImage is one image found in Helm-style values.
	ValuesImage = repotree.ValuesImage
)

var (
	NewTree          = repotree.NewTree
	ParseDocs        = repotree.ParseDocs
	Get              = repotree.Get
	Str              = repotree.Str
	Items            = repotree.Items
	Pairs            = repotree.Pairs
	Pos              = repotree.Pos
	Setter           = repotree.Setter
	Value            = repotree.Value
	FindValuesImages = repotree.FindValuesImages
	IsYAML           = repotree.IsYAML
)

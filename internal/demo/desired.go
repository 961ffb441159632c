package demo

import (
	"fmt"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/imageref"
)

// The controller reads what a commit declares the way Argo CD would render
// it, but only for the demo's own layout: the overlay's images: entry, or
// the chart's values merged with values-<env>.yaml.

// readCommit returns the files at a commit that declare the apps' images.
func readCommit(repo *git.Repository, hash plumbing.Hash) (map[string][]byte, error) {
	c, err := repo.CommitObject(hash)
	if err != nil {
		return nil, err
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, app := range appPlans {
		paths := []string{"charts/" + app.Name + "/values.yaml"}
		for _, env := range envPlans {
			paths = append(paths, cellFile(app, env.Name))
		}
		for _, p := range paths {
			if content, ok := fileAt(tree, p); ok {
				files[p] = content
			}
		}
	}
	return files, nil
}

func fileAt(tree *object.Tree, p string) ([]byte, bool) {
	f, err := tree.File(p)
	if err != nil {
		return nil, false
	}
	s, err := f.Contents()
	return []byte(s), err == nil
}

// desiredImage is the image an environment deploys for app, or false when
// the commit does not declare the app there.
func desiredImage(files map[string][]byte, app appPlan, env string) (model.ImageRef, bool, error) {
	data, ok := files[cellFile(app, env)]
	if !ok {
		return model.ImageRef{}, false, nil
	}
	var ref model.ImageRef
	var err error
	if app.Helm {
		ref, err = helmImage(files["charts/"+app.Name+"/values.yaml"], data)
	} else {
		ref, err = kustomizeImage(data, app.Name)
	}
	if err != nil {
		return model.ImageRef{}, false, fmt.Errorf("%s: %w", cellFile(app, env), err)
	}
	return ref, true, nil
}

type valuesImage struct {
	Image struct {
		Registry   string `yaml:"registry"`
		Repository string `yaml:"repository"`
		Tag        string `yaml:"tag"`
		Digest     string `yaml:"digest"`
	} `yaml:"image"`
}

// helmImage merges image fields the way Helm merges values files.
func helmImage(defaults, env []byte) (model.ImageRef, error) {
	var base, over valuesImage
	if err := yaml.Unmarshal(defaults, &base); err != nil {
		return model.ImageRef{}, err
	}
	if err := yaml.Unmarshal(env, &over); err != nil {
		return model.ImageRef{}, err
	}
	pick := func(a, b string) string {
		if b != "" {
			return b
		}
		return a
	}
	return imageref.ParseParts(pick(base.Image.Registry, over.Image.Registry),
		pick(base.Image.Repository, over.Image.Repository),
		pick(base.Image.Tag, over.Image.Tag), pick(base.Image.Digest, over.Image.Digest))
}

// kustomizeImage reads the overlay's images: entry for the app's container.
func kustomizeImage(data []byte, app string) (model.ImageRef, error) {
	var k struct {
		Images []struct {
			Name    string `yaml:"name"`
			NewName string `yaml:"newName"`
			NewTag  string `yaml:"newTag"`
			Digest  string `yaml:"digest"`
		} `yaml:"images"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		return model.ImageRef{}, err
	}
	for _, img := range k.Images {
		if img.Name != app {
			continue
		}
		repo := img.NewName
		if repo == "" {
			repo = img.Name
		}
		return imageref.ParseParts("", repo, img.NewTag, img.Digest)
	}
	return model.ImageRef{}, fmt.Errorf("no images: entry named %q", app)
}

// pullRef is the reference the controller resolves: the digest when Git
// pins one, else the tag.
func pullRef(r model.ImageRef) string {
	if r.Digest != "" {
		return r.Repository + "@" + r.Digest
	}
	return r.String()
}

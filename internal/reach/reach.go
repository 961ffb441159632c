// Package reach answers "has this source commit reached each
// environment?": per image of an app, exactly (what runs was built from
// it), contained (built from a later commit that descends from it), not
// yet (and how many commits behind), or unknown — from the artifact's
// org.opencontainers.image.revision and the app's source repo. ferry where
// and the console's w share it.
package reach

import (
	"fmt"
	"slices"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/sources/gitops"
)

// Answer is one image in one environment.
type Answer struct {
	Env      string      `json:"env"`
	App      string      `json:"app"`
	Image    string      `json:"image"`
	Reach    model.Reach `json:"reach"`
	Revision string      `json:"revision,omitempty"` // what runs was built from
	Version  string      `json:"version,omitempty"`
	Behind   int         `json:"behind,omitempty"` // commits COMMIT has that it lacks
	Truth    string      `json:"truth"`            // "live" or "declared"
	Note     string      `json:"note,omitempty"`
}

type Output struct {
	Commit   string   `json:"commit"`
	Answers  []Answer `json:"answers"`
	Furthest string   `json:"furthest,omitempty"` // the last environment, in promotion order, that has it
}

// Of answers for commit (a full hash the app repo has) in every
// environment of world, for the apps named (default: those whose images'
// source label is the app repo), optionally only in envs.
func Of(app *gitops.Repo, world *model.World, commit string, apps, envs []string) (Output, error) {
	out := Output{Commit: commit, Answers: []Answer{}}
	grid := world.Grid()
	source := appSource(app)
	classify := memo(app, commit)
	for _, env := range grid.Environments {
		if len(envs) > 0 && !slices.Contains(envs, env) {
			continue
		}
		for _, row := range grid.Apps {
			cell := row.Cells[env]
			if cell == nil || (len(apps) > 0 && !slices.Contains(apps, row.Name)) {
				continue
			}
			for _, img := range cell.Images {
				if len(apps) == 0 && !fromSource(img, source) {
					continue
				}
				a := answer(classify, world, img)
				a.Env, a.App = env, row.Name
				out.Answers = append(out.Answers, a)
				if a.Found() {
					out.Furthest = env
				}
			}
		}
	}
	if len(out.Answers) == 0 {
		return out, fmt.Errorf("no image in the GitOps repo comes from %s (by its org.opencontainers.image.source label): name the apps", app.Origin)
	}
	return out, nil
}

// Found reports whether the commit is in what runs.
func (a Answer) Found() bool { return a.Reach == model.ReachExactly || a.Reach == model.ReachContained }

// appSource is the app repo's web address, to match images' source labels.
func appSource(app *gitops.Repo) string {
	if gitops.IsRemote(app.Origin) {
		return model.WebRepo(app.Origin)
	}
	return model.WebRepo(app.OriginURL())
}

func fromSource(img model.ImageStatus, source string) bool {
	return source != "" && img.Registry != nil && model.WebRepo(img.Registry.Source) == source
}

// answer says how far the commit has come in one image's environment.
func answer(classify Classifier, w *model.World, img model.ImageStatus) Answer {
	rev, truth := img.Revision(w.FactsOfDigest)
	a := Answer{Image: img.Name, Revision: rev, Truth: truth}
	if img.Registry != nil {
		a.Version = img.Registry.Version
	}
	a.Reach, a.Behind, a.Note = classify(rev)
	return a
}

// Classifier answers Classify for one commit, by revision.
type Classifier func(revision string) (model.Reach, int, string)

// memo classifies each revision once: environments that run the same
// artifact ask the app repo one question.
func memo(app *gitops.Repo, commit string) Classifier {
	type result struct {
		reach  model.Reach
		behind int
		note   string
	}
	seen := map[string]result{}
	return func(rev string) (model.Reach, int, string) {
		r, ok := seen[rev]
		if !ok {
			r.reach, r.behind, r.note = Classify(app, commit, rev)
			seen[rev] = r
		}
		return r.reach, r.behind, r.note
	}
}

// For is a Classifier of commit in the app repo (the console's w).
func For(app *gitops.Repo, commit string) Classifier { return memo(app, commit) }

// Classify says whether what was built from revision holds commit, and
// if not, how many commits it lacks.
func Classify(app *gitops.Repo, commit, revision string) (r model.Reach, behind int, note string) {
	switch contains, known := app.Contains(revision, commit); {
	case revision == "":
		return model.ReachUnknown, 0, "the artifact names no org.opencontainers.image.revision"
	case model.SameRevision(revision, commit):
		return model.ReachExactly, 0, ""
	case !known:
		return model.ReachUnknown, 0, "revision " + model.ShortRevision(revision) + " is not in the app repo (fetch it?)"
	case contains:
		return model.ReachContained, 0, ""
	}
	behind, _ = app.Behind(revision, commit)
	return model.ReachNotYet, behind, ""
}

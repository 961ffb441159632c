package registry

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/ferryhq/ferry/model"
)

// Tag is one tag of a repository. Digest and Created are filled for tags
// that are not versions: those are ordered by when they were built.
type Tag struct {
	Name    string
	Digest  string
	Created *time.Time
}

// maxPages bounds tag listing against a registry whose "next" link never
// ends.
const maxPages = 1000

// Tags lists a repository's tags (paged), newest first: versions in semver
// order (model.CompareVersions) first, then the other tags by created time,
// newest first, then by name. Telling when a non-version tag was built
// costs a GET by tag (a HEAD when the artifact it named is known).
func (r *Resolver) Tags(ctx context.Context, repository string) ([]Tag, error) {
	run := newRun(r, false)
	t, fault := run.open(repository)
	if fault != nil {
		return nil, fault
	}
	names, err := run.listTags(ctx, t)
	if err != nil {
		return nil, run.fail(ctx, err, t, "tags")
	}
	var versions, others []Tag
	for _, name := range names {
		if _, ok := model.CompareVersions(name, name); ok {
			versions = append(versions, Tag{Name: name})
		} else {
			others = append(others, Tag{Name: name})
		}
	}
	run.dateTags(ctx, t, others)
	r.cache.flush(r.opts.TagTTL, r.opts.Now())
	slices.SortStableFunc(versions, func(a, b Tag) int {
		c, _ := model.CompareVersions(b.Name, a.Name)
		return c
	})
	slices.SortStableFunc(others, newestFirst)
	return append(versions, others...), nil
}

func (run *run) listTags(ctx context.Context, t target) ([]string, error) {
	var lister *remote.Lister
	err := run.request(ctx, t, "tags", func(p *remote.Puller) (err error) {
		lister, err = p.Lister(ctx, t.repo)
		return err
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for pages := 0; lister.HasNext() && pages < maxPages; pages++ {
		page, err := lister.Next(ctx)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, name := range page.Tags {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
				added++
			}
		}
		if added == 0 {
			break // a page with nothing new: the registry is repeating itself
		}
	}
	return names, nil
}

// dateTags finds digest and created time of each tag, Concurrency at a
// time; a tag that cannot be read keeps no date and sorts last.
func (run *run) dateTags(ctx context.Context, t target, tags []Tag) {
	sem := make(chan struct{}, run.r.opts.Concurrency)
	var wg sync.WaitGroup
	for i := range tags {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			digest, err := run.tagDigest(ctx, t, tags[i].Name, "")
			if err != nil {
				run.r.logf("registry %s: tag %s of %s: %v", t.host, tags[i].Name, t.path, classify(err, t.what("tag "+tags[i].Name)))
				return
			}
			tags[i].Digest = digest
			if a, err := run.artifact(ctx, t, digest); err == nil {
				tags[i].Created = a.Created
			}
		})
	}
	wg.Wait()
}

func newestFirst(a, b Tag) int {
	switch {
	case a.Created != nil && b.Created != nil && !a.Created.Equal(*b.Created):
		return b.Created.Compare(*a.Created)
	case a.Created != nil && b.Created == nil:
		return -1
	case a.Created == nil && b.Created != nil:
		return 1
	}
	if a.Name < b.Name {
		return -1
	}
	if a.Name > b.Name {
		return 1
	}
	return 0
}

package registry

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ferryhq/ferry/model"
)

// Batch is one delivery of Stream: the answers for some references, keyed
// by model.ImageRef.String() as in Results, and how far the call is.
type Batch struct {
	Facts    map[string]model.RegistryFacts
	Problems map[string][]model.Problem // Source "registry"
	Faults   map[string][]*Fault        // the same problems, typed
	Done     int                        // distinct references answered so far in this call
	Total    int                        // distinct references this call answers
}

// A batch is delivered when it holds batchSize answers or its first answer
// is batchDelay old: a screen repaints a few times a second at most, and
// fewer, larger batches keep the console's merge cheap.
const (
	batchSize  = 32
	batchDelay = 50 * time.Millisecond
)

// Stream resolves the references and delivers their answers in batches as
// they come: first, at once, everything this Resolver already knows (no
// request), then the rest, Concurrency references at a time. emit is called
// from one goroutine at a time; its last call has Done == Total (with zero
// references, one call with 0/0). When ctx ends, Stream returns promptly,
// after a last batch marking the references still unanswered as cancelled.
func (r *Resolver) Stream(ctx context.Context, refs []model.ImageRef, emit func(Batch)) {
	work := schedule(refs)
	s := &stream{r: r, emit: emit, total: len(work), writeTurn: make(chan struct{}, flushWriters)}
	s.reset()
	if rest := s.answerKnown(ctx, work); len(rest) > 0 {
		r.shareTokens(rest)
		s.ask(ctx, rest)
	}
	if s.emitted == 0 {
		s.flush() // nothing to answer: say so, the caller is waiting for Done == Total
	}
	s.writes.Wait()
	r.cache.flush(r.opts.TagTTL, r.opts.Now())
}

// stream is one Stream call's batching.
type stream struct {
	r       *Resolver
	emit    func(Batch)
	total   int
	done    int
	emitted int
	batch   Batch
	pending int // answers in batch

	writes    sync.WaitGroup // cache files being written behind the answers
	writeTurn chan struct{}
}

// answer is what one reference resolved to.
type answer struct {
	ref    model.ImageRef
	facts  *model.RegistryFacts
	faults []*Fault
}

func (s *stream) reset() {
	s.batch = Batch{Facts: map[string]model.RegistryFacts{}, Problems: map[string][]model.Problem{}, Faults: map[string][]*Fault{}}
	s.pending = 0
}

func (s *stream) add(a answer) {
	key := a.ref.String()
	if a.facts != nil {
		s.batch.Facts[key] = *a.facts
	}
	for _, f := range a.faults {
		s.batch.Faults[key] = append(s.batch.Faults[key], f)
		s.batch.Problems[key] = append(s.batch.Problems[key], f.Problem())
	}
	s.done++
	s.pending++
}

func (s *stream) flush() {
	s.batch.Done, s.batch.Total = s.done, s.total
	s.emit(s.batch)
	s.emitted++
	s.reset()
}

// answerKnown answers, without a request, every reference whose answer is
// in memory (or the disk cache), in one batch; it returns the others.
func (s *stream) answerKnown(ctx context.Context, work []model.ImageRef) (rest []model.ImageRef) {
	run := newRun(s.r, true)
	for _, ref := range work {
		facts, faults := run.resolve(ctx, ref)
		if slices.Contains(faults, errNeedsRequest) {
			rest = append(rest, ref)
			continue
		}
		s.add(answer{ref: ref, facts: facts, faults: faults})
	}
	if s.pending > 0 {
		s.flush()
	}
	return rest
}

// ask resolves the references with Concurrency workers and batches their
// answers; the workers never call emit.
func (s *stream) ask(ctx context.Context, work []model.ImageRef) {
	if ctx.Err() != nil {
		s.giveUp(ctx, work, nil)
		return
	}
	d, first := newDispatch(s.r, work)
	ready := make(chan model.ImageRef, len(work)) // never blocks: each reference is sent once
	defer close(ready)
	for _, ref := range first {
		ready <- ref
	}
	s.collect(ctx, work, d, ready, s.startWorkers(ctx, ready, len(work)))
}

func (s *stream) startWorkers(ctx context.Context, ready <-chan model.ImageRef, n int) <-chan answer {
	run := newRun(s.r, false)
	answers := make(chan answer, n) // never blocks: workers may outlive a cancelled Stream
	for range min(s.r.opts.Concurrency, n) {
		go func() {
			for ref := range ready {
				if ctx.Err() != nil {
					return
				}
				facts, faults := run.resolve(ctx, ref)
				answers <- answer{ref: ref, facts: facts, faults: faults}
			}
		}()
	}
	return answers
}

// collect takes the workers' answers, starts the references they free, and
// delivers batches by size or age.
func (s *stream) collect(ctx context.Context, work []model.ImageRef, d *dispatch, ready chan<- model.ImageRef, answers <-chan answer) {
	timer := time.NewTimer(batchDelay)
	defer timer.Stop()
	timer.Stop()
	answered := map[string]bool{}
	take := func(a answer) {
		answered[a.ref.String()] = true
		next, repoDone := d.finished(a.ref)
		for _, ref := range next {
			ready <- ref
		}
		if repoDone != "" {
			s.writeBehind(repoDone)
		}
		s.add(a)
	}
	for len(answered) < len(work) {
		select {
		case a := <-answers:
			take(a)
			if s.pending == 1 {
				timer.Reset(batchDelay)
			}
			if s.pending >= batchSize || len(answered) == len(work) {
				timer.Stop()
				s.flush()
			}
		case <-timer.C:
			if s.pending > 0 {
				s.flush()
			}
		case <-ctx.Done():
			for len(answers) > 0 { // answers already in are answers, not cancellations
				take(<-answers)
			}
			s.giveUp(ctx, work, answered)
			return
		}
	}
}

// writeBehind writes a repository's cache file once all its references in
// this Stream are answered, while the others still wait on the network.
func (s *stream) writeBehind(repoKey string) {
	s.writes.Go(func() {
		s.writeTurn <- struct{}{}
		defer func() { <-s.writeTurn }()
		s.r.cache.flushKey(repoKey, s.r.opts.TagTTL, s.r.opts.Now())
	})
}

// giveUp answers the references not answered yet with the caller's
// cancellation, in the last batch.
func (s *stream) giveUp(ctx context.Context, work []model.ImageRef, answered map[string]bool) {
	for _, ref := range work {
		if answered[ref.String()] {
			continue
		}
		s.add(answer{ref: ref, faults: []*Fault{s.r.cancelled(ctx, ref)}})
	}
	s.flush()
}

// cancelled is the fault of a reference whose lookup the caller gave up.
func (r *Resolver) cancelled(ctx context.Context, ref model.ImageRef) *Fault {
	repo, fault := r.repository(ref.Repository)
	if fault != nil {
		return fault
	}
	f := classify(ctx.Err(), what{host: repo.RegistryStr(), repo: repo.RepositoryStr()})
	f.callerGone = true
	return f
}

// dispatch decides when each reference may start, so that references that
// would share a request do not race for it:
//   - a repository that has not answered yet starts with one reference and
//     holds its others until that one is answered, instead of parking
//     workers at the repository's gate: a slow or refusing repository delays
//     its own references, never the other repositories';
//   - a reference by digest alone waits for a reference declaring a tag next
//     to the same digest: that tag's GET most likely brings the manifest.
type dispatch struct {
	held   map[string][]model.ImageRef // by the reference (or "repo " + repository) they wait for
	lead   map[string]string           // a repository's first reference → its "repo " key
	repoOf map[string]string           // reference → its repository ("host/repo")
	left   map[string]int              // repository → references not answered yet
}

func newDispatch(r *Resolver, work []model.ImageRef) (*dispatch, []model.ImageRef) {
	d := &dispatch{held: map[string][]model.ImageRef{}, lead: map[string]string{}, repoOf: map[string]string{}, left: map[string]int{}}
	pinnedBy := map[string]string{} // "repo@digest" → a reference with tag and that digest
	for _, ref := range work {
		if ref.Tag != "" && ref.Digest != "" && pinnedBy[ref.Repository+"@"+ref.Digest] == "" {
			pinnedBy[ref.Repository+"@"+ref.Digest] = ref.String()
		}
	}
	var ready []model.ImageRef
	for _, ref := range work {
		key := r.repoKey(ref.Repository)
		d.repoOf[ref.String()], d.left[key] = key, d.left[key]+1
		repo := "repo " + key
		_, leading := d.held[repo]
		switch by := pinnedBy[ref.Repository+"@"+ref.Digest]; {
		case ref.Tag == "" && by != "":
			d.held[by] = append(d.held[by], ref)
		case leading:
			d.held[repo] = append(d.held[repo], ref)
		case r.gateOpen(key):
			ready = append(ready, ref)
		default:
			d.held[repo] = nil
			d.lead[ref.String()] = repo
			ready = append(ready, ref)
		}
	}
	return d, ready
}

// finished returns the references to start now that ref is answered, and
// its repository if that was the repository's last reference.
func (d *dispatch) finished(ref model.ImageRef) (next []model.ImageRef, repoDone string) {
	next = d.held[ref.String()]
	delete(d.held, ref.String())
	if repo, ok := d.lead[ref.String()]; ok {
		delete(d.lead, ref.String())
		next = append(next, d.held[repo]...)
		delete(d.held, repo)
	}
	key := d.repoOf[ref.String()]
	if d.left[key]--; d.left[key] == 0 {
		repoDone = key
	}
	return next, repoDone
}

// repoKey names a repository as gates and caches do ("host/repo"), or as
// written when it cannot be parsed (it fails without a request anyway).
func (r *Resolver) repoKey(repository string) string {
	repo, f := r.repository(repository)
	if f != nil {
		return repository
	}
	return repo.RegistryStr() + "/" + repo.RepositoryStr()
}

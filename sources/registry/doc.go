// Package registry tells what a declared image reference is: the digest it
// names (a pinned digest, or what its tag resolves to now), whether that is
// an index and its children per platform, and its identity (version,
// revision, source, created) from annotations first, then config labels.
//
// Streaming. Resolver.Stream delivers answers in batches as they are known
// (32 references, or 50 ms after a batch's first answer): first, at once and
// without a request, everything the Resolver already knows, then the rest,
// Options.Concurrency references at a time. emit is called from one
// goroutine at a time and its last call has Done == Total, also for zero
// references, so a caller can tell the registry has answered. When its
// context ends, Stream returns promptly with the unanswered references
// marked cancelled. Resolve is Stream, drained.
//
// Lifetime memory. A Resolver is meant to live as long as the console and
// be asked again whenever Git is re-read, mostly about the same references.
// It keeps what a digest names for its whole lifetime (that never changes),
// tag → digest answers (and tags the registry does not know) for
// Options.TagTTL, and faults that concern a whole registry (DNS, TLS,
// timeouts, rate limits) or repository (401, 403) for a minute, so a
// registry that is down is not asked by every re-read and one that came
// back is seen without a restart. Refresh forgets tag answers and faults at
// once; digest facts stay. Asking again within the TTL costs no request; a
// new reference costs only its own. A disk cache under the XDG cache dir (one
// file per repository, read once per Resolver, written as soon as a Stream
// has answered the repository's references) carries the same answers to the
// next ferry process.
//
// Few requests. Credentials are resolved once per registry, each registry
// is pinged once, the repositories a Stream asks share token exchanges (one
// token for up to 50 scopes, see tokens.go), and references are deduped. A tag whose artifact is unknown
// is asked with one GET by tag, whose answer carries both the digest and the
// manifest; a tag whose previous (or pinned) digest names a known artifact
// is asked with HEAD, which Docker Hub does not count against its pull
// limit. References ending on one digest share its fetch, and config blobs
// are read only when annotations lack the identity. A repository that has
// not answered yet starts with one reference while workers serve the other
// repositories, so one slow or refusing repository never holds the rest.
//
// Failures become typed Faults on exactly the references they concern, in
// plain words that never carry credentials. 429 and 5xx answers are retried
// a bounded number of times, honouring Retry-After, on an injectable clock.
//
// BenchmarkResolveVsBaseline compares cold, warm, warm-but-expired and
// asked-again runs with a loop of crane.Digest calls, against a test
// registry with injected latency, in two worlds: one declaring references
// in every form (tag, tag and digest, digest), and the (apps
// declared by tag in five environments, two tags per app). It is small by
// default; the full size is FERRY_BENCH_REFS=1500 FERRY_BENCH_REPOS=300
// (FERRY_BENCH_LATENCY_MS=20).
package registry

// Package registry tells what a declared image reference is: the digest it
// names (a pinned digest, or what its tag resolves to now, by HEAD), whether
// that is an index and its children per platform, and its identity (version,
// revision, source, created) from annotations first, then config labels.
//
// Speed comes from doing each thing once: credentials are resolved once per
// registry, each registry is pinged once, one remote.Puller per registry
// keeps one token per repository, references are deduped and resolved
// Options.Concurrency at a time, and a disk cache under the XDG cache dir
// (one file per repository) keeps what a digest names forever and tag →
// digest answers for Options.TagTTL. A warm run makes no request for
// references pinned by digest. Build one Resolver per run (or refresh):
// credentials are read once in its lifetime.
//
// Failures become typed Faults on exactly the references they concern, in
// plain words that never carry credentials. Faults that concern a whole
// registry (DNS, TLS, timeouts, rate limits) or repository (401, 403) stop
// the run from asking again. 429 and 5xx answers are retried a bounded
// number of times, honouring Retry-After, on an injectable clock.
//
// BenchmarkResolveVsBaseline compares a cold, a warm and a warm-but-expired
// run with a loop of crane.Digest calls, against a test registry with
// injected latency. It is small by default; the full size is
// FERRY_BENCH_REFS=1500 FERRY_BENCH_REPOS=300 (FERRY_BENCH_LATENCY_MS=20).
package registry

package cluster

import corev1 "k8s.io/api/core/v1"

// KeepFields turns the informer transform off, for the memory benchmark.
func KeepFields(s *Source) { s.keepFields = true }

// BenchPod is a pod of realistic size for benchmarks.
func BenchPod(i int) *corev1.Pod { return benchPod(i) }

// HeapInUse is the heap in use after GC.
func HeapInUse() uint64 { return heapInUse() }

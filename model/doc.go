// Package model is ferry's domain: artifact identities, the facts each source
// reports about them, environments in promotion order, the cell states derived
// from those facts, and the ferry.yaml configuration.
//
// It is pure: no IO, and none of go-git, go-containerregistry, client-go or
// Bubble Tea (depcheck_test.go holds that line). Sources turn the outside world
// into these types; the UI and the CLI render them.
package model

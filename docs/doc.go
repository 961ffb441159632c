// Package docs holds ferry's documentation pages. Its test keeps
// states.md true to the model: the page cannot drift from the code.
package docs

// Package ui renders ferry's model for people: the status table the CLI
// prints, and (as the console grows) the Bubble Tea models of the grid.
// Styles come from one Theme; components never use colour literals.
package ui

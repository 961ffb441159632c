package model

import "time"

// HistoryEntry is one change of a cell's declaration in Git: the commit that
// changed the reference of one image, and the reference before and after.
type HistoryEntry struct {
	Commit  string    `json:"commit"`
	When    time.Time `json:"when"`
	Author  string    `json:"author"`
	Subject string    `json:"subject"`
	Image   string    `json:"image"` // the image's name in the cell
	File    string    `json:"file"`
	From    ImageRef  `json:"from"` // zero when the commit introduced the image
	To      ImageRef  `json:"to"`
}

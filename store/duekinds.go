package store

import "time"

// The kinds of deadline-index entries the daemon uses.
const (
	// DueRecompute tells the scheduler to look at a record again: every
	// change to a statement's follow-up state sets it to "now", and the
	// scheduler decides what (if anything) is due and when to look next.
	DueRecompute = "sched"
	// DueDeadline falls at the end of a statement's deadline day.
	DueDeadline = "deadline"
)

// LookAgain asks the scheduler to look at record id at (normally now).
func (t *Tx) LookAgain(id string, at time.Time) error {
	return t.SetDue(id, DueRecompute, at)
}

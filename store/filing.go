package store

import "time"

// bOutboxFiling indexes the sent mail whose copy waits to be filed:
// BE unix nanos of Filing.Next | key -> nothing.
var bOutboxFiling = []byte("outbox_filing")

func init() { allBuckets = append(allBuckets, bOutboxFiling) }

// FilingState is how far the copy of a sent mail in the sent folder got
// (package outbox files it after the SMTP transaction was accepted).
type FilingState string

// Filing states.
const (
	FilingPending FilingState = "pending" // to be appended (again) at Filing.Next
	FilingDone    FilingState = "filed"   // appended to the sent folder
	FilingFailed  FilingState = "failed"  // given up on: the sent folder lacks this mail
)

// Filing is the state of one sent mail's copy in the sent folder.
type Filing struct {
	State FilingState `json:"state"`
	// Attempts counts the appends tried; LastError is the latest failure.
	Attempts  int    `json:"attempts,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// Next is when a pending copy is appended (again).
	Next time.Time `json:"next,omitempty"`
	// At is when the copy was filed.
	At time.Time `json:"at,omitempty"`
}

// pending reports whether e's copy waits to be filed (it is then in the
// outbox_filing index).
func (e *OutboxEntry) filingPending() bool {
	return e != nil && e.Filing != nil && e.Filing.State == FilingPending
}

// indexFiling keeps outbox_filing in step when an entry changes from old
// (nil for a new one) to e: only pending copies are in it, by Next.
func (t *Tx) indexFiling(e, old *OutboxEntry) error {
	b := t.b(bOutboxFiling)
	if old.filingPending() {
		if err := b.Delete(outboxDueKey(old.Filing.Next, old.Key)); err != nil {
			return err
		}
	}
	if e.filingPending() {
		return b.Put(outboxDueKey(e.Filing.Next, e.Key), nil)
	}
	return nil
}

// DueFiling returns up to limit keys of sent mail whose copy is to be
// filed at or before now, oldest first.
func (t *Tx) DueFiling(now time.Time, limit int) []string {
	return t.dueKeys(bOutboxFiling, now, limit)
}

// NextFiling returns when the earliest pending copy is to be filed.
func (t *Tx) NextFiling() (time.Time, bool) { return t.firstDue(bOutboxFiling) }

// PendingFiling counts the sent mails whose copy is not filed yet.
func (t *Tx) PendingFiling() int { return t.b(bOutboxFiling).Stats().KeyN }

package pipeline

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// DueRecompute is the deadline-index kind that tells the scheduler to look
// at a record again: every follow-up state change sets it to "now", and the
// scheduler decides what (if anything) is due and when it next needs to
// look.
const DueRecompute = "sched"

// Ack records a manager's acknowledgement of a statement.
func Ack(tx *store.Tx, id, by string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (string, string, error) {
		if r.Acked != nil {
			return "", "", nil // already acknowledged: nothing changes
		}
		r.Acked = &liaison.Action{At: now, By: by}
		return "acked", "acknowledged by " + by, nil
	})
}

// MarkAnswered records that ref (a record id or a reference given by a
// manager) answered the statement, and stops its reminders.
func MarkAnswered(tx *store.Tx, id, by, ref string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (string, string, error) {
		if r.State == liaison.StateAnswered {
			return "", "", nil
		}
		r.State = liaison.StateAnswered
		r.Answered = &liaison.Action{At: now, By: by, Ref: ref}
		if ref != "" {
			r.Links = appendOnce(r.Links, ref)
		}
		return "answered", fmt.Sprintf("answered by %s (%s)", ref, by), nil
	})
}

// Delay moves a statement's internal deadline.
func Delay(tx *store.Tx, id, by string, to liaison.Date, reason string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (string, string, error) {
		if !to.Valid() {
			return "", "", fmt.Errorf("delay: %q is not a date", to)
		}
		r.InternalDeadline = to
		return "delayed", fmt.Sprintf("internal deadline moved to %s by %s: %s", to, by, reason), nil
	})
}

// change applies fn to a record and, when it changed something, stores it,
// records the event and asks the scheduler to look at it again.
func change(tx *store.Tx, id string, now time.Time, fn func(*liaison.Record) (typ, detail string, err error)) (*liaison.Record, error) {
	r, err := tx.Record(id)
	if err != nil {
		return nil, err
	}
	typ, detail, err := fn(r)
	if err != nil || typ == "" {
		return r, err
	}
	if err := tx.PutRecord(r); err != nil {
		return nil, err
	}
	if err := tx.AddEvent(id, liaison.Event{At: now, Type: typ, Detail: detail}); err != nil {
		return nil, err
	}
	return r, tx.SetDue(id, DueRecompute, now)
}

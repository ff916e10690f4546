package pipeline

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// Ack records a manager's acknowledgement of a statement.
func Ack(tx *store.Tx, id, by string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (liaison.EventType, string, error) {
		if r.Acked != nil {
			return "", "", nil // already acknowledged: nothing changes
		}
		r.Acked = &liaison.Action{At: now, By: by}
		return liaison.EventAcked, "acknowledged by " + by, nil
	})
}

// MarkAnswered records that ref (a record id or a reference given by a
// manager) answered the statement, and stops its reminders.
func MarkAnswered(tx *store.Tx, id, by, ref string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (liaison.EventType, string, error) {
		if r.State == liaison.StateAnswered {
			return "", "", nil
		}
		r.State = liaison.StateAnswered
		r.Answered = &liaison.Action{At: now, By: by, Ref: ref}
		if ref != "" {
			r.Links = appendOnce(r.Links, ref)
		}
		return liaison.EventAnswered, fmt.Sprintf("answered by %s (%s)", ref, by), nil
	})
}

// Delay moves a statement's internal deadline.
func Delay(tx *store.Tx, id, by string, to liaison.Date, reason string, now time.Time) (*liaison.Record, error) {
	return change(tx, id, now, func(r *liaison.Record) (liaison.EventType, string, error) {
		if !to.Valid() {
			return "", "", fmt.Errorf("delay: %q is not a date", to)
		}
		r.InternalDeadline = to
		return liaison.EventDelayed, fmt.Sprintf("internal deadline moved to %s by %s: %s", to, by, reason), nil
	})
}

// change applies fn to a record and, when it changed something, stores it,
// records the event and asks the scheduler to look at it again.
func change(tx *store.Tx, id string, now time.Time, fn func(*liaison.Record) (typ liaison.EventType, detail string, err error)) (*liaison.Record, error) {
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
	return r, tx.LookAgain(id, now)
}

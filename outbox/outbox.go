// Package outbox delivers the mail queued in the store's outbox. It is one
// loop that wakes at the next due attempt (or when told new mail was
// queued), sends what is due, and records the outcome: sent, retry later
// with exponential backoff (temporary failures), or failed (permanent
// failures, or temporary ones older than the maximum age).
//
// Mail is queued by the pipeline in the same transaction as the state
// change that caused it; a crash between an accepted SMTP transaction and
// the commit that marks it sent is the only way a mail can go out twice.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// Transport sends one message (an SMTP client, or a folder for dry runs).
type Transport interface {
	Send(ctx context.Context, envelopeFrom string, rcpts []string, msg []byte) error
}

// Options configure a Worker.
type Options struct {
	DB        *store.DB
	Transport Transport
	// Now is the clock.
	Now func() time.Time
	Log *slog.Logger
	// IsTemporary classifies a Transport error; nil treats every error as
	// temporary.
	IsTemporary func(error) bool
	// MaxAge is how long a mail may keep failing temporarily before it is
	// failed for good (default 48h).
	MaxAge time.Duration
	// MinBackoff and MaxBackoff bound the retry delay (defaults 30s, 1h).
	MinBackoff, MaxBackoff time.Duration
	// Report is called, inside the transaction that marks an entry failed,
	// to queue the report of a permanent failure (once per entry).
	Report func(tx *store.Tx, e *store.OutboxEntry) error
	// Batch bounds the entries sent per pass (default 50).
	Batch int
}

// Worker delivers the outbox.
type Worker struct {
	opt  Options
	wake chan struct{}
}

// New makes a worker.
func New(opt Options) (*Worker, error) {
	if opt.DB == nil || opt.Transport == nil || opt.Now == nil {
		return nil, errors.New("outbox: DB, Transport and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.IsTemporary == nil {
		opt.IsTemporary = func(error) bool { return true }
	}
	if opt.MaxAge == 0 {
		opt.MaxAge = 48 * time.Hour
	}
	if opt.MinBackoff == 0 {
		opt.MinBackoff = 30 * time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = time.Hour
	}
	if opt.Batch == 0 {
		opt.Batch = 50
	}
	return &Worker{opt: opt, wake: make(chan struct{}, 1)}, nil
}

// Wake tells the worker that new mail was queued. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Stats counts the outcomes of a pass.
type Stats struct {
	Sent, Retried, Failed int
}

// Backoff is the delay before attempt n+1 after n failed attempts.
func (w *Worker) Backoff(n int) time.Duration {
	d := w.opt.MinBackoff
	for i := 1; i < n && d < w.opt.MaxBackoff; i++ {
		d *= 2
	}
	if d > w.opt.MaxBackoff {
		d = w.opt.MaxBackoff
	}
	return d
}

// DrainOnce sends every entry due now, in batches, until none is due.
func (w *Worker) DrainOnce(ctx context.Context) (Stats, error) {
	var st Stats
	for {
		var keys []string
		now := w.opt.Now()
		if err := w.opt.DB.View(func(tx *store.Tx) error {
			keys = tx.DueOutbox(now, w.opt.Batch)
			return nil
		}); err != nil {
			return st, err
		}
		if len(keys) == 0 {
			return st, nil
		}
		for _, k := range keys {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			if err := w.sendOne(ctx, k, &st); err != nil {
				return st, err
			}
		}
	}
}

func (w *Worker) sendOne(ctx context.Context, key string, st *Stats) error {
	var e *store.OutboxEntry
	if err := w.opt.DB.View(func(tx *store.Tx) (err error) {
		e, err = tx.Outbox(key)
		return err
	}); err != nil {
		return err
	}
	if e.State != store.OutboxQueued {
		return nil
	}
	// A shutdown must not cut an SMTP transaction in half: the server may
	// already have accepted the mail, and a retry would send it twice. The
	// transport's own timeout bounds the wait.
	sendErr := w.opt.Transport.Send(context.WithoutCancel(ctx), e.EnvelopeFrom, e.Rcpts, e.Raw)
	now := w.opt.Now()
	log := w.opt.Log.With("key", key, "kind", e.Kind, "recipient", e.Recipient, "record", e.RecordID)
	return w.opt.DB.Update(func(tx *store.Tx) error {
		cur, err := tx.Outbox(key)
		if err != nil {
			return err
		}
		cur.Attempts++
		cur.LastAttempt = now
		var ev *liaison.Event
		switch {
		case sendErr == nil:
			cur.State, cur.Sent, cur.LastError = store.OutboxSent, now, ""
			st.Sent++
			log.Info("mail sent", "attempts", cur.Attempts, "message_id", cur.MessageID)
			ev = &liaison.Event{At: now, Type: "sent", Detail: cur.Kind + " to " + cur.Recipient}
		case w.opt.IsTemporary(sendErr) && now.Sub(cur.Created) < w.opt.MaxAge:
			cur.LastError = sendErr.Error()
			cur.NextAttempt = now.Add(w.Backoff(cur.Attempts))
			st.Retried++
			log.Warn("mail delivery deferred", "err", sendErr, "attempts", cur.Attempts, "next", cur.NextAttempt)
		default:
			cur.State, cur.LastError = store.OutboxFailed, sendErr.Error()
			st.Failed++
			why := "permanent failure"
			if w.opt.IsTemporary(sendErr) {
				why = fmt.Sprintf("still failing after %s", w.opt.MaxAge)
			}
			log.Error("mail delivery failed", "err", sendErr, "why", why)
			ev = &liaison.Event{At: now, Type: "delivery-failed", Detail: fmt.Sprintf("%s to %s: %v", cur.Kind, cur.Recipient, sendErr)}
			if !cur.Reported && w.opt.Report != nil {
				if err := w.opt.Report(tx, cur); err != nil {
					return fmt.Errorf("outbox: report failure of %s: %w", key, err)
				}
				cur.Reported = true
			}
		}
		if err := tx.PutOutbox(cur); err != nil {
			return err
		}
		if ev != nil && cur.RecordID != "" {
			return tx.AddEvent(cur.RecordID, *ev)
		}
		return nil
	})
}

// Retry requeues a failed (or sent) entry for immediate delivery. An entry
// that was never composed (package notify recorded it failed, without a
// message) cannot be retried: the cause must be fixed instead.
func Retry(db *store.DB, key string, now time.Time) error {
	return db.Update(func(tx *store.Tx) error {
		e, err := tx.Outbox(key)
		if err != nil {
			return err
		}
		if len(e.Raw) == 0 {
			return fmt.Errorf("outbox: %s was never composed (%s): it cannot be retried", key, e.LastError)
		}
		e.State, e.NextAttempt, e.Reported = store.OutboxQueued, now, false
		// The age limit counts from the requeue.
		e.Created = now
		return tx.PutOutbox(e)
	})
}

// Run delivers until ctx ends: a pass now, then sleep until the next entry
// is due or Wake is called.
func (w *Worker) Run(ctx context.Context) error {
	for {
		minWait := 10 * time.Millisecond
		if _, err := w.DrainOnce(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w.opt.Log.Error("outbox pass failed", "err", err)
			// Do not spin on a database error.
			minWait = 5 * time.Second
		}
		wait := time.Hour
		_ = w.opt.DB.View(func(tx *store.Tx) error {
			if at, ok := tx.NextOutbox(); ok {
				wait = at.Sub(w.opt.Now())
			}
			return nil
		})
		if wait < minWait {
			wait = minWait
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-w.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

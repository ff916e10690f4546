// Package outbox delivers the mail queued in the store's outbox. It is one
// loop that wakes at the next due attempt (or when told new mail was
// queued), sends what is due, and records the outcome: sent, retry later
// with exponential backoff (temporary failures), or failed (permanent
// failures, or temporary ones older than the maximum age).
//
// Mail is queued by the pipeline in the same transaction as the state
// change that caused it; a crash between an accepted SMTP transaction and
// the commit that marks it sent is the only way a mail can go out twice.
//
// # The sent folder
//
// With a Filer, every mail is also filed: once its SMTP transaction was
// accepted and its sent state committed, a copy (the entry's FileHeader,
// its trace, then the mail as sent) is appended to the mailbox's sent
// folder. Filing never sends the mail again: a failed append leaves the
// entry sent, with its copy pending, and is retried with the same backoff
// as deliveries, in later passes, until MaxAge after sending; then the
// copy is given up on (failed, logged as an error), and that mail is
// missing from the sent folder, so a database rebuilt from the mailbox
// would not know it went out. A crash between the accepted SMTP
// transaction and the commit files nothing for a mail that may then go
// out twice (as above); a crash between a successful append and the commit
// that records it files the copy twice, which a rebuild reads as one mail
// (copies are matched by their outbox key). A copy is filed only after the
// mail was sent, so the sent folder never holds a mail that did not go
// out.
//
// # The gate
//
// Gate, when set, is asked before each SMTP transaction and each append:
// while it refuses (the daemon does not hold its claim on the mailbox,
// imapwatch.Lease), nothing is sent or filed and the pass ends with
// ErrGated; the entries wait, untouched.
//
// # Circuit breaker
//
// Every mail is counted against Limits: a number of mails per recipient
// and in total within a window (token buckets that refill continuously).
// A mail that would exceed one trips the breaker instead of going out: the
// worker holds the whole queue (nothing is lost: entries stay queued, their
// attempts untouched), logs an error, records the trip in the store (the
// health page and metrics show it) and calls Tripped once, which queues
// the one mail that tells the IAB; that mail, and only it, is sent while
// the queue is held. The breaker resumes by itself after Limits.Cooldown,
// or when an operator releases it (Release); the limits then count afresh.
// A mail loop — a relay sending the daemon's mail back, two daemons
// answering each other — so costs at most the limits' worth of mail and
// one report per cool-down, even when no other loop rule sees it. The
// buckets live in memory and start full when the worker starts; the trip
// itself is in the store and survives restarts.
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

// Filer keeps a copy of a sent mail in the mailbox's sent folder (an IMAP
// APPEND, flagged \Seen, dated date).
type Filer interface {
	File(ctx context.Context, msg []byte, date time.Time) error
}

// ErrGated ends a pass while Options.Gate refuses.
var ErrGated = errors.New("outbox: not sending: this daemon does not hold the mailbox")

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
	// Limits configure the circuit breaker (zero: no limits).
	Limits Limits
	// Tripped is called, inside the transaction that trips the breaker,
	// to queue the one mail that tells the IAB; it returns that mail's
	// outbox key ("" for none), which is sent while the queue is held.
	Tripped func(tx *store.Tx, b store.Breaker) (string, error)
	// Filer, when set, files a copy of every mail sent (see the package
	// doc); nil files nothing.
	Filer Filer
	// Gate, when set, must return nil before any mail is sent or filed
	// (see the package doc).
	Gate func() error
}

// Worker delivers the outbox.
type Worker struct {
	opt  Options
	wake chan struct{}
	lim  *limiter
	// held is set while this worker knows the breaker to be tripped, so
	// that a release resets the limits.
	held bool
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
	if opt.Limits.enabled() && opt.Limits.Cooldown < 0 {
		return nil, errors.New("outbox: negative breaker cool-down")
	}
	return &Worker{opt: opt, wake: make(chan struct{}, 1), lim: newLimiter(opt.Limits)}, nil
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
	// Filed counts the copies appended to the sent folder; FileFailed the
	// appends that failed (retried later, or given up on).
	Filed, FileFailed int
	// Held is set when the circuit breaker held the queue.
	Held bool
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

// DrainOnce sends every entry due now, in batches, until none is due or
// the circuit breaker holds the queue.
func (w *Worker) DrainOnce(ctx context.Context) (Stats, error) {
	var st Stats
	if err := w.fileDue(ctx, &st); err != nil {
		return st, err
	}
	for {
		if err := w.gate(); err != nil {
			return st, err
		}
		b, err := w.breaker()
		if err != nil {
			return st, err
		}
		if now := w.opt.Now(); b.Held(now) {
			st.Held = true
			return st, w.sendNotice(ctx, b, now, &st)
		}
		var keys []string
		if err := w.opt.DB.View(func(tx *store.Tx) error {
			keys = tx.DueOutbox(w.opt.Now(), w.opt.Batch)
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
			e, err := w.entry(k)
			if err != nil {
				return st, err
			}
			if e.State != store.OutboxQueued {
				continue
			}
			now := w.opt.Now()
			if ok, why := w.lim.take(e.Rcpts, now); !ok {
				if err := w.trip(why, now); err != nil {
					return st, err
				}
				break // the next round finds the queue held
			}
			if err := w.gate(); err != nil {
				return st, err
			}
			if err := w.send(ctx, e, &st); err != nil {
				return st, err
			}
		}
	}
}

// gate asks Options.Gate, if set.
func (w *Worker) gate() error {
	if w.opt.Gate == nil {
		return nil
	}
	if err := w.opt.Gate(); err != nil {
		return fmt.Errorf("%w: %w", ErrGated, err)
	}
	return nil
}

func (w *Worker) entry(key string) (*store.OutboxEntry, error) {
	var e *store.OutboxEntry
	err := w.opt.DB.View(func(tx *store.Tx) (err error) {
		e, err = tx.Outbox(key)
		return err
	})
	return e, err
}

// breaker reads the breaker's state, releases it when its cool-down is
// over, and counts afresh after a release.
func (w *Worker) breaker() (store.Breaker, error) {
	var b store.Breaker
	now := w.opt.Now()
	err := w.opt.DB.View(func(tx *store.Tx) (err error) {
		b, err = tx.Breaker()
		return err
	})
	if err != nil {
		return b, err
	}
	if !b.Tripped.IsZero() && !b.Held(now) {
		err = w.opt.DB.Update(func(tx *store.Tx) error {
			cur, err := tx.Breaker()
			if err != nil || cur.Tripped.IsZero() || cur.Held(now) {
				b = cur
				return err
			}
			b = released(cur, now, "cool-down")
			return tx.PutBreaker(b)
		})
		if err != nil {
			return b, err
		}
		if b.Tripped.IsZero() {
			w.opt.Log.Warn("outbox circuit breaker resumes sending after its cool-down")
		}
	}
	if b.Tripped.IsZero() && w.held {
		w.lim.reset()
	}
	w.held = !b.Tripped.IsZero()
	return b, nil
}

// trip holds the queue: it records the trip and queues the IAB's notice.
func (w *Worker) trip(why string, now time.Time) error {
	var b store.Breaker
	var queued int
	err := w.opt.DB.Update(func(tx *store.Tx) error {
		cur, err := tx.Breaker()
		if err != nil {
			return err
		}
		if !cur.Tripped.IsZero() {
			b = cur
			return nil
		}
		b = store.Breaker{Tripped: now, Reason: why, Trips: cur.Trips + 1}
		if w.opt.Limits.Cooldown > 0 {
			b.Until = now.Add(w.opt.Limits.Cooldown)
		}
		if w.opt.Tripped != nil {
			// A notice that cannot be queued must not keep the trip
			// from being recorded: the queue is held either way.
			if b.Notice, err = w.opt.Tripped(tx, b); err != nil {
				w.opt.Log.Error("outbox circuit breaker: the IAB cannot be told", "err", err)
				b.Notice = ""
			}
		}
		queued, _ = tx.QueuedOutbox()
		return tx.PutBreaker(b)
	})
	if err != nil {
		return err
	}
	w.held = true
	until := "operator release (liaisond outbox release)"
	if !b.Until.IsZero() {
		until = b.Until.Format(time.RFC3339)
	}
	w.opt.Log.Error("outbox circuit breaker tripped: outgoing mail held", "reason", b.Reason, "queued", queued, "resumes", until, "notice", b.Notice)
	return nil
}

// sendNotice sends the trip's notice to the IAB when it is due: the one
// mail that passes a tripped breaker.
func (w *Worker) sendNotice(ctx context.Context, b store.Breaker, now time.Time, st *Stats) error {
	if b.Notice == "" {
		return nil
	}
	e, err := w.entry(b.Notice)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || e.State != store.OutboxQueued || e.NextAttempt.After(now) {
		return err
	}
	return w.send(ctx, e, st)
}

// send attempts delivery of e and records the outcome.
func (w *Worker) send(ctx context.Context, e *store.OutboxEntry, st *Stats) error {
	key := e.Key
	// A shutdown must not cut an SMTP transaction in half: the server may
	// already have accepted the mail, and a retry would send it twice. The
	// transport's own timeout bounds the wait.
	sendErr := w.opt.Transport.Send(context.WithoutCancel(ctx), e.EnvelopeFrom, e.Rcpts, e.Raw)
	now := w.opt.Now()
	log := w.opt.Log.With("key", key, "kind", e.Kind, "recipient", e.Recipient, "record", e.RecordID)
	err := w.opt.DB.Update(func(tx *store.Tx) error {
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
			if w.opt.Filer != nil {
				cur.Filing = &store.Filing{State: store.FilingPending, Next: now}
			}
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
	if err != nil || sendErr != nil || w.opt.Filer == nil {
		return err
	}
	return w.file(ctx, key, st)
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
		// Sent again, it is filed again.
		e.Filing = nil
		// The age limit counts from the requeue.
		e.Created = now
		return tx.PutOutbox(e)
	})
}

// nextWait is how long to sleep: until the next entry is due or, while
// the breaker holds the queue, until it resumes or its notice is due (at
// most an hour).
func (w *Worker) nextWait() time.Duration {
	wait := time.Hour
	_ = w.opt.DB.View(func(tx *store.Tx) error {
		now := w.opt.Now()
		b, err := tx.Breaker()
		if err != nil {
			return err
		}
		if at, ok := tx.NextFiling(); ok && w.opt.Filer != nil {
			wait = min(wait, at.Sub(now))
		}
		if !b.Held(now) {
			if at, ok := tx.NextOutbox(); ok {
				wait = min(wait, at.Sub(now))
			}
			return nil
		}
		if !b.Until.IsZero() {
			wait = min(wait, b.Until.Sub(now))
		}
		if e, err := tx.Outbox(b.Notice); err == nil && e.State == store.OutboxQueued {
			wait = min(wait, e.NextAttempt.Sub(now))
		}
		return nil
	})
	return wait
}

// Run delivers until ctx ends: a pass now, then sleep until the next entry
// is due (see nextWait) or Wake is called.
func (w *Worker) Run(ctx context.Context) error {
	for {
		minWait := 10 * time.Millisecond
		if _, err := w.DrainOnce(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, ErrGated) {
				w.opt.Log.Info("outbox holds its mail", "why", err)
			} else {
				w.opt.Log.Error("outbox pass failed", "err", err)
			}
			// Do not spin on a database error.
			minWait = 5 * time.Second
		}
		wait := w.nextWait()
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

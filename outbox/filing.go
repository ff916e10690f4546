package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/ietf-tools/liaisond/store"
)

// fileDue files the copies that are due now (earlier appends failed).
func (w *Worker) fileDue(ctx context.Context, st *Stats) error {
	if w.opt.Filer == nil {
		return nil
	}
	var keys []string
	if err := w.opt.DB.View(func(tx *store.Tx) error {
		keys = tx.DueFiling(w.opt.Now(), w.opt.Batch)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.file(ctx, k, st); err != nil {
			return err
		}
	}
	return nil
}

// file appends the copy of the sent mail key to the sent folder and
// records the outcome (see the package doc). Only store errors, and the
// gate's refusal, are returned: a failed append is the copy's problem.
func (w *Worker) file(ctx context.Context, key string, st *Stats) error {
	e, err := w.entry(key)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if e.Filing == nil || e.Filing.State != store.FilingPending {
		return nil
	}
	if err := w.gate(); err != nil {
		return err
	}
	filed := append(append(make([]byte, 0, len(e.FileHeader)+len(e.Raw)), e.FileHeader...), e.Raw...)
	// Like a delivery, an append in flight is not cut short by a shutdown.
	fileErr := w.opt.Filer.File(context.WithoutCancel(ctx), filed, e.Sent)
	now := w.opt.Now()
	log := w.opt.Log.With("key", key, "kind", e.Kind, "message_id", e.MessageID)
	return w.opt.DB.Update(func(tx *store.Tx) error {
		cur, err := tx.Outbox(key)
		if err != nil || cur.Filing == nil || cur.Filing.State != store.FilingPending {
			return err
		}
		f := *cur.Filing
		f.Attempts++
		switch {
		case fileErr == nil:
			f.State, f.At, f.LastError = store.FilingDone, now, ""
			st.Filed++
			log.Debug("sent mail filed")
		case now.Sub(cur.Sent) < w.opt.MaxAge:
			f.LastError = fileErr.Error()
			f.Next = now.Add(w.Backoff(f.Attempts))
			st.FileFailed++
			log.Warn("sent mail not filed; trying again later", "err", fileErr, "attempts", f.Attempts, "next", f.Next)
		default:
			f.State, f.LastError = store.FilingFailed, fileErr.Error()
			st.FileFailed++
			log.Error("sent mail never filed: the sent folder lacks it, and a rebuild would not know it was sent",
				"err", fileErr, "attempts", f.Attempts, "why", fmt.Sprintf("still failing after %s", w.opt.MaxAge))
		}
		cur.Filing = &f
		return tx.PutOutbox(cur)
	})
}

package imapwatch

import (
	"log/slog"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Looking ahead. Delivering a batch is mostly the sink's work (parsing,
// recording, committing), during which the connection is idle; the next
// batch is fetched then, and prepared (Preparer: parsed) on the cores the
// sink leaves free, so that its delivery can start at once. The rules of
// attempts (see attempts.go) hold for it as for any batch:
//
//   - Only a batch of fresh messages is fetched ahead, and only when it
//     and the batch in hand together stay within BatchBytes: memory is
//     bounded as without looking ahead.
//   - Its attempts are begun before it is fetched, so a message that kills
//     the daemon while it is parsed ahead is counted like any other. The
//     messages of the batch in hand are counted too: when the daemon dies
//     then, both batches are taken up again one message at a time, and an
//     innocent message has at most one attempt more.
//   - When the batch in hand is not committed and disposed of, or the sync
//     stops, the batch fetched ahead is dropped and its attempts uncounted
//     (as after a lost connection): nothing was done with it.

// Preparer is a Sink that can do the part of delivering that changes
// nothing (parsing) ahead of Deliver, while the previous batch is
// delivered. Prepare sets msgs[i].Prepared. It runs concurrently with
// Deliver and must not change anything durable; what it prepares is only
// a head start, which Deliver may use or ignore.
type Preparer interface {
	Prepare(folder Folder, msgs []Message)
}

// ahead is a batch being fetched and prepared while the batch before it
// is delivered.
type ahead struct {
	uids []imap.UID
	// msgs and err are the fetch's result: read them after done.
	msgs []Message
	err  error
	// fetched is closed when the fetch is over and the connection free;
	// done when the messages are prepared too.
	fetched, done chan struct{}
}

// lookAhead starts fetching and preparing next (the batch after held, the
// messages being delivered) in the background, on c, when the rules above
// allow it, and returns it; nil when it does not look ahead. The caller
// must not use c until connectionFree returns.
func (w *Watcher) lookAhead(c *imapclient.Client, f Folder, uidValidity uint32, held []Message, next []sized, log *slog.Logger) *ahead {
	if len(next) == 0 {
		return nil
	}
	var bytes int64
	for _, m := range held {
		bytes += int64(len(m.Raw))
	}
	uids := make([]imap.UID, len(next))
	for i, m := range next {
		bytes += m.size
		uids[i] = m.uid
	}
	if bytes > w.opt.BatchBytes {
		return nil
	}
	prior, err := w.sink.Attempts(f, uidValidity, toUint32(uids))
	if err != nil || len(prior) != len(uids) {
		return nil // taken up in turn, where the error is met again
	}
	for _, p := range prior {
		if p.Count > 0 {
			return nil // tried before: it is taken message by message
		}
	}
	if _, err := w.beginAttempts(f, uidValidity, uids); err != nil {
		log.Warn("not fetching the next batch ahead", slog.Any("err", err))
		return nil
	}
	a := &ahead{uids: uids, fetched: make(chan struct{}), done: make(chan struct{})}
	prep, _ := w.sink.(Preparer)
	go func() {
		defer close(a.done)
		a.msgs, a.err = w.fetch(c, f, uidValidity, uids)
		close(a.fetched)
		if a.err == nil && prep != nil && len(a.msgs) > 0 {
			prep.Prepare(f, a.msgs)
		}
	}()
	return a
}

// connectionFree waits until a's fetch no longer uses the connection (nil:
// nothing to wait for).
func (a *ahead) connectionFree() {
	if a != nil {
		<-a.fetched
	}
}

// drop waits for a (nil: nothing) to finish and uncounts its attempts: it
// is taken up again later as if it had not been fetched.
func (w *Watcher) drop(f Folder, uidValidity uint32, a *ahead, log *slog.Logger) {
	if a == nil {
		return
	}
	<-a.done
	w.interrupted(f, uidValidity, a.uids, log)
}

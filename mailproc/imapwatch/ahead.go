package imapwatch

import (
	"log/slog"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Looking ahead. Delivering a batch is mostly the sink's work (parsing,
// recording, committing), during which the connection is idle; the next
// batch is fetched then, and prepared (Preparer: parsed) on the cores the
// sink leaves free, so that its delivery can start at once. The batch just
// committed is disposed of (flagged, moved) in the background too, while
// the next one is delivered, before that one's successor is fetched: the
// connection is used by one goroutine at a time, in the order of a sync
// without looking ahead, and nothing is left running on it when a folder's
// sync ends. The rules of attempts (see attempts.go) hold for a batch
// fetched ahead as for any batch:
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
// is delivered, and then disposed of.
type ahead struct {
	uids []imap.UID
	// msgs and err are the fetch's result: read them after done.
	msgs []Message
	err  error
	// fetched is closed when the fetch is over and the connection free;
	// done when the messages are prepared too.
	fetched, done chan struct{}
	// disposed, once set (deliver, when it hands the batch on), is closed
	// when the batch before this one is disposed of, with disposeErr.
	disposed   chan struct{}
	disposeErr error
}

// lookAhead starts fetching and preparing next (the batch after held, the
// messages being delivered) in the background, on c, once the batch before
// held is disposed of (pre, which fetched held ahead; nil: nothing to wait
// for), when the rules above allow it, and returns it; nil when it does not
// look ahead. The caller must not use c until connectionFree returns.
func (w *Watcher) lookAhead(c *imapclient.Client, f Folder, uidValidity uint32, held []Message, next []sized, pre *ahead, log *slog.Logger) *ahead {
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
		if pre != nil && pre.disposed != nil {
			<-pre.disposed // the connection is the disposal's until then
		}
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

// disposal waits until the batch before a (nil: none) is disposed of, and
// returns the error of disposing of it.
func (a *ahead) disposal() error {
	if a == nil || a.disposed == nil {
		return nil
	}
	<-a.disposed
	return a.disposeErr
}

// settle ends a (nil: nothing) without delivering it: it waits until a is
// fetched and prepared and the batch before it disposed of, and uncounts
// a's attempts (it is taken up again later as if it had not been fetched).
// It returns the error of that disposal: those messages are committed,
// and moved at the next sync (see syncFolder).
func (w *Watcher) settle(f Folder, uidValidity uint32, a *ahead, log *slog.Logger) error {
	if a == nil {
		return nil
	}
	<-a.done
	err := a.disposal()
	w.interrupted(f, uidValidity, a.uids, log)
	return err
}

// drop is settle when an error is already on its way: a failed disposal
// is only logged.
func (w *Watcher) drop(f Folder, uidValidity uint32, a *ahead, log *slog.Logger) {
	if err := w.settle(f, uidValidity, a, log); err != nil {
		log.Warn("disposing of a committed batch failed; it is moved at the next sync", slog.Any("err", err))
	}
}

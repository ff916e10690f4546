package imapwatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// No single message can stall a folder. Messages are taken up batch by
// batch, and every attempt is counted durably by the sink before the
// messages are fetched:
//
//  1. Messages never tried before are delivered together, in one commit.
//  2. When that fails because of the messages (the sink failed on them, or
//     the server refused to FETCH them), each message is retried alone.
//  3. A message tried before (its batch failed, or the daemon died while
//     it was in hand: a crash, an out-of-memory kill) is always taken alone,
//     so that it cannot take others down with it. An attempt is counted
//     just before the message is fetched.
//  4. A message whose attempts reach MaxAttempts is given up on: the sink
//     keeps its raw bytes and a record flagged failed with the reason
//     (Sink.Reject), the checkpoint passes it, and it goes to FailedFolder.
//     If even that attempt did not finish, it is kept without its bytes:
//     the copy in FailedFolder on the server is then the only one.
//
// Attempts interrupted by a lost connection or an unavailable sink
// (ErrSinkUnavailable: a full disk) are not the message's fault and do not
// count.

// sized is a message's UID and RFC822.SIZE.
type sized struct {
	uid  imap.UID
	size int64
}

// planBatches cuts msgs, in UID order, into batches of at most maxCount
// messages and maxBytes bytes. A message larger than maxBytes forms a batch
// alone.
func planBatches(msgs []sized, maxCount int, maxBytes int64) [][]sized {
	return Batches(msgs, func(m sized) int64 { return m.size }, maxCount, maxBytes)
}

// Batches cuts items, in order, into batches of at most maxCount items and
// maxBytes bytes (by size). An item larger than maxBytes forms a batch
// alone.
func Batches[T any](items []T, size func(T) int64, maxCount int, maxBytes int64) [][]T {
	var out [][]T
	var cur []T
	var bytes int64
	for _, m := range items {
		if len(cur) > 0 && (len(cur) >= maxCount || bytes+size(m) > maxBytes) {
			out = append(out, cur)
			cur, bytes = nil, 0
		}
		cur = append(cur, m)
		bytes += size(m)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// sinkError is a failure of Sink.Deliver: the messages' fault, counted.
type sinkError struct{ err error }

func (e *sinkError) Error() string { return e.err.Error() }
func (e *sinkError) Unwrap() error { return e.err }

// noBodyError is a FETCH answered without the message's body.
type noBodyError struct {
	uid    uint32
	folder string
}

func (e *noBodyError) Error() string {
	return fmt.Sprintf("imapwatch: server sent no body for UID %d in %q", e.uid, e.folder)
}

// ErrSinkUnavailable marks a sink failure that is not the messages' fault
// (the disk is full, the database cannot commit): like a lost connection,
// it does not count as an attempt, and the sync stops to be retried later.
var ErrSinkUnavailable = errors.New("imapwatch: sink unavailable")

// messageFault reports whether an attempt that ended with err failed
// because of the messages in hand (the sink failed on them, or the server
// refused to fetch them) rather than because the connection was lost or
// the sink is unavailable.
func messageFault(err error) bool {
	if errors.Is(err, ErrSinkUnavailable) {
		return false
	}
	var se *sinkError
	var ie *imap.Error
	var nb *noBodyError
	return errors.As(err, &se) || errors.As(err, &ie) || errors.As(err, &nb)
}

// take processes one planned batch until every message in it is committed
// or given up on. It returns an error only when the connection or the sink
// itself fails; the batch is then taken up again on the next sync.
//
// pre, when not nil, is the batch fetched (and prepared) ahead while the
// previous one was delivered (see lookAhead): its messages are all fresh
// and their attempt is begun. next is the batch after this one, which may
// be fetched ahead in turn while this one is delivered; take returns it
// for the next call. On an error nothing is left running or counted ahead.
func (w *Watcher) take(ctx context.Context, c *imapclient.Client, f Folder, uidValidity uint32, batch []sized, pre *ahead, next []sized, log *slog.Logger) (*ahead, error) {
	uids := make([]imap.UID, len(batch))
	for i, m := range batch {
		uids[i] = m.uid
	}
	if pre != nil {
		<-pre.done
		if pre.err == nil {
			return w.group(ctx, c, f, uidValidity, pre.uids, pre, next, log)
		}
		// Fetching it ahead failed: take it up as if it had not been
		// tried (a refusal is met again, and counted, below).
		if err := w.settle(f, uidValidity, pre, log); err != nil {
			return nil, err
		}
	}
	prior, err := w.sink.Attempts(f, uidValidity, toUint32(uids))
	if err != nil {
		return nil, fmt.Errorf("imapwatch: read attempts at %d messages of %q: %w", len(uids), f.Name, err)
	}
	if len(prior) != len(uids) {
		return nil, fmt.Errorf("imapwatch: sink returned %d attempts for %d messages of %q", len(prior), len(uids), f.Name)
	}
	for i := 0; i < len(uids); {
		if prior[i].Count > 0 {
			if err := w.alone(ctx, c, f, uidValidity, uids[i], log); err != nil {
				return nil, err
			}
			i++
			continue
		}
		j := i + 1
		for j < len(uids) && prior[j].Count == 0 {
			j++
		}
		group := uids[i:j]
		if _, err := w.beginAttempts(f, uidValidity, group); err != nil {
			return nil, err
		}
		var following []sized
		if j == len(uids) {
			following = next // what comes after this group is the next batch
		}
		a, err := w.group(ctx, c, f, uidValidity, group, nil, following, log)
		if err != nil || j == len(uids) {
			return a, err
		}
		i = j
	}
	return nil, nil
}

// group delivers uids, fresh messages whose attempt is begun (pre: fetched
// ahead; nil: fetch them), together, and when that fails because of them,
// each alone. It returns the batch fetched ahead of next while they were
// delivered (see deliver).
func (w *Watcher) group(ctx context.Context, c *imapclient.Client, f Folder, uidValidity uint32, uids []imap.UID, pre *ahead, next []sized, log *slog.Logger) (*ahead, error) {
	committed, a, err := w.deliver(ctx, c, f, uidValidity, uids, pre, next, log)
	switch {
	case committed || err == nil:
		return a, err
	case !messageFault(err):
		w.interrupted(f, uidValidity, uids, log)
		return nil, err
	}
	if len(uids) > 1 {
		log.Warn("batch failed; retrying its messages one at a time",
			slog.Int("count", len(uids)), slog.Any("err", err))
	}
	if err := w.failed(f, uidValidity, uids, err); err != nil {
		return nil, err
	}
	for _, uid := range uids {
		if err := w.alone(ctx, c, f, uidValidity, uid, log); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// alone processes one message by itself until it is committed or given up
// on.
func (w *Watcher) alone(ctx context.Context, c *imapclient.Client, f Folder, uidValidity uint32, uid imap.UID, log *slog.Logger) error {
	one := []imap.UID{uid}
	for {
		atts, err := w.beginAttempts(f, uidValidity, one)
		if err != nil {
			return err
		}
		a := atts[0]
		if a.Count > w.opt.MaxAttempts {
			return w.reject(ctx, c, f, uidValidity, uid, a, log)
		}
		committed, _, err := w.deliver(ctx, c, f, uidValidity, one, nil, nil, log)
		if committed || err == nil {
			return err
		}
		if !messageFault(err) {
			w.interrupted(f, uidValidity, one, log)
			return err
		}
		log.Warn("message failed", slog.Uint64("uid", uint64(uid)),
			slog.Int("attempt", a.Count), slog.Int("max_attempts", w.opt.MaxAttempts), slog.Any("err", err))
		if err := w.failed(f, uidValidity, one, err); err != nil {
			return err
		}
	}
}

// reject gives up on a message: the sink keeps it as failed with the
// reason, and it goes to FailedFolder. Its bytes are fetched once more to
// be kept, unless that already did not finish last time.
func (w *Watcher) reject(ctx context.Context, c *imapclient.Client, f Folder, uidValidity uint32, uid imap.UID, a Attempt, log *slog.Logger) error {
	reason := givenUp(a, w.opt.MaxAttempts)
	m := Message{Folder: f, UIDValidity: uidValidity, UID: uint32(uid)}
	if a.Count == w.opt.MaxAttempts+1 {
		msgs, err := w.fetch(c, f, uidValidity, []imap.UID{uid})
		switch {
		case err != nil && !messageFault(err):
			w.interrupted(f, uidValidity, []imap.UID{uid}, log)
			return err
		case err != nil:
			reason += fmt.Sprintf("; its bytes could not be fetched (%v), so the only copy is the one on the server", err)
		case len(msgs) == 0:
			return nil // expunged meanwhile; the checkpoint clears its attempts later
		default:
			m = msgs[0]
		}
	} else {
		reason += "; keeping a copy of it did not finish either, so the only copy is the one on the server"
	}
	if err := w.sink.Reject(context.WithoutCancel(ctx), f, uidValidity, m, reason); err != nil {
		return fmt.Errorf("imapwatch: keep failed message UID %d of %q: %w", uid, f.Name, err)
	}
	w.update(f.Name, func(s *FolderStatus) {
		s.LastUID = max(s.LastUID, uint32(uid))
		s.Rejected++
	})
	log.Error("message given up on: kept as failed", slog.Uint64("uid", uint64(uid)),
		slog.String("reason", reason), slog.String("to", w.opt.FailedFolder))
	return w.dispose(c, f, []Message{m}, []Outcome{{Understood: false}}, log)
}

// givenUp says why a message is given up on, from its attempts.
func givenUp(a Attempt, maxAttempts int) string {
	done := a.Count - 1 // the attempt in hand is the rejection itself
	s := fmt.Sprintf("given up after %d attempts", done)
	if a.Failures > 0 {
		s += fmt.Sprintf(": %d failed (last: %s)", a.Failures, a.LastError)
	}
	if lost := done - a.Failures; lost > 0 {
		sep := ","
		if a.Failures == 0 {
			sep = ":"
		}
		s += fmt.Sprintf("%s %d did not finish (the daemon stopped while processing it: a crash or a kill)", sep, lost)
	}
	if done > maxAttempts {
		s += fmt.Sprintf(" (limit %d)", maxAttempts)
	}
	return s
}

func toUint32(uids []imap.UID) []uint32 {
	out := make([]uint32, len(uids))
	for i, u := range uids {
		out[i] = uint32(u)
	}
	return out
}

// beginAttempts counts an attempt at uids before they are fetched.
func (w *Watcher) beginAttempts(f Folder, uidValidity uint32, uids []imap.UID) ([]Attempt, error) {
	atts, err := w.sink.BeginAttempts(f, uidValidity, toUint32(uids))
	if err != nil {
		return nil, fmt.Errorf("imapwatch: count attempts at %d messages of %q: %w", len(uids), f.Name, err)
	}
	if len(atts) != len(uids) {
		return nil, fmt.Errorf("imapwatch: sink returned %d attempts for %d messages of %q", len(atts), len(uids), f.Name)
	}
	return atts, nil
}

// failed notes err as the end of the current attempt at uids.
func (w *Watcher) failed(f Folder, uidValidity uint32, uids []imap.UID, err error) error {
	if e := w.sink.EndAttempts(f, uidValidity, toUint32(uids), err.Error()); e != nil {
		return fmt.Errorf("imapwatch: note failed attempt at %d messages of %q: %w (after: %v)", len(uids), f.Name, e, err)
	}
	return nil
}

// interrupted uncounts the current attempt at uids: the connection, not
// the messages, ended it.
func (w *Watcher) interrupted(f Folder, uidValidity uint32, uids []imap.UID, log *slog.Logger) {
	if err := w.sink.EndAttempts(f, uidValidity, toUint32(uids), ""); err != nil {
		log.Warn("could not uncount an interrupted attempt", slog.Int("count", len(uids)), slog.Any("err", err))
	}
}

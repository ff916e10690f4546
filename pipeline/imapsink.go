package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// IMAPSink lets the IMAP poller feed the pipeline: each batch of fetched
// messages is recorded, with its notices, in the same transaction as the
// folder's new UID checkpoint. It also keeps the watcher's attempt counts in
// the store, so a message that fails or kills the daemon is given up on
// after a bounded number of attempts (see imapwatch) and kept as failed.
type IMAPSink struct {
	P  *Pipeline
	DB *store.DB
}

var (
	_ imapwatch.Sink     = IMAPSink{}
	_ imapwatch.Preparer = IMAPSink{}
)

// Checkpoint returns the folder's stored UIDVALIDITY and last UID.
func (s IMAPSink) Checkpoint(folder string) (imapwatch.Checkpoint, error) {
	var cp store.Checkpoint
	err := s.DB.View(func(tx *store.Tx) (err error) {
		cp, err = tx.Checkpoint(folder)
		return err
	})
	return imapwatch.Checkpoint{UIDValidity: cp.UIDValidity, LastUID: cp.LastUID}, err
}

func watchAttempt(a store.Attempt) imapwatch.Attempt {
	return imapwatch.Attempt{Count: a.Count, Failures: a.Failures, LastError: a.LastError}
}

// Attempts returns the attempts so far at each of uids.
func (s IMAPSink) Attempts(folder imapwatch.Folder, uidValidity uint32, uids []uint32) ([]imapwatch.Attempt, error) {
	out := make([]imapwatch.Attempt, len(uids))
	err := s.DB.View(func(tx *store.Tx) error {
		for i, uid := range uids {
			a, err := tx.Attempt(folder.Name, uidValidity, uid)
			if err != nil {
				return err
			}
			out[i] = watchAttempt(a)
		}
		return nil
	})
	return out, err
}

// BeginAttempts durably counts an attempt at each of uids.
func (s IMAPSink) BeginAttempts(folder imapwatch.Folder, uidValidity uint32, uids []uint32) ([]imapwatch.Attempt, error) {
	out := make([]imapwatch.Attempt, len(uids))
	now := s.P.now()
	err := s.DB.Update(func(tx *store.Tx) error {
		for i, uid := range uids {
			a, err := tx.BeginAttempt(folder.Name, uidValidity, uid, now)
			if err != nil {
				return err
			}
			out[i] = watchAttempt(a)
		}
		return nil
	})
	return out, err
}

// EndAttempts notes how the current attempt at each of uids ended.
func (s IMAPSink) EndAttempts(folder imapwatch.Folder, uidValidity uint32, uids []uint32, failure string) error {
	return s.DB.Update(func(tx *store.Tx) error {
		for _, uid := range uids {
			if err := tx.EndAttempt(folder.Name, uidValidity, uid, failure); err != nil {
				return err
			}
		}
		return nil
	})
}

// Deliver records msgs and advances the checkpoint in one transaction. A
// failure to commit (not the messages' fault) wraps
// imapwatch.ErrSinkUnavailable.
func (s IMAPSink) Deliver(ctx context.Context, folder imapwatch.Folder, uidValidity uint32, msgs []imapwatch.Message) ([]imapwatch.Outcome, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ins := make([]Input, len(msgs))
	var last uint32
	for i, m := range msgs {
		ins[i] = imapInput(folder, m)
		last = max(last, m.UID)
	}
	res, err := s.P.ProcessBatch(ins, s.advance(folder.Name, uidValidity, last), false)
	if err != nil {
		return nil, sinkError(err)
	}
	out := make([]imapwatch.Outcome, len(res))
	for i, r := range res {
		out[i] = imapwatch.Outcome{Understood: r.Understood}
	}
	return out, nil
}

// Prepare parses msgs ahead of Deliver, while the watcher's previous batch
// is recorded (Pipeline.Parse).
func (s IMAPSink) Prepare(folder imapwatch.Folder, msgs []imapwatch.Message) {
	ins := make([]Input, len(msgs))
	for i, m := range msgs {
		ins[i] = imapInput(folder, m)
	}
	for i, x := range s.P.Parse(ins) {
		msgs[i].Prepared = x
	}
}

// Reject keeps a message the watcher gave up on, flagged failed with the
// reason, and advances the checkpoint past it, in one transaction.
func (s IMAPSink) Reject(ctx context.Context, folder imapwatch.Folder, uidValidity uint32, msg imapwatch.Message, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := s.P.RecordFailed(imapInput(folder, msg), reason, s.advance(folder.Name, uidValidity, msg.UID))
	return sinkError(err)
}

func imapInput(folder imapwatch.Folder, m imapwatch.Message) Input {
	in := Input{Raw: m.Raw, Origin: fmt.Sprintf("imap:%s/%d", folder.Name, m.UID), Context: routing.Context{Folder: folder.Name, WGList: folder.WGList}}
	if x, ok := m.Prepared.(*Parsed); ok {
		in.parsed = x
	}
	return in
}

// sinkError marks a failure to commit as the sink's, not the messages'.
func sinkError(err error) error {
	if errors.Is(err, ErrCommit) {
		return fmt.Errorf("%w: %w", imapwatch.ErrSinkUnavailable, err)
	}
	return err
}

// advance returns the transaction step that moves folder's checkpoint up to
// last (or restarts it under a new UIDVALIDITY) and forgets the attempts it
// now covers.
func (s IMAPSink) advance(folder string, uidValidity, last uint32) func(*store.Tx) error {
	now := s.P.now()
	return func(tx *store.Tx) error {
		cp, err := tx.Checkpoint(folder)
		if err != nil {
			return err
		}
		if cp.UIDValidity != uidValidity {
			cp.LastUID = 0
		}
		cp.LastUID = max(cp.LastUID, last)
		cp.UIDValidity = uidValidity
		cp.Synced = now
		if err := tx.SetCheckpoint(folder, cp); err != nil {
			return err
		}
		return tx.ClearAttempts(folder, uidValidity, cp.LastUID)
	}
}

package pipeline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"runtime/debug"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// One message is one problem: a message that cannot be recorded is retried
// alone and, when it still fails, kept as failed (RecordFailed) so that it
// never holds back the messages behind it. This file holds what the
// batch path and the IMAP and file intake share for that.

// ErrCommit marks a transaction that did its work but could not be
// committed (the disk is full or failing): the store's fault, not the
// message's, so retrying the message alone will not help.
var ErrCommit = errors.New("commit failed")

// ProblemUnprocessed is the problem code of a message kept without being
// processed (RecordFailed).
const ProblemUnprocessed = "unprocessed"

// commitError wraps the error of a recording transaction: with ErrCommit
// when the work was done and only the commit failed.
func commitError(committing bool, err error) error {
	if committing {
		return fmt.Errorf("pipeline: %w: %w", ErrCommit, err)
	}
	return fmt.Errorf("pipeline: %w", err)
}

// recoverRecord turns a panic while recording into the transaction's error
// (bbolt then rolls back), so that a bug met by one message fails that
// message instead of killing the daemon.
func (p *Pipeline) recoverRecord(err *error) {
	if r := recover(); r != nil {
		p.log.Error("panic while recording a message", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		*err = fmt.Errorf("panic while recording: %v", r)
	}
}

// RecordFailed keeps a message that could not be processed, without
// parsing it: its raw bytes (unless raw is nil: even fetching it failed) and
// a record flagged failed with reason, so that nothing is lost; `liaisond
// show` displays it and `liaisond reprocess` can try it again. extra runs in
// the same transaction (the IMAP checkpoint that passes the message). No
// mail is queued.
func (p *Pipeline) RecordFailed(in Input, reason string, extra func(*store.Tx) error) (Result, error) {
	s := p.set.Current()
	now := in.at(p.now())
	x := peekHeader(in.Raw)
	x.Kind = liaison.KindOther
	x.Problems = append(x.Problems, liaison.Problem{Code: ProblemUnprocessed, Detail: reason})
	res := Result{Kind: liaison.KindOther, Origin: in.Origin, Flags: []string{"failed", "problem:" + ProblemUnprocessed}}
	committing := false
	err := p.db.Update(func(tx *store.Tx) (err error) {
		defer p.recoverRecord(&err)
		id, err := newID(tx, in.ID, "MSG", now.In(s.Config.Location).Year())
		if err != nil {
			return err
		}
		rec := &liaison.Record{ID: id, Received: now, Extraction: x, Origin: in.Origin, State: liaison.StateFailed}
		kept := "kept"
		if in.Raw != nil {
			if err := tx.PutRaw(id, in.Raw); err != nil {
				return err
			}
			rec.RawKey = id
		} else {
			kept = "recorded without its bytes"
		}
		if err := tx.PutRecord(rec); err != nil {
			return err
		}
		for _, ev := range []liaison.Event{
			{At: now, Type: "received", Detail: fmt.Sprintf("%s via %s, %s without processing", x.From.String(), in.Origin, kept)},
			{At: now, Type: "failed", Detail: reason},
		} {
			if err := tx.AddEvent(id, ev); err != nil {
				return err
			}
		}
		if extra != nil {
			if err := extra(tx); err != nil {
				return err
			}
		}
		res.ID, res.Record = id, rec
		committing = true
		return nil
	})
	if err != nil {
		return Result{Origin: in.Origin}, commitError(committing, err)
	}
	p.log.Error("message kept as failed", "id", res.ID, "origin", in.Origin, "reason", reason)
	return res, nil
}

// peekHeaderBytes bounds what peekHeader reads: a message kept as failed
// may be the one whose enormous header broke the parser.
const peekHeaderBytes = 64 << 10

// peekHeader reads the Subject and From of raw for display, from at most
// peekHeaderBytes, without decoding anything: it must not fail where the
// full parser did. The fields stay empty when the header does not read.
// The Message-ID is left out on purpose: indexed, it would make a later
// copy of the message a duplicate of this failed record.
func peekHeader(raw []byte) liaison.Extraction {
	var x liaison.Extraction
	r := textproto.NewReader(bufio.NewReader(io.LimitReader(bytes.NewReader(raw), peekHeaderBytes)))
	h, err := r.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return x
	}
	clean := func(v string) string {
		v = strings.ToValidUTF8(strings.Join(strings.Fields(v), " "), "\uFFFD")
		if len(v) > 200 {
			v = v[:200]
		}
		return v
	}
	x.Subject = clean(h.Get("Subject"))
	x.From.Name = clean(h.Get("From"))
	return x
}

// ProcessEach records ins in one transaction when it can, like
// ProcessBatch. When the batch fails, each message is recorded alone, and
// one that fails alone too is kept as failed (RecordFailed, the error as the
// reason), so that one bad message never costs the others. It returns one
// result per message, in order, and for each the error that kept it from
// being recorded at all (nil almost always: only when even keeping it
// failed, or, in a dry run, when it could not be processed).
func (p *Pipeline) ProcessEach(ins []Input, dryRun bool) ([]Result, []error) {
	errs := make([]error, len(ins))
	res, err := p.ProcessBatch(ins, nil, dryRun)
	if err == nil {
		return res, errs
	}
	if len(ins) > 1 {
		p.log.Warn("batch failed; recording its messages one at a time", "err", err, "messages", len(ins))
	}
	res = make([]Result, len(ins))
	for i, in := range ins {
		r, err := p.Process(in, dryRun)
		if err != nil && !dryRun && !errors.Is(err, ErrCommit) {
			p.log.Warn("message failed; keeping it as failed", "origin", in.Origin, "err", err)
			r, err = p.RecordFailed(in, "not recorded: "+err.Error(), nil)
		}
		res[i], errs[i] = r, err
	}
	return res, errs
}

// Package rebuild makes a lost database again from the mailbox, which is
// the daemon's durable log: the processed folder keeps every message
// received (the failed folder those it could not understand), and the sent
// folder (imap.sent_folder) a copy of every mail sent, each with its trace
// (outmail.Trace): its outbox key, the record it was about and, for the
// confirmation of an action taken outside mail, the action.
//
// Run, in order:
//
//  1. reads the sent folder: a copy whose trace carries this instance's
//     seal (the key of commands.secret_file) is a mail that went out; it is
//     restored in the outbox as sent, under its key and Message-ID, and the
//     id of the record it was about is reserved for that record;
//  2. replays, in order of time, every message received — the processed
//     folder (and the watched folders that keep their mail) by INTERNALDATE,
//     each through the normal pipeline as of its arrival and with the id
//     the sent folder names for it; the failed folder's messages are kept
//     as failed without processing — and every action read in step 1 at its
//     time. Mail is muted: nothing is queued. Mail commands and replies are
//     applied again by the pipeline itself;
//  3. points each restored mail at its record as rebuilt (by the record's
//     Message-ID should its id have changed), moves the id sequences past
//     every id the restored keys name (no later mail gets a key already
//     sent) and checkpoints the watched folders that keep their mail.
//
// What the daemon queues afterwards is only what is still due: a mail that
// was sent has its key in the outbox, and a key is never queued twice.
//
// What the mailbox does not hold is not rebuilt: statements recorded from
// files (`liaisond ingest`), drafts of outgoing statements and their
// approvals (a statement sent to a peer is kept as the daemon's own mail),
// actions that were confirmed to nobody, notices queued but not sent when
// the database was lost, and mail sent before the sent folder was
// configured. Records without mail about them may get other ids.
package rebuild

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/textproto"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/imapwatch"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/pipeline"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/store"
)

// Source reads the mailbox's folders (imapwatch.Side).
type Source interface {
	// List returns every message of folder in UID order, and the folder's
	// UIDVALIDITY; none for a folder that does not exist.
	List(ctx context.Context, folder string) ([]imapwatch.Envelope, uint32, error)
	// Fetch returns the messages uids of f, in UID order.
	Fetch(ctx context.Context, f imapwatch.Folder, uids []uint32) ([]imapwatch.Message, error)
}

// Folder is a folder of received mail to replay.
type Folder struct {
	imapwatch.Folder
	// Watched is set for a watched folder that keeps its mail (no
	// processed folder): it is checkpointed at its last message.
	Watched bool
}

// Options configure Run.
type Options struct {
	// DB is the database to fill; it must be empty.
	DB *store.DB
	// Pipeline and Actions work on DB with mail muted (notify.Options.Mute).
	Pipeline *pipeline.Pipeline
	Actions  *actions.Layer
	// Marker checks the seals of the traces (settings.Snapshot.Marker).
	Marker *outmail.Marker
	Source Source
	// Received are the folders of received mail (the processed folder, or
	// the watched folders when they keep their mail); Failed is the failed
	// folder and Sent the sent folder ("" for none).
	Received     []Folder
	Failed, Sent string
	// Now is the clock (the checkpoints' sync time).
	Now func() time.Time
	Log *slog.Logger
	// Batch and BatchBytes bound one fetch (defaults 50 and 32 MiB).
	Batch      int
	BatchBytes int64
}

// Report says what a rebuild found and did.
type Report struct {
	// Received counts the messages replayed through the pipeline, Failed
	// those kept as failed (the failed folder's), NotRecorded those the
	// pipeline could not record at all.
	Received, Failed, NotRecorded int
	// Statements and Records count what the database holds afterwards.
	Statements, Records int
	// Sent counts the mails restored as sent; Copies the extra copies of
	// one mail (a retried append); Foreign the sent folder's messages
	// without a trace (filed by someone else, or before traces); Refused
	// those whose trace's seal is not this instance's.
	Sent, Copies, Foreign, Refused int
	// Actions counts the actions taken outside mail replayed;
	// ActionsRefused those the statement no longer allowed.
	Actions, ActionsRefused int
	// IDsKept counts the records the sent folder names that got their id
	// back, IDsChanged those that got another (the mail about them now
	// points at the new id), IDsLost those not rebuilt at all (drafts,
	// statements recorded from files).
	IDsKept, IDsChanged, IDsLost int
	// Problems are the first problems met, for the operator.
	Problems []string
}

// Run rebuilds the empty database opt.DB from the mailbox (see the
// package doc). It stops at the first store or IMAP error; one bad message
// is that message's problem and is kept as failed.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if opt.DB == nil || opt.Pipeline == nil || opt.Actions == nil || opt.Marker == nil || opt.Source == nil || opt.Now == nil {
		return nil, errors.New("rebuild: DB, Pipeline, Actions, Marker, Source and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Batch <= 0 {
		opt.Batch = 50
	}
	if opt.BatchBytes <= 0 {
		opt.BatchBytes = 32 << 20
	}
	empty := false
	if err := opt.DB.View(func(tx *store.Tx) error { empty = tx.Empty(); return nil }); err != nil {
		return nil, err
	}
	if !empty {
		return nil, errors.New("rebuild: the database is not empty")
	}
	r := &run{opt: opt, rep: &Report{}, hints: map[string]string{}, seen: map[string]bool{}}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"read the sent folder", r.readSent},
		{"replay the mailbox", r.replay},
		{"point the mail sent at its records", r.relink},
		{"count", r.count},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return r.rep, fmt.Errorf("rebuild: %s: %w", s.name, err)
		}
	}
	return r.rep, nil
}

// run is one rebuild's state.
type run struct {
	opt Options
	rep *Report
	// hints maps a record's Message-ID to the id the sent folder names.
	hints map[string]string
	// restored are the mails restored as sent about a record, to point at
	// their records; keys are the keys of every mail restored.
	restored []restored
	keys     []string
	// taken are the actions to replay, once each (seen: by their JSON).
	taken []pendingAction
	seen  map[string]bool
}

// restored is a mail restored as sent.
type restored struct {
	key, record, recordMID string
}

// pendingAction is an action read from the sent folder.
type pendingAction struct {
	actions.Taken
	recordMID string
}

// problem notes a problem for the report (the first twenty) and the log.
func (r *run) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.opt.Log.Warn("rebuild: " + msg)
	if len(r.rep.Problems) < 20 {
		r.rep.Problems = append(r.rep.Problems, msg)
	}
}

// batches cuts envelopes into fetches of at most Batch messages and
// BatchBytes bytes (a larger message alone).
func (r *run) batches(envs []imapwatch.Envelope) [][]imapwatch.Envelope {
	return imapwatch.Batches(envs, func(e imapwatch.Envelope) int64 { return e.Size }, r.opt.Batch, r.opt.BatchBytes)
}

// fetch reads one batch of folder.
func (r *run) fetch(ctx context.Context, f imapwatch.Folder, envs []imapwatch.Envelope) ([]imapwatch.Message, error) {
	uids := make([]uint32, len(envs))
	for i, e := range envs {
		uids[i] = e.UID
	}
	return r.opt.Source.Fetch(ctx, f, uids)
}

// readSent restores the sent folder's mail in the outbox (step 1).
func (r *run) readSent(ctx context.Context) error {
	if r.opt.Sent == "" {
		return nil
	}
	envs, _, err := r.opt.Source.List(ctx, r.opt.Sent)
	if err != nil {
		return err
	}
	f := imapwatch.Folder{Name: r.opt.Sent}
	for _, b := range r.batches(envs) {
		if err := ctx.Err(); err != nil {
			return err
		}
		msgs, err := r.fetch(ctx, f, b)
		if err != nil {
			return err
		}
		if err := r.opt.DB.Update(func(tx *store.Tx) error {
			for _, m := range msgs {
				if err := r.restore(tx, m); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	r.opt.Log.Info("rebuild: sent folder read", "folder", r.opt.Sent, "messages", len(envs), "sent", r.rep.Sent,
		"copies", r.rep.Copies, "without_trace", r.rep.Foreign, "refused", r.rep.Refused, "actions", len(r.taken))
	return nil
}

// restore records one filed copy as a sent mail, reserves the id of the
// record it was about and keeps the action it confirms.
func (r *run) restore(tx *store.Tx, m imapwatch.Message) error {
	tr, sent, err := outmail.ReadTrace(m.Raw, r.opt.Marker)
	switch {
	case errors.Is(err, outmail.ErrNoTrace):
		r.rep.Foreign++
		return nil
	case err != nil:
		r.rep.Refused++
		r.problem("%s UID %d: %v", r.opt.Sent, m.UID, err)
		return nil
	}
	if tx.HasOutbox(tr.Key) {
		r.rep.Copies++
		return nil
	}
	parts := strings.SplitN(tr.Key, "|", 4)
	if len(parts) != 4 {
		r.rep.Refused++
		r.problem("%s UID %d: the trace's key %q is not ID|kind|recipient|period", r.opt.Sent, m.UID, tr.Key)
		return nil
	}
	h := readHeader(sent)
	e := &store.OutboxEntry{Key: tr.Key, RecordID: tr.Record, Kind: parts[1], Recipient: parts[2],
		MessageID: messageID(h.Get("Message-Id")), Subject: decodeHeader(h.Get("Subject")),
		EnvelopeFrom: tr.From, Rcpts: tr.Rcpts, Raw: sent, State: store.OutboxSent,
		Created: m.InternalDate, Sent: m.InternalDate, LastAttempt: m.InternalDate, Attempts: 1,
		FileHeader: bytes.Clone(m.Raw[:len(m.Raw)-len(sent)]),
		Filing:     &store.Filing{State: store.FilingDone, At: m.InternalDate, Attempts: 1}}
	if _, err := tx.Enqueue(e); err != nil {
		return err
	}
	r.rep.Sent++
	r.keys = append(r.keys, tr.Key)
	if tr.Record != "" {
		if err := tx.ReserveID(tr.Record); err != nil {
			return err
		}
		if tr.RecordMessageID != "" {
			if _, ok := r.hints[tr.RecordMessageID]; !ok {
				r.hints[tr.RecordMessageID] = tr.Record
			}
		}
		r.restored = append(r.restored, restored{key: tr.Key, record: tr.Record, recordMID: tr.RecordMessageID})
	}
	if len(tr.Action) > 0 && !r.seen[string(tr.Action)] {
		r.seen[string(tr.Action)] = true
		var t actions.Taken
		if err := json.Unmarshal(tr.Action, &t); err != nil {
			r.problem("%s UID %d: the action in its trace does not decode: %v", r.opt.Sent, m.UID, err)
			return nil
		}
		r.taken = append(r.taken, pendingAction{Taken: t, recordMID: tr.RecordMessageID})
	}
	return nil
}

// event is one step of the replay: a message received (env in folder) or
// an action taken.
type event struct {
	at     time.Time
	folder *Folder
	failed bool
	env    imapwatch.Envelope
	action *pendingAction
}

// replay lists the received folders and replays them and the actions in
// order of time (step 2).
func (r *run) replay(ctx context.Context) error {
	var evs []event
	last := map[string]uint32{}
	uidvs := map[string]uint32{}
	add := func(f *Folder, failed bool) error {
		envs, uidv, err := r.opt.Source.List(ctx, f.Name)
		if err != nil {
			return err
		}
		uidvs[f.Name] = uidv
		for _, e := range envs {
			evs = append(evs, event{at: e.InternalDate, folder: f, failed: failed, env: e})
			last[f.Name] = max(last[f.Name], e.UID)
		}
		return nil
	}
	for i := range r.opt.Received {
		if err := add(&r.opt.Received[i], false); err != nil {
			return err
		}
	}
	if r.opt.Failed != "" {
		if err := add(&Folder{Folder: imapwatch.Folder{Name: r.opt.Failed}}, true); err != nil {
			return err
		}
	}
	for i := range r.taken {
		evs = append(evs, event{at: r.taken[i].At, action: &r.taken[i]})
	}
	sortEvents(evs)
	for i := 0; i < len(evs); {
		if err := ctx.Err(); err != nil {
			return err
		}
		if evs[i].action != nil {
			if err := r.act(evs[i].action); err != nil {
				return err
			}
			i++
			continue
		}
		// A run of messages of one folder, fetched together.
		j := i + 1
		for j < len(evs) && evs[j].action == nil && evs[j].folder == evs[i].folder {
			j++
		}
		envs := make([]imapwatch.Envelope, 0, j-i)
		for _, e := range evs[i:j] {
			envs = append(envs, e.env)
		}
		for _, b := range r.batches(envs) {
			if err := r.receive(ctx, evs[i].folder, evs[i].failed, b); err != nil {
				return err
			}
		}
		i = j
	}
	return r.checkpoint(uidvs, last)
}

// sortEvents orders the replay: by time; a message before an action of
// the same second (internal dates have whole seconds); a folder's messages
// in UID order.
func sortEvents(evs []event) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		if (a.action == nil) != (b.action == nil) {
			return a.action == nil
		}
		if a.folder != nil && b.folder != nil && a.folder == b.folder {
			return a.env.UID < b.env.UID
		}
		return false
	})
}

// receive fetches and records one batch of received messages.
func (r *run) receive(ctx context.Context, f *Folder, failed bool, envs []imapwatch.Envelope) error {
	msgs, err := r.fetch(ctx, f.Folder, envs)
	if err != nil {
		return err
	}
	ins := make([]pipeline.Input, len(msgs))
	for i, m := range msgs {
		ins[i] = pipeline.Input{Raw: m.Raw, Origin: fmt.Sprintf("imap:%s/%d (rebuild)", f.Name, m.UID),
			Context: routing.Context{Folder: f.Name, WGList: f.WGList}, At: m.InternalDate, ID: r.hints[peekMessageID(m.Raw)]}
	}
	if failed {
		for _, in := range ins {
			if _, err := r.opt.Pipeline.RecordFailed(in, "in the failed folder when the database was rebuilt: kept without processing (liaisond reprocess tries it again)", nil); err != nil {
				return err
			}
			r.rep.Failed++
		}
		return nil
	}
	_, errs := r.opt.Pipeline.ProcessEach(ins, false)
	for i, err := range errs {
		if err != nil {
			if errors.Is(err, pipeline.ErrCommit) {
				return err
			}
			r.rep.NotRecorded++
			r.problem("%s not recorded: %v", ins[i].Origin, err)
			continue
		}
		r.rep.Received++
	}
	return nil
}

// act replays one action at its time, on the statement as rebuilt.
func (r *run) act(a *pendingAction) error {
	err := r.opt.DB.Update(func(tx *store.Tx) error {
		id, ok := resolve(tx, a.ID, a.recordMID)
		if !ok {
			r.rep.ActionsRefused++
			r.problem("%s %s of %s not replayed: the statement is not in the mailbox", a.Request.Action, a.ID, a.At.Format(time.RFC3339))
			return nil
		}
		_, err := r.opt.Actions.Replay(tx, id, a.Taken)
		if _, refused := actions.CodeOf(err); refused {
			r.rep.ActionsRefused++
			r.problem("%s %s of %s not replayed: %v", a.Request.Action, id, a.At.Format(time.RFC3339), err)
			return nil
		}
		if err != nil {
			return err
		}
		r.rep.Actions++
		return nil
	})
	return err
}

// resolve finds the record that was id when it had the Message-ID mid:
// the record id when it holds that Message-ID (or mid is unknown), the
// record holding mid otherwise.
func resolve(tx *store.Tx, id, mid string) (string, bool) {
	if rec, err := tx.Record(id); err == nil && (mid == "" || rec.Extraction.MessageID == mid) {
		return id, true
	}
	if mid != "" {
		return tx.ByMessageID(mid)
	}
	return "", false
}

// checkpoint sets the watched folders that keep their mail at their last
// message, so that the daemon does not take it again.
func (r *run) checkpoint(uidvs, last map[string]uint32) error {
	return r.opt.DB.Update(func(tx *store.Tx) error {
		for _, f := range r.opt.Received {
			if !f.Watched || uidvs[f.Name] == 0 {
				continue
			}
			cp := store.Checkpoint{UIDValidity: uidvs[f.Name], LastUID: last[f.Name], Synced: r.opt.Now()}
			if err := tx.SetCheckpoint(f.Name, cp); err != nil {
				return err
			}
		}
		return nil
	})
}

// relink points each restored mail at its record as rebuilt (step 3).
func (r *run) relink(context.Context) error {
	return r.opt.DB.Update(func(tx *store.Tx) error {
		verdict := map[string]string{} // original id -> "kept", "changed", "lost"
		for _, m := range r.restored {
			id, ok := resolve(tx, m.record, m.recordMID)
			switch {
			case ok && id == m.record:
				verdict[m.record] = "kept"
				continue
			case ok:
				verdict[m.record] = "changed"
			default:
				verdict[m.record], id = "lost", ""
			}
			e, err := tx.Outbox(m.key)
			if err != nil {
				return err
			}
			e.RecordID = id
			if err := tx.PutOutbox(e); err != nil {
				return err
			}
		}
		// New ids pass every id the mail sent names (in a key's record or
		// period), so no later mail gets a key already sent.
		for _, k := range r.keys {
			if err := tx.PassIDs(k); err != nil {
				return err
			}
		}
		for _, v := range verdict {
			switch v {
			case "kept":
				r.rep.IDsKept++
			case "changed":
				r.rep.IDsChanged++
			default:
				r.rep.IDsLost++
			}
		}
		return nil
	})
}

// count fills in the report's totals.
func (r *run) count(context.Context) error {
	return r.opt.DB.View(func(tx *store.Tx) error {
		r.rep.Records = tx.CountRecords()
		return tx.ForEachRecord(func(rec *liaison.Record) error {
			if strings.HasPrefix(rec.ID, "LS-") {
				r.rep.Statements++
			}
			return nil
		})
	})
}

// readHeader reads the header of a message (nil-safe: an empty header
// when it does not parse).
func readHeader(raw []byte) textproto.MIMEHeader {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	if err != nil && h == nil {
		return textproto.MIMEHeader{}
	}
	return h
}

var msgIDRE = regexp.MustCompile(`<([^<>\s]+)>`)

// messageID is the first <id> of a Message-ID field, without brackets.
func messageID(v string) string {
	if m := msgIDRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return strings.Trim(strings.TrimSpace(v), "<>")
}

// peekMessageID is the Message-ID of a raw message, read from its header
// only (the pipeline parses it properly; this finds the id to give it).
func peekMessageID(raw []byte) string {
	return messageID(readHeader(raw).Get("Message-Id"))
}

// decodeHeader decodes RFC 2047 words (the subject as it was composed).
func decodeHeader(v string) string {
	d, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

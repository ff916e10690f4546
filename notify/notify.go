// Package notify is the one composer of the mail liaisond sends. The
// pipeline (notices about new statements), the scheduler (reminders,
// escalations, digests), the action layer (confirmations and the mails an
// action causes) and the outbox worker (failure reports) all queue mail
// through Notifier.Queue, which renders the kind's templates, builds the
// message with mailproc/outmail under a deterministic key and Message-ID,
// adds the statement's command address as Reply-To for the people who may
// act on it, enqueues it in the caller's transaction and records a "queued"
// event on the statement.
//
// # Keys
//
// Every mail has a Key (statement, kind, recipient, period). Queueing a key
// that was ever queued is a no-op, so a retried transaction, a restart or a
// second scheduler pass never sends a mail twice. The Message-ID is derived
// from the key and marked (settings.Snapshot.Marker, called only here), and
// the body ends with the marker's line, so the daemon recognises its own
// mail when a relay sends it back (see package mailproc, own.go). Each
// entry also carries its trace (outmail.Trace: the key, the record and any
// action the mail confirms), which the outbox prepends to the copy it
// files in the sent folder: what a database rebuilt from the mailbox reads.
//
// # Failure semantics
//
// A mail that cannot be composed is a problem of that one mail, never of
// the state change that caused it. An address that cannot be written into
// a header (a non-ASCII local part, a domain literal: see
// mailaddr.Writable) or a template that fails to render makes Queue record
// the mail in the outbox as failed, with the reason as its last error; the statement's history
// gets a "compose-failed" event and the IAB coordinators are told once (a
// delivery-failure report, itself keyed by the failed mail's key). Queue
// then returns without an error, so the caller's transaction commits: the
// statement is recorded, the acknowledgement applied. A report that cannot
// be composed is recorded as failed too, and is not reported (no loops).
//
// Only store errors are returned; they abort the caller's transaction.
//
// # Never answering robots
//
// Answerable is the rule for writing to a statement's sender: never to
// auto-generated mail, bounces, lists, the liaison address or the daemon's
// own mail.
package notify

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/internal/parallel"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// Kind is the kind of an outgoing mail. It names the mail's templates and
// is written to its X-Liaisond-Kind header.
type Kind string

// The mail kinds.
const (
	// About a newly recorded statement (the pipeline).
	KindNotice              Kind = templates.Notice              // to its managers and its groups' chairs
	KindEscalation          Kind = templates.Escalation          // to the IAB: nobody to route it to
	KindMisdirection        Kind = templates.Misdirection        // to the sender: where it should have gone
	KindMisdirectionHeadsUp Kind = templates.MisdirectionHeadsUp // to the chairs of a group it wrongly reached

	// Follow-up (the scheduler; the same names as deadlines.Kind).
	KindReminder          Kind = templates.Reminder          // before the deadline
	KindOverdue           Kind = templates.Overdue           // after the deadline
	KindEscalationAck     Kind = templates.EscalationAck     // to the IAB: not acknowledged in time
	KindEscalationOverdue Kind = templates.EscalationOverdue // to the IAB: overdue too long
	KindDigest            Kind = templates.Digest            // a manager's periodic digest
	KindIABOverview       Kind = templates.IABOverview       // the IAB's weekly overview

	// What people do (package actions) and mail commands.
	KindConfirm         Kind = templates.CommandConfirm  // confirms an action to the managers and to who acted
	KindAnswered        Kind = templates.Answered        // a reply was recognised: the statement is answered
	KindToIAB           Kind = templates.CommandIAB      // tells the IAB about a delay or a not-ours
	KindInterimReply    Kind = templates.InterimReply    // draft interim reply for whoever delayed
	KindCommandRejected Kind = templates.CommandRejected // one line: why a mail command was not accepted

	// KindDeliveryFailure tells the IAB that a mail could not be composed
	// or delivered.
	KindDeliveryFailure Kind = templates.DeliveryFailure

	// KindStatement is a statement drafted here, sent to the peer
	// organization (package actions, `send`).
	KindStatement Kind = templates.OutgoingStatement
	// KindApprovalRequest asks the approvers of a statement drafted here
	// to approve it, once it passes its peer's checks.
	KindApprovalRequest Kind = templates.ApprovalRequest

	// Relationships and the groups' lists.
	KindAnnouncement     Kind = templates.Announcement     // to a group's list: a statement for the group (deliver: list, both)
	KindCoordination     Kind = templates.Coordination     // to a statement's managers: other relationships' statements to its groups
	KindHandover         Kind = templates.Handover         // to a newly appointed manager: the relationship's open statements
	KindAppointmentEnded Kind = templates.AppointmentEnded // to a manager whose appointment ended
	KindReport           Kind = templates.Report           // a manager's report on a relationship, to the IAB
)

// Key is the deterministic key of one mail: enqueueing the same key twice
// is a no-op.
type Key struct {
	// Record is the id of the record the mail is about ("" for digests).
	Record string
	Kind   Kind
	// Recipient is the address the mail is for (compared without case).
	Recipient string
	// Period makes the key unique per occurrence ("reminder-7d/2027-03-15",
	// a week, the key of a failed mail); "" for one-off mail.
	Period string
}

// String is the outbox key: "ID|kind|recipient|period".
func (k Key) String() string {
	return k.Record + "|" + string(k.Kind) + "|" + strings.ToLower(k.Recipient) + "|" + k.Period
}

// Mail is one mail to queue.
type Mail struct {
	Kind Kind
	// Record is the record the mail is about (nil for digests). The mail
	// threads to its Message-ID, and its templates see it as .S.
	Record *liaison.Record
	To     liaison.Contact
	// Role is the part the recipient plays (the templates' .Role).
	Role liaison.Role
	Cc   []liaison.Contact
	// Period makes the key unique per occurrence (see Key).
	Period string
	// Extra carries kind-specific values for the templates.
	Extra map[string]string
	// RightGroups are the groups a misdirected statement belongs to.
	RightGroups []string
	// Data, when set, builds what the templates receive from the
	// NoticeData composed for this mail (follow-up and digest kinds have
	// data of their own); nil passes the NoticeData itself.
	Data func(templates.NoticeData) any

	// Also are more To recipients besides To (a statement goes to every
	// address its peer names); the key names To only.
	Also []liaison.Contact
	// ReplyTo, when set, is the mail's Reply-To (where a peer sends its
	// answer) instead of the statement's command address.
	ReplyTo *liaison.Contact
	// InReplyTo, when set, threads the mail to this Message-ID instead of
	// the record's own (an answer threads to the statement it answers).
	InReplyTo string
	// Attachments are files attached to the mail.
	Attachments []outmail.Attachment
	// Action is an action taken outside mail that this mail confirms (its
	// JSON, package actions): kept only in the copy filed in the sent
	// folder (its trace), so that a rebuild can replay it.
	Action json.RawMessage
}

// Key returns the mail's key.
func (m Mail) Key() Key {
	k := Key{Kind: m.Kind, Recipient: m.To.Email, Period: m.Period}
	if m.Record != nil {
		k.Record = m.Record.ID
	}
	return k
}

// MessageID is the Message-ID the mail with key k gets (without angle
// brackets): the daemon's own, derived from the key, so that a caller can
// record it before the mail is queued (a statement sent to a peer is
// recognised by it when its copy comes back).
func MessageID(s *settings.Snapshot, k Key) string {
	return s.Marker.MessageID(k.String(), s.Domain())
}

// Queued says what became of one mail.
type Queued struct {
	Key Key
	// Added is true when the mail is new in the outbox: queued, or recorded
	// as failed (Failed says why). False when the key existed already or
	// the notifier is muted.
	Added bool
	// Entry is the outbox entry when Added.
	Entry *store.OutboxEntry
	// Failed is why the mail could not be composed ("" when it was).
	Failed string
}

// Options configure a Notifier.
type Options struct {
	Settings *settings.Holder
	// Now is the clock of the outbox worker's failure reports.
	Now func() time.Time
	Log *slog.Logger
	// Mute queues nothing (backfills: `ingest --no-mail`, reprocessing).
	Mute bool
}

// Notifier composes and queues mail. It is safe for concurrent use.
type Notifier struct {
	opt Options
}

// New makes a notifier.
func New(opt Options) (*Notifier, error) {
	if opt.Settings == nil || opt.Now == nil {
		return nil, fmt.Errorf("notify: Settings and Now are required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Notifier{opt: opt}, nil
}

// Muted reports whether the notifier queues nothing.
func (n *Notifier) Muted() bool { return n.opt.Mute }

// Queue composes m and queues it in tx, unless its key was ever queued.
// A mail that cannot be composed is recorded as failed and reported (see
// the package doc); only store errors are returned.
func (n *Notifier) Queue(tx *store.Tx, m Mail, now time.Time) (Queued, error) {
	qs, err := n.QueueAll(tx, []Mail{m}, now)
	if err != nil {
		return Queued{Key: m.Key()}, err
	}
	return qs[0], nil
}

// QueueAll queues ms in tx as Queue queues each of them, in order (a key
// that comes twice is queued once), and returns what became of each. The
// templates' view of a record and its details are made once for all its
// mails (the notices of one statement differ only in their recipients),
// and the mails about different records are composed side by side on
// every core. On a store error it returns what was queued so far with the
// error.
func (n *Notifier) QueueAll(tx *store.Tx, ms []Mail, now time.Time) ([]Queued, error) {
	b := n.Batch(tx)
	b.Add(ms, now)
	return b.Flush()
}

// Batch queues mail in tx the way QueueAll does, group by group, while
// the caller goes on with the transaction: each Add starts composing its
// mails in the background (composing only reads the mails, the records
// they are about and the settings), and Flush queues every group added,
// in order. A transaction that records many statements thus composes the
// notices of one while it records the next.
type Batch struct {
	n      *Notifier
	tx     *store.Tx
	seen   map[string]bool // keys already in a group of the batch
	groups []*composing
}

// composing is one Add of a Batch: its mails, being composed.
type composing struct {
	s       *settings.Snapshot
	ms      []Mail
	now     time.Time
	qs      []Queued
	todo    []int // the mails to queue: a new key, to a recipient
	entries []*store.OutboxEntry
	errs    []error
	job     *parallel.Job
}

// Batch starts a batch of mail to queue in tx.
func (n *Notifier) Batch(tx *store.Tx) *Batch {
	return &Batch{n: n, tx: tx, seen: map[string]bool{}}
}

// Add starts composing ms, as of now. Until Flush, the caller must change
// neither ms nor the records they are about. The keys are checked against
// the outbox here, in the caller's goroutine (a transaction is not shared).
func (b *Batch) Add(ms []Mail, now time.Time) {
	c := &composing{s: b.n.opt.Settings.Current(), ms: ms, now: now, qs: make([]Queued, len(ms))}
	for i, m := range ms {
		c.qs[i].Key = m.Key()
		k := c.qs[i].Key.String()
		if b.n.opt.Mute || m.To.Email == "" || b.seen[k] || b.tx.HasOutbox(k) {
			continue
		}
		b.seen[k] = true
		c.todo = append(c.todo, i)
	}
	c.entries, c.errs = make([]*store.OutboxEntry, len(ms)), make([]error, len(ms))
	// The mails about one record are composed one after the other, from
	// one view of it (its details rendered by the first); the records
	// side by side.
	tasks := byRecord(ms, c.todo)
	c.job = parallel.Start(len(tasks), func(t int) {
		rv := newRecordView(c.s, ms[tasks[t][0]].Record, now)
		for _, i := range tasks[t] {
			c.entries[i], c.errs[i] = compose(c.s, c.qs[i].Key, ms[i], rv, now)
		}
	})
	b.groups = append(b.groups, c)
}

// Flush waits for the mails added to be composed and queues them in the
// batch's transaction, group after group, in order. It returns what became
// of each mail, in the order added; on a store error, what was queued so
// far with the error. The batch is then empty.
func (b *Batch) Flush() ([]Queued, error) {
	groups := b.groups
	b.groups = nil
	var out []Queued
	for gi, c := range groups {
		c.job.Wait()
		for _, i := range c.todo {
			q, err := b.n.enqueue(b.tx, c.s, c.ms[i], c.entries[i], c.errs[i], c.now)
			c.qs[i] = q
			if err != nil {
				for _, rest := range groups[gi+1:] {
					rest.job.Wait() // nothing is left running behind the caller
				}
				return append(out, c.qs[:i]...), err
			}
		}
		out = append(out, c.qs...)
	}
	return out, nil
}

// enqueue stores the composed entry e of m (or, when composing failed
// with cause, records it as failed) and the "queued" event.
func (n *Notifier) enqueue(tx *store.Tx, s *settings.Snapshot, m Mail, e *store.OutboxEntry, cause error, now time.Time) (Queued, error) {
	key := m.Key()
	if cause != nil {
		return n.fail(tx, s, key, m, e, cause, now)
	}
	q := Queued{Key: key}
	var err error
	if q.Added, err = tx.Enqueue(e); err != nil {
		return q, fmt.Errorf("notify: queue %s: %w", key, err)
	}
	q.Entry = e
	if q.Added && m.Record != nil {
		ev := liaison.Event{At: now, Type: liaison.EventQueued, Detail: string(m.Kind) + " to " + m.To.Email}
		if err := tx.AddEvent(m.Record.ID, ev); err != nil {
			return q, fmt.Errorf("notify: queue %s: %w", key, err)
		}
	}
	return q, nil
}

// recordView is what the mails about one record share: the templates'
// view of it, and the partials rendered from that view alone.
type recordView struct {
	view   templates.StatementView
	shared *templates.Shared
}

// newRecordView makes the view of rec (nil: none) at now for its mails.
func newRecordView(s *settings.Snapshot, rec *liaison.Record, now time.Time) *recordView {
	if rec == nil {
		return nil
	}
	return &recordView{view: statementView(s, rec, now), shared: templates.NewShared()}
}

// byRecord groups the indexes todo of ms by the record the mails are
// about, in order of first appearance (a mail about no record is a group
// of its own).
func byRecord(ms []Mail, todo []int) [][]int {
	var groups [][]int
	at := map[*liaison.Record]int{}
	for _, i := range todo {
		rec := ms[i].Record
		if g, ok := at[rec]; ok && rec != nil {
			groups[g] = append(groups[g], i)
			continue
		}
		at[rec] = len(groups)
		groups = append(groups, []int{i})
	}
	return groups
}

// fail records a mail that could not be composed as a failed outbox entry
// and reports it to the IAB, once.
func (n *Notifier) fail(tx *store.Tx, s *settings.Snapshot, key Key, m Mail, e *store.OutboxEntry, cause error, now time.Time) (Queued, error) {
	why := "cannot compose: " + cause.Error()
	n.opt.Log.Error("mail not composed", "key", key.String(), "kind", m.Kind, "recipient", m.To.Email, "err", cause)
	e.State, e.LastError = store.OutboxFailed, why
	if err := n.report(tx, s, e, m.Record, now); err != nil {
		return Queued{Key: key}, err
	}
	added, err := tx.Enqueue(e)
	if err != nil {
		return Queued{Key: key}, fmt.Errorf("notify: record failed %s: %w", key, err)
	}
	if added && m.Record != nil {
		ev := liaison.Event{At: now, Type: liaison.EventComposeFailed, Detail: fmt.Sprintf("%s to %s: %v", m.Kind, m.To.Email, cause)}
		if err := tx.AddEvent(m.Record.ID, ev); err != nil {
			return Queued{Key: key}, fmt.Errorf("notify: record failed %s: %w", key, err)
		}
	}
	return Queued{Key: key, Added: added, Entry: e, Failed: why}, nil
}

// ReportFailure queues, once, the report to the IAB of a mail that could
// not be delivered, and sets e.Reported (the caller stores e). Reports
// about reports are not sent (no loops). It is the outbox worker's Report
// hook.
func (n *Notifier) ReportFailure(tx *store.Tx, e *store.OutboxEntry) error {
	var rec *liaison.Record
	if e.RecordID != "" {
		if r, err := tx.Record(e.RecordID); err == nil {
			rec = r
		}
	}
	return n.report(tx, n.opt.Settings.Current(), e, rec, n.opt.Now())
}

// report queues the failure report of e (rec is the record it is about,
// when known) and sets e.Reported. The report's key has e's key as its
// period, so each failed mail is reported once.
func (n *Notifier) report(tx *store.Tx, s *settings.Snapshot, e *store.OutboxEntry, rec *liaison.Record, now time.Time) error {
	if Kind(e.Kind) == KindDeliveryFailure || e.Reported {
		return nil
	}
	stage := "delivery"
	if len(e.Raw) == 0 {
		stage = "compose"
	}
	m := Mail{Kind: KindDeliveryFailure, Record: rec, To: s.Config.IAB, Role: liaison.RoleIAB, Period: e.Key,
		Extra: map[string]string{"recipient": e.Recipient, "kind": e.Kind, "error": e.LastError, "subject": e.Subject,
			"key": e.Key, "attempts": fmt.Sprint(e.Attempts), "message_id": e.MessageID, "stage": stage}}
	key := m.Key()
	key.Record = e.RecordID // the record may be gone: keep the failed mail's
	if !tx.HasOutbox(key.String()) {
		r, err := compose(s, key, m, nil, now)
		if err != nil {
			// The report itself cannot be composed: keep it as failed, and
			// do not report the report.
			n.opt.Log.Error("failure report not composed", "key", key.String(), "err", err)
			r.State, r.LastError = store.OutboxFailed, "cannot compose: "+err.Error()
		}
		if _, err := tx.Enqueue(r); err != nil {
			return fmt.Errorf("notify: report %s: %w", e.Key, err)
		}
	}
	e.Reported = true
	return nil
}

// compose renders m's templates and builds its outbox entry under key;
// rv, when not nil, is what the mails about m.Record at now share. On error the
// returned entry is still filled in (key, kind, recipient and whatever was
// composed) so that it can be recorded as failed. It only reads its
// arguments: mails are composed concurrently.
func compose(s *settings.Snapshot, key Key, m Mail, rv *recordView, now time.Time) (*store.OutboxEntry, error) {
	to := append([]liaison.Contact{m.To}, m.Also...)
	var rcpts []string
	for _, c := range append(slices.Clone(to), m.Cc...) {
		if c.Email != "" && !slices.ContainsFunc(rcpts, func(r string) bool { return strings.EqualFold(r, c.Email) }) {
			rcpts = append(rcpts, c.Email)
		}
	}
	e := &store.OutboxEntry{Key: key.String(), RecordID: key.Record, Kind: string(m.Kind), Recipient: m.To.Email,
		EnvelopeFrom: s.From.Email, Rcpts: rcpts, Created: now}
	replyTo := commandReplyTo(s, m.Record, m.To, now)
	var data templates.NoticeData
	if rv != nil {
		data = noticeData(s, m.Record, &rv.view, m.To, m.Role, now)
	} else {
		data = noticeData(s, m.Record, nil, m.To, m.Role, now)
	}
	data.Extra, data.RightGroups, data.Commands = m.Extra, m.RightGroups, replyTo != nil
	if m.ReplyTo != nil {
		replyTo = m.ReplyTo
	}
	var tdata any = data
	switch {
	case m.Data != nil:
		tdata = m.Data(data) // its own data: nothing shared
	case rv != nil:
		data.Share(rv.shared)
		tdata = data
	}
	r, err := s.Templates.Render(string(m.Kind), tdata)
	if err != nil {
		return e, fmt.Errorf("render %s: %w", m.Kind, err)
	}
	e.Subject = r.Subject
	domain := s.Domain()
	out := outmail.Mail{
		From:      s.From,
		To:        to,
		Cc:        m.Cc,
		ReplyTo:   replyTo,
		Subject:   r.Subject,
		MessageID: MessageID(s, key),
		Date:      now,
		ListID:    s.ListID(),
		Marker:    s.Marker,
		Kind:      string(m.Kind),
		LoopToken: domain,
		Text:      r.Text,
		HTML:      r.HTML,
		// Attachments are shared with the caller, never changed.
		Attachments: m.Attachments,
	}
	thread := m.InReplyTo
	if thread == "" && m.Record != nil {
		thread = m.Record.Extraction.MessageID
	}
	if thread != "" && thread != out.MessageID { // a mail never answers itself
		out.InReplyTo = thread
		out.References = []string{thread}
	}
	raw, err := outmail.Build(out)
	if err != nil {
		return e, fmt.Errorf("build %s to %s: %w", m.Kind, m.To.Email, err)
	}
	// The envelope names the recipients as written into the header (an
	// IDN domain as A-labels).
	for i, r := range e.Rcpts {
		if e.Rcpts[i], err = outmail.Envelope(r); err != nil {
			return e, fmt.Errorf("build %s to %s: %w", m.Kind, m.To.Email, err)
		}
	}
	e.MessageID, e.Raw = out.MessageID, raw
	tr := outmail.Trace{Key: key.String(), Record: key.Record, From: e.EnvelopeFrom, Rcpts: e.Rcpts, Action: m.Action}
	if m.Record != nil {
		tr.RecordMessageID = m.Record.Extraction.MessageID
	}
	if e.FileHeader, err = tr.Header(s.Marker); err != nil {
		return e, err
	}
	return e, nil
}

// NoticeData is what the templates of a mail about rec (nil for none) to
// the recipient in role receive, before the mail's own Extra: the
// statement's view, the liaison and IAB addresses and the web view's base
// URL.
func NoticeData(s *settings.Snapshot, rec *liaison.Record, to liaison.Contact, role liaison.Role, now time.Time) templates.NoticeData {
	return noticeData(s, rec, nil, to, role, now)
}

// noticeData is NoticeData with rec's view already made (nil: make it).
func noticeData(s *settings.Snapshot, rec *liaison.Record, view *templates.StatementView, to liaison.Contact, role liaison.Role, now time.Time) templates.NoticeData {
	d := templates.NoticeData{LiaisonAddress: s.Config.LiaisonAddress, IAB: s.Config.IAB, Recipient: to, Role: role, BaseURL: s.Config.HTTP.BaseURL}
	switch {
	case view != nil:
		d.S = *view
	case rec != nil:
		d.S = statementView(s, rec, now)
	}
	return d
}

// statementView is the templates' view of rec at now: templates.View and
// the short-notice warning.
func statementView(s *settings.Snapshot, rec *liaison.Record, now time.Time) templates.StatementView {
	v := templates.View(rec, s.Config.Location, now)
	if days, short := deadlines.ShortNotice(rec, s.Config.Deadlines.MinNotice, s.Config.Location); short {
		v.ShortNotice, v.NoticeDays = true, days
		v.MinNoticeDays, _ = s.Config.Deadlines.MinNotice.WholeDays()
	}
	return v
}

// commandReplyTo is the Reply-To of a mail about rec to recipient composed
// at now: the statement's command address, with a token issued today,
// when commands are enabled and the recipient plays a role for the
// statement; nil otherwise (the token never goes to a peer).
func commandReplyTo(s *settings.Snapshot, rec *liaison.Record, to liaison.Contact, now time.Time) *liaison.Contact {
	if !s.Commands() || rec == nil || !strings.HasPrefix(rec.ID, "LS-") || len(s.Router.Roles(rec, to.Email, now)) == 0 {
		return nil
	}
	addr, err := commands.ReplyAddress(s.Config.LiaisonAddress, s.CommandKey, rec.ID, now)
	if err != nil {
		return nil
	}
	return &liaison.Contact{Name: s.From.Name, Email: addr}
}

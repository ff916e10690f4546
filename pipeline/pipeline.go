// Package pipeline is the one path every received message takes, whether it
// comes from a file (`liaisond ingest`) or from IMAP: parse and classify
// (mailproc), route (routing), and record it together with the notices it
// causes (store, outbox) in one transaction.
package pipeline

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/deadlines"
	"github.com/ietf-tools/liaisond/internal/parallel"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/relations"
	"github.com/ietf-tools/liaisond/routing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// Input is one raw message and where it came from.
type Input struct {
	Raw []byte
	// Origin names the source for the operator: "file:path", "imap:INBOX/42".
	Origin string
	// Context is the routing context (IMAP folder, WG list).
	Context routing.Context
	// At, when set, is when the message arrived, the "now" it is recorded
	// at (a rebuild replays the mailbox in order of arrival); zero: the
	// clock's now.
	At time.Time
	// ID, when set, is the id the message's record had before (a rebuild:
	// the sent folder names it): it gets that id when it is free and of
	// the record's kind (LS or MSG), a new one otherwise.
	ID string

	// parsed is the message's extraction made ahead (Pipeline.Parse).
	parsed *Parsed
}

// Parsed is a message's extraction made ahead of recording it
// (Pipeline.Parse), with the settings it was made with.
type Parsed struct {
	s *settings.Snapshot
	x *liaison.Extraction
}

// at is when in is recorded: In.At, or now.
func (in Input) at(now time.Time) time.Time {
	if !in.At.IsZero() {
		return in.At
	}
	return now
}

// Result says what became of one message.
type Result struct {
	ID          string          `json:"id"`
	Kind        liaison.Kind    `json:"kind"`
	Origin      string          `json:"origin,omitempty"`
	Duplicate   bool            `json:"duplicate,omitempty"`
	DuplicateOf string          `json:"duplicate_of,omitempty"`
	Linked      string          `json:"linked_to,omitempty"`
	Queued      []string        `json:"queued,omitempty"` // outbox keys added
	Flags       []string        `json:"flags,omitempty"`
	Record      *liaison.Record `json:"-"`
	// Understood is false when the message could not be understood (it is
	// still recorded, flagged failed).
	Understood bool `json:"-"`
}

// Options configure a Pipeline.
type Options struct {
	// Settings holds the configuration in force (shared with the rest of
	// the daemon, swapped on reload).
	Settings *settings.Holder
	// Notify composes and queues every mail a message causes.
	Notify *notify.Notifier
	// Actions applies what people ask for by mail (commands, replies that
	// acknowledge, recognised answers).
	Actions *actions.Layer
	DB      *store.DB
	// Now is the clock; every time-based decision takes "now" from it.
	Now func() time.Time
	Log *slog.Logger
	// Queued is called after a commit that queued mail (to wake the sender).
	Queued func()
	// PDFText returns the reader of one message's attached PDFs (see
	// mailproc.Options.PDFText). It is called once per message, so that
	// each message gets one time budget for all its PDFs (pdftext.Budget).
	// Nil leaves PDFs unread.
	PDFText func() func([]byte) (string, error)
}

// Pipeline processes messages. It is safe for concurrent use; it reads the
// configuration from its settings holder once per batch.
type Pipeline struct {
	db      *store.DB
	now     func() time.Time
	log     *slog.Logger
	queued  func()
	pdf     func() func([]byte) (string, error)
	set     *settings.Holder
	notify  *notify.Notifier
	actions *actions.Layer

	// fault, set by tests only, runs inside the recording transaction
	// before each message and fails (or panics) on the ones it picks.
	fault func(Input) error
}

// New builds a pipeline.
func New(opt Options) (*Pipeline, error) {
	if opt.DB == nil || opt.Settings == nil || opt.Notify == nil || opt.Actions == nil {
		return nil, errors.New("pipeline: DB, Settings, Notify and Actions are required")
	}
	if opt.Now == nil {
		return nil, errors.New("pipeline: a clock (Now) is required")
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Pipeline{db: opt.DB, now: opt.Now, log: opt.Log, queued: opt.Queued, pdf: opt.PDFText, set: opt.Settings, notify: opt.Notify, actions: opt.Actions}, nil
}

// parseOptions are the extractor's options under s.
func parseOptions(s *settings.Snapshot) mailproc.Options {
	return mailproc.Options{
		LiaisonAddresses: s.LiaisonAddresses(),
		OwnAddresses:     []string{s.From.Email},
		LoopHeader:       mailproc.LoopHeaderName,
		OwnListIDs:       []string{s.ListID()},
		Marker:           s.Marker,
	}
}

// errRollback aborts a dry-run transaction after the work was done.
var errRollback = errors.New("dry run: rolled back")

// Process records one message and queues what it causes, in one
// transaction. With dryRun nothing is committed.
func (p *Pipeline) Process(in Input, dryRun bool) (Result, error) {
	res, err := p.ProcessBatch([]Input{in}, nil, dryRun)
	if err != nil {
		return Result{Origin: in.Origin}, err
	}
	return res[0], nil
}

// ProcessBatch records several messages and then calls extra (for example
// to advance an IMAP checkpoint) in the same transaction, so either all of
// it is committed or none.
func (p *Pipeline) ProcessBatch(ins []Input, extra func(*store.Tx) error, dryRun bool) ([]Result, error) {
	s := p.set.Current()
	xs := parseAll(ins, s, p.pdf)
	releaseParseGarbage(ins)
	now := p.now()
	results := make([]Result, len(ins))
	queued := 0
	committing := false
	err := p.db.Update(func(tx *store.Tx) (err error) {
		defer p.recoverRecord(&err)
		b := newBatch(tx, p.notify, results)
		for i, in := range ins {
			if p.fault != nil {
				if err := p.fault(in); err != nil {
					return fmt.Errorf("record %s: %w", in.Origin, err)
				}
			}
			b.cur = i
			r, err := p.record(tx, s, b, in, xs[i], in.at(now))
			if err != nil {
				return fmt.Errorf("record %s: %w", in.Origin, err)
			}
			results[i] = r
			// Message i is recorded: its record and mails no longer
			// change. Its mails are composed while the next is recorded,
			// and its record is read as is by the next ones' coordination.
			b.release()
			if r.Record != nil && r.Record.ID == r.ID {
				tx.Share(r.Record)
			}
		}
		if err := b.flush(); err != nil {
			return err
		}
		for _, r := range results {
			queued += len(r.Queued)
		}
		if extra != nil {
			if err := extra(tx); err != nil {
				return err
			}
		}
		if dryRun {
			return errRollback
		}
		committing = true
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, commitError(committing, err)
	}
	for _, r := range results {
		p.log.Info("message recorded", "id", r.ID, "kind", r.Kind, "origin", r.Origin, "flags", strings.Join(r.Flags, ","), "queued", len(r.Queued), "dry_run", dryRun)
	}
	if queued > 0 && !dryRun && p.queued != nil {
		p.queued()
	}
	return results, nil
}

// Parse extracts ins ahead of ProcessBatch, on every core, and changes
// nothing: it may run while another batch is recorded. ProcessBatch uses
// an extraction made ahead (IMAPSink.Prepare hands it on with the message)
// when the settings it was made with are still the ones in force, and
// parses again otherwise.
func (p *Pipeline) Parse(ins []Input) []*Parsed {
	s := p.set.Current()
	xs := parseAll(ins, s, p.pdf)
	out := make([]*Parsed, len(xs))
	for i, x := range xs {
		out[i] = &Parsed{s: s, x: x}
	}
	return out
}

// parseAll parses a batch on every core: parsing is pure and CPU-bound,
// while recording must stay in one transaction afterwards. An input parsed
// ahead with the settings s is not parsed again. pdf, when not nil, gives
// each message its PDF reader.
func parseAll(ins []Input, s *settings.Snapshot, pdf func() func([]byte) (string, error)) []*liaison.Extraction {
	xs := make([]*liaison.Extraction, len(ins))
	var todo []int
	for i, in := range ins {
		if in.parsed != nil && in.parsed.s == s && in.parsed.x != nil {
			xs[i] = in.parsed.x
		} else {
			todo = append(todo, i)
		}
	}
	opts := parseOptions(s)
	parse := func(k int) {
		i := todo[k]
		o := opts
		if pdf != nil {
			o.PDFText = pdf()
		}
		xs[i] = safeParse(ins[i].Raw, o)
	}
	parallel.Each(len(todo), parse)
	return xs
}

// bigMessage is the size above which a batch's parsing garbage is collected
// before the transaction copies the raw bytes into the database, so that a
// 30 MB message peaks near twice its size rather than three or four times.
const bigMessage = 8 << 20

func releaseParseGarbage(ins []Input) {
	for _, in := range ins {
		if len(in.Raw) > bigMessage {
			runtime.GC()
			return
		}
	}
}

// safeParse runs the extractor and turns a panic (which it must never have)
// into a recorded problem, so one bad message cannot stop the daemon.
func safeParse(raw []byte, opts mailproc.Options) (x *liaison.Extraction) {
	defer func() {
		if r := recover(); r != nil {
			x = &liaison.Extraction{Kind: liaison.KindOther, Problems: []liaison.Problem{{Code: "internal", Detail: fmt.Sprintf("extractor panic: %v", r)}}}
		}
	}()
	return mailproc.Parse(raw, opts)
}

// record does the work of one message inside tx, the mails a new
// statement causes held in b (see batch).
func (p *Pipeline) record(tx *store.Tx, s *settings.Snapshot, b *batch, in Input, x *liaison.Extraction, now time.Time) (Result, error) {
	res := Result{Kind: x.Kind, Origin: in.Origin, Understood: understood(x)}

	// Nothing twice: the very same message (same Message-ID) is one record.
	// This comes first, before any rule about the daemon's own mail: the
	// copy of a statement sent to a peer (drafted here, sent with the
	// liaison address in Cc) carries the Message-ID its record holds, and
	// is that statement, come back.
	if id, ok := tx.ByMessageID(x.MessageID); ok && x.MessageID != "" {
		if orig, err := tx.Record(id); err == nil {
			if err := b.flush(); err != nil {
				return res, err
			}
			res.ID, res.Duplicate, res.DuplicateOf, res.Kind = id, true, id, orig.Extraction.Kind
			res.Flags = append(res.Flags, "duplicate")
			res.Record = orig
			detail := "same Message-ID again from " + in.Origin
			if ob := orig.Outbound; ob != nil && ob.Sent != nil && ob.Sent.Ref == x.MessageID {
				res.Flags = append(res.Flags, "sent_copy")
				detail = "the copy of the statement as sent came back through " + in.Origin
			}
			return res, tx.AddEvent(id, liaison.Event{At: now, Type: liaison.EventDuplicateSeen, Detail: detail})
		}
		// The Message-ID belongs to mail the daemon sent: an echo of our own mail.
	}

	if sign := ownByStore(tx, x); sign != "" && !x.OwnMail {
		x.OwnMail, x.OwnSign = true, sign
	}
	rec := &liaison.Record{Received: now, Extraction: *x, Origin: in.Origin}
	if in.Context != (routing.Context{}) {
		rec.Delivery = &liaison.Delivery{Folder: in.Context.Folder, WGList: in.Context.WGList}
	}
	prefix := "MSG"
	if x.Kind == liaison.KindStatement && !x.OwnMail {
		prefix = "LS"
	}

	// The same statement forwarded by someone else, or re-sent with a new
	// Message-ID: keep the bytes, link it, but do not record a second statement.
	var dupOf *liaison.Record
	if _, ok := commandTarget(s, x); ok && prefix == "LS" {
		// Mail to a command reply address is a reply, whatever it quotes.
		prefix, rec.Extraction.Kind = "MSG", liaison.KindReply
	}
	if prefix == "LS" {
		if id, ok := tx.ByContentHash(x.ContentHash); ok {
			if orig, err := tx.Record(id); err == nil {
				dupOf = orig
				prefix = "MSG"
			}
		}
	}
	if prefix != "LS" {
		// It may be about a statement of this batch (a duplicate, a reply,
		// a command, a bounce): that one's notices are queued first.
		if err := b.flush(); err != nil {
			return res, err
		}
	}
	id, err := newID(tx, in.ID, prefix, now.In(s.Config.Location).Year())
	if err != nil {
		return res, err
	}
	rec.ID, rec.RawKey = id, id
	res.ID = id
	if err := tx.PutRaw(id, in.Raw); err != nil {
		return res, err
	}
	events := []liaison.Event{{At: now, Type: liaison.EventReceived, Detail: receivedDetail(in, x)}}
	for _, pr := range x.Problems {
		res.Flags = appendOnce(res.Flags, "problem:"+pr.Code)
	}

	switch {
	case dupOf != nil:
		rec.DuplicateOf = dupOf.ID
		rec.State = liaison.StateClosed
		res.Duplicate, res.DuplicateOf = true, dupOf.ID
		res.Flags = append(res.Flags, "duplicate")
		dupOf.Duplicates = appendOnce(dupOf.Duplicates, id)
		if err := tx.PutRecord(dupOf); err != nil {
			return res, err
		}
		if err := tx.AddEvent(dupOf.ID, liaison.Event{At: now, Type: liaison.EventDuplicateSeen, Detail: fmt.Sprintf("same statement again as %s from %s (%s)", id, x.From.String(), in.Origin)}); err != nil {
			return res, err
		}
		events = append(events, liaison.Event{At: now, Type: liaison.EventDuplicate, Detail: "duplicate of " + dupOf.ID})
	case prefix == "LS":
		in.Context.At = now
		rec.Routing = s.Router.Route(x, in.Context)
		rec.State = initialState(x)
		events = append(events, liaison.Event{At: now, Type: liaison.EventRouted, Detail: routedDetail(rec.Routing)})
		if rec.Routing.Misdirected {
			res.Flags = append(res.Flags, "misdirected")
			events = append(events, liaison.Event{At: now, Type: liaison.EventMisdirected, Detail: rec.Routing.MisdirectionReason})
		}
		if rec.Routing.NoManager {
			res.Flags = append(res.Flags, "no_manager")
		}
		if rec.Routing.EscalationReason == "unknown_org" {
			res.Flags = append(res.Flags, "unknown_org")
		}
		if days, short := deadlines.ShortNotice(rec, s.Config.Deadlines.MinNotice, s.Config.Location); short {
			res.Flags = append(res.Flags, "short_notice")
			events = append(events, liaison.Event{At: now, Type: liaison.EventShortNotice,
				Detail: fmt.Sprintf("the deadline %s is %d days after receipt; deadlines.min_notice asks for %s", x.Deadline, days, s.Config.Deadlines.MinNotice)})
		}
		if !x.Deadline.IsZero() && rec.State == liaison.StateOpen {
			if err := tx.SetDue(id, store.DueDeadline, x.Deadline.EndOf(s.Config.Location)); err != nil {
				return res, err
			}
		}
		// The scheduler looks at every new statement once (its indexes, the
		// acknowledgement SLA, reminders) and decides when to look again.
		if err := tx.LookAgain(id, now); err != nil {
			return res, err
		}
	default:
		rec.State = liaison.StateClosed
		if !res.Understood {
			rec.State = liaison.StateFailed
			res.Flags = append(res.Flags, "failed")
		}
		if x.OwnMail {
			res.Flags = append(res.Flags, "own_mail")
		}
		if link := threadLink(tx, x); link != "" {
			rec.Links = appendOnce(rec.Links, link)
			res.Linked = link
			if rec.Extraction.Kind == liaison.KindOther {
				rec.Extraction.Kind = liaison.KindReply
				res.Kind = liaison.KindReply
			}
			if err := linkBack(tx, link, id, now, string(rec.Extraction.Kind)); err != nil {
				return res, err
			}
		}
		if x.Kind == liaison.KindBounce {
			if err := attachBounce(tx, s.Domain(), in.Raw, id, now); err != nil {
				return res, err
			}
		}
	}
	res.Kind = rec.Extraction.Kind
	if err := tx.PutRecord(rec); err != nil {
		return res, err
	}
	for _, ev := range events {
		if err := tx.AddEvent(id, ev); err != nil {
			return res, err
		}
	}
	res.Record = rec
	if err := p.followUp(tx, s, b, in, rec, dupOf != nil, now, &res); err != nil {
		return res, fmt.Errorf("follow-up of %s: %w", id, err)
	}
	if prefix == "LS" {
		if err := b.add(now, p.statementNotices(s, rec, in.Raw)...); err != nil {
			return res, fmt.Errorf("notices of %s: %w", id, err)
		}
		if err := p.coordinate(tx, s, b, rec, now, &res); err != nil {
			return res, fmt.Errorf("coordinate %s: %w", id, err)
		}
	}
	return res, nil
}

// coordinate tells the managers of rec and of the other relationships'
// statements to the same groups about each other (relations.Coordinate).
// The notes are queued with the batch's notices (b).
func (p *Pipeline) coordinate(tx *store.Tx, s *settings.Snapshot, b *batch, rec *liaison.Record, now time.Time, res *Result) error {
	overlaps, err := relations.Coordinate(tx, s, func(m notify.Mail) error {
		return b.add(now, m)
	}, rec, now)
	if len(overlaps) > 0 {
		res.Flags = append(res.Flags, "overlap")
	}
	return err
}

// newID is the id of a new record with prefix: want (the id it had
// before a rebuild) when it has the prefix and is free, the next one
// otherwise.
func newID(tx *store.Tx, want, prefix string, year int) (string, error) {
	if strings.HasPrefix(want, prefix+"-") {
		ok, err := tx.TakeID(want)
		if ok || err != nil {
			return want, err
		}
	}
	return tx.NextID(prefix, year)
}

// understood reports whether the message could be made sense of: a message
// that is "other" and had problems reading it is a failure to be looked at.
func understood(x *liaison.Extraction) bool {
	return !(x.Kind == liaison.KindOther && len(x.Problems) > 0)
}

func initialState(x *liaison.Extraction) liaison.State {
	switch x.Purpose {
	case liaison.PurposeInfo, liaison.PurposeResponse:
		if x.Deadline.IsZero() {
			return liaison.StateClosed
		}
	}
	return liaison.StateOpen
}

func receivedDetail(in Input, x *liaison.Extraction) string {
	d := fmt.Sprintf("%s from %s via %s", x.Kind, x.From.String(), in.Origin)
	if x.Shape != "" {
		d += " (" + string(x.Shape) + " layout)"
	}
	return d
}

func routedDetail(r liaison.Routing) string {
	org := r.OrgID
	if org == "" {
		org = "unknown organization"
	}
	var mgrs []string
	for _, m := range r.Managers {
		mgrs = append(mgrs, m.Email)
	}
	d := fmt.Sprintf("%s -> %s; managers %s", org, strings.Join(r.Groups, ","), strings.Join(mgrs, ","))
	if r.Escalate {
		d += "; escalated to the IAB: " + r.EscalationReason
	}
	return d
}

func appendOnce(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

var lsIDRe = regexp.MustCompile(`\bLS-\d{4}-\d{4,}\b`)

// threadLink finds the record a follow-up belongs to: by mail threading
// (threadTarget), or by a statement id in the subject, or by a peer's
// identifier or a statement's title (refLink).
func threadLink(tx *store.Tx, x *liaison.Extraction) string {
	if id := threadTarget(tx, x); id != "" {
		return id
	}
	for _, m := range lsIDRe.FindAllString(x.Subject, -1) {
		if _, err := tx.Record(m); err == nil {
			return m
		}
	}
	return refLink(tx, x)
}

// threadTarget finds the record a mail answers by its In-Reply-To and
// References alone (the latest first): a recorded message, or the record a
// mail the daemon sent was about.
func threadTarget(tx *store.Tx, x *liaison.Extraction) string {
	ids := append(append([]string(nil), x.InReplyTo...), x.References...)
	for i := len(ids) - 1; i >= 0; i-- {
		if id, ok := tx.ByMessageID(ids[i]); ok {
			return id
		}
		if e, ok := tx.OutboxByMessageID(ids[i]); ok && e.RecordID != "" {
			return e.RecordID
		}
	}
	return ""
}

func linkBack(tx *store.Tx, target, id string, now time.Time, kind string) error {
	r, err := tx.Record(target)
	if err != nil {
		return nil // the link target vanished: nothing to update
	}
	r.Links = appendOnce(r.Links, id)
	if err := tx.PutRecord(r); err != nil {
		return err
	}
	return tx.AddEvent(target, liaison.Event{At: now, Type: liaison.EventLinked, Detail: kind + " " + id})
}

// attachBounce finds which of the daemon's own mails a bounce answers (its
// Message-IDs are hex@<our domain>) and attaches the bounce to that outbox
// entry.
func attachBounce(tx *store.Tx, ownDomain string, raw []byte, id string, now time.Time) error {
	re := regexp.MustCompile(`<([0-9a-f]{32}@` + regexp.QuoteMeta(ownDomain) + `)>`)
	seen := map[string]bool{}
	for _, m := range re.FindAllSubmatch(raw, -1) {
		mid := string(m[1])
		if seen[mid] {
			continue
		}
		seen[mid] = true
		e, ok := tx.OutboxByMessageID(mid)
		if !ok {
			continue
		}
		e.Bounce = id
		if err := tx.PutOutbox(e); err != nil {
			return err
		}
		if e.RecordID != "" {
			if err := tx.AddEvent(e.RecordID, liaison.Event{At: now, Type: liaison.EventBounce, Detail: fmt.Sprintf("%s to %s bounced (%s)", e.Kind, e.Recipient, id)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

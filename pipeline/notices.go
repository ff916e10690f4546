package pipeline

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// notices decides which mails a newly recorded statement causes: the
// notices to its handlers (notify.StatementNotices), and for a
// misdirected statement a correction to its author (see correctable) and
// a heads-up to the chairs of the groups it wrongly reached. Each
// recipient gets each kind once.
func notices(s *settings.Snapshot, rec *liaison.Record, raw []byte) (ms []notify.Mail, unanswered string) {
	x := &rec.Extraction
	if x.OwnMail || x.Direction == liaison.Outgoing {
		return nil, ""
	}
	rt := &rec.Routing
	seen := map[string]bool{}
	add := func(m notify.Mail) {
		m.Record = rec
		k := m.Key().String()
		if m.To.Email == "" || seen[k] {
			return
		}
		seen[k] = true
		ms = append(ms, m)
	}
	for _, m := range notify.StatementNotices(s, rec) {
		add(m)
	}
	if !rt.Misdirected {
		return ms, ""
	}
	if ok, why := correctable(s, rec, raw); ok {
		add(notify.Mail{Kind: notify.KindMisdirection, To: x.From, Cc: rt.Managers, Role: liaison.RoleSender, RightGroups: rt.Groups})
	} else {
		unanswered = why
	}
	for _, c := range s.Router.Chairs(rt.WrongGroups) {
		add(notify.Mail{Kind: notify.KindMisdirectionHeadsUp, To: c, Role: liaison.RoleChair, RightGroups: rt.Groups})
	}
	return ms, unanswered
}

// correctable says whether the author of a misdirected statement gets a
// correction, and why not. The author is the From address, when it may be
// answered (notify.Answerable: never a list, a robot, bulk or
// auto-generated mail); a copy a mailing list delivered counts, since that
// is how most misdirected statements are seen. A list's copy of a thread
// (a reply, a discussion) is not a statement sent to the wrong place and
// gets nothing. The outbox key (statement, kind, author) makes it once per
// author and statement; a copy of the statement that arrives again is a
// duplicate and causes no mail.
func correctable(s *settings.Snapshot, rec *liaison.Record, raw []byte) (bool, string) {
	if ok, why := notify.Answerable(s, rec, raw); !ok {
		return false, why
	}
	if l, listed := notify.ListDelivered(raw); listed && mailproc.InThread(&rec.Extraction) {
		return false, "a thread on the mailing list " + l
	}
	return true, ""
}

// statementNotices are the notices a newly recorded statement causes
// (see notices).
func (p *Pipeline) statementNotices(s *settings.Snapshot, rec *liaison.Record, raw []byte) []notify.Mail {
	ms, unanswered := notices(s, rec, raw)
	if unanswered != "" {
		p.log.Info("no misdirection correction", "id", rec.ID, "reason", unanswered)
	}
	return ms
}

// batch holds the notices and coordination notes of a batch's new
// statements so that they are composed while the batch goes on
// (notify.Batch: the mails of one statement are composed in the
// background once it is recorded, while the next is recorded) rather than
// one statement at a time. They are queued at the end of the batch, and
// before anything a later message of the batch does to a record that is
// already there (flush): a duplicate, a reply, a bounce, a mail command,
// an answer. An action numbers its confirmations by the statement's
// history, which the notices' "queued" events are part of, so every key,
// Message-ID and history is what it is when the messages are recorded one
// at a time, however the mailbox was cut into batches. (Only the
// "overlap" events that a later statement's coordination adds come before
// an earlier statement's "queued" ones.)
type batch struct {
	tx      *store.Tx
	q       *notify.Batch
	results []Result // the batch's results; cur is the message being recorded
	cur     int
	held    []notify.Mail // the mails of message cur, not composed yet
	at      time.Time     // when they are queued: their message's time
	of      []int         // the result each mail handed to q is for
}

func newBatch(tx *store.Tx, n *notify.Notifier, results []Result) *batch {
	return &batch{tx: tx, q: n.Batch(tx), results: results}
}

// add holds ms, the mails message cur causes at at, until message cur is
// recorded (release). Mails of another time (a rebuild replays messages as
// of their arrival) are never composed together.
func (b *batch) add(at time.Time, ms ...notify.Mail) error {
	if len(b.held) > 0 && !at.Equal(b.at) {
		b.release()
	}
	b.at = at
	b.held = append(b.held, ms...)
	return nil
}

// release starts composing the mails held: message cur is recorded, and
// its record and mails no longer change.
func (b *batch) release() {
	if len(b.held) == 0 {
		return
	}
	b.q.Add(b.held, b.at)
	for range b.held {
		b.of = append(b.of, b.cur)
	}
	b.held = nil
}

// flush queues, in the batch's transaction, the mails held and being
// composed, in order, and adds the keys queued to their results' Queued.
func (b *batch) flush() error {
	b.release()
	qs, err := b.q.Flush()
	for j, q := range qs {
		if q.Added {
			b.results[b.of[j]].Queued = append(b.results[b.of[j]].Queued, q.Key.String())
		}
	}
	b.of = b.of[:0]
	if err != nil {
		return fmt.Errorf("queue notices: %w", err)
	}
	return nil
}

// queue queues mails through the composer and returns the keys added.
func (p *Pipeline) queue(tx *store.Tx, ms []notify.Mail, now time.Time) ([]string, error) {
	qs, err := p.notify.QueueAll(tx, ms, now)
	var keys []string
	for _, q := range qs {
		if q.Added {
			keys = append(keys, q.Key.String())
		}
	}
	return keys, err
}

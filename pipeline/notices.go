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

// queueNotices queues, in tx, the notices and coordination notes of the
// new statements of a batch (Result.notices) once they are all recorded,
// together, so that they are composed side by side (notify.QueueAll), and
// adds the keys queued to each result's Queued. Nothing a later message of
// the batch does depends on them: they are not sent before the batch
// commits.
func (p *Pipeline) queueNotices(tx *store.Tx, results []Result, now time.Time) error {
	var ms []notify.Mail
	var of []int // the result each mail is for
	for i := range results {
		for _, m := range results[i].notices {
			ms, of = append(ms, m), append(of, i)
		}
		results[i].notices = nil
	}
	if len(ms) == 0 {
		return nil
	}
	qs, err := p.notify.QueueAll(tx, ms, now)
	for j, q := range qs {
		if q.Added {
			results[of[j]].Queued = append(results[of[j]].Queued, q.Key.String())
		}
	}
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

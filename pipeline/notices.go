package pipeline

import (
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// notices decides which mails a newly recorded statement causes: the
// notices to its handlers (notify.StatementNotices), and for a
// misdirected statement a correction
// to its sender (when the sender may be answered, see notify.Answerable)
// and a heads-up to the chairs of the groups it wrongly reached. Each
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
	if ok, why := notify.Answerable(s, rec, raw); ok {
		add(notify.Mail{Kind: notify.KindMisdirection, To: x.From, Cc: rt.Managers, Role: liaison.RoleSender, RightGroups: rt.Groups})
	} else {
		unanswered = why
	}
	for _, c := range s.Router.Chairs(rt.WrongGroups) {
		add(notify.Mail{Kind: notify.KindMisdirectionHeadsUp, To: c, Role: liaison.RoleChair, RightGroups: rt.Groups})
	}
	return ms, unanswered
}

// queueNotices queues, in tx, the notices a newly recorded statement
// causes and returns the keys added.
func (p *Pipeline) queueNotices(tx *store.Tx, s *settings.Snapshot, rec *liaison.Record, raw []byte, now time.Time) ([]string, error) {
	ms, unanswered := notices(s, rec, raw)
	if unanswered != "" {
		p.log.Info("no misdirection correction", "id", rec.ID, "reason", unanswered)
	}
	return p.queue(tx, ms, now)
}

// queue queues mails through the composer and returns the keys added.
func (p *Pipeline) queue(tx *store.Tx, ms []notify.Mail, now time.Time) ([]string, error) {
	var keys []string
	for _, m := range ms {
		q, err := p.notify.Queue(tx, m, now)
		if err != nil {
			return keys, err
		}
		if q.Added {
			keys = append(keys, q.Key.String())
		}
	}
	return keys, nil
}

package pipeline

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// OutboxKey is the deterministic key of a mail: statement, kind, recipient
// and period ("" for one-off mail). Enqueueing the same key twice is a no-op.
func OutboxKey(recordID, kind, recipient, period string) string {
	return recordID + "|" + kind + "|" + strings.ToLower(recipient) + "|" + period
}

// notice is one mail to queue.
type notice struct {
	template string
	to       liaison.Contact
	cc       []liaison.Contact
	role     string
	right    []string
}

// queueNotices decides which mails a newly recorded statement causes and
// queues them in tx: routed notices to managers and chairs, an IAB
// escalation, and misdirection corrections. It never answers
// auto-generated mail, a list, the liaison address or the daemon itself.
func (p *Pipeline) queueNotices(tx *store.Tx, s snapshot, rec *liaison.Record, raw []byte, now time.Time) ([]string, error) {
	x := &rec.Extraction
	if x.OwnMail || x.Direction == liaison.Outgoing {
		return nil, nil
	}
	rt := &rec.Routing
	var ns []notice
	seen := map[string]bool{}
	add := func(n notice) {
		k := n.template + "|" + strings.ToLower(n.to.Email)
		if n.to.Email == "" || seen[k] {
			return
		}
		seen[k] = true
		ns = append(ns, n)
	}
	if rt.Escalate {
		add(notice{template: "escalation", to: s.cfg.IAB, role: "iab"})
	} else {
		for _, m := range rt.Managers {
			add(notice{template: "notice", to: m, role: "manager"})
		}
	}
	for _, gid := range rt.Groups {
		if g, ok := s.cfg.Group(gid); ok {
			for _, c := range g.Chairs {
				add(notice{template: "notice", to: liaison.Contact{Name: strings.ToUpper(g.ID) + " chairs", Email: c}, role: "chair"})
			}
		}
	}
	if rt.Misdirected {
		if ok, why := answerable(s, rec, raw); ok {
			add(notice{template: "misdirection", to: x.From, cc: rt.Managers, role: "sender", right: rt.Groups})
		} else {
			p.log.Info("no misdirection correction", "id", rec.ID, "reason", why)
		}
		for _, gid := range rt.WrongGroups {
			if g, ok := s.cfg.Group(gid); ok {
				for _, c := range g.Chairs {
					add(notice{template: "misdirection-headsup", to: liaison.Contact{Name: strings.ToUpper(g.ID) + " chairs", Email: c}, role: "chair", right: rt.Groups})
				}
			}
		}
	}
	view := templates.View(rec, s.cfg.Location, now)
	var keys []string
	for _, n := range ns {
		key := OutboxKey(rec.ID, n.template, n.to.Email, "")
		if tx.HasOutbox(key) {
			continue
		}
		data := templates.NoticeData{S: view, LiaisonAddress: s.cfg.LiaisonAddress, IAB: s.cfg.IAB, Recipient: n.to, Role: n.role, RightGroups: n.right}
		e, err := p.compose(s, key, n.template, rec, n.to, n.cc, data, now)
		if err != nil {
			return keys, err
		}
		added, err := tx.Enqueue(e)
		if err != nil {
			return keys, err
		}
		if added {
			keys = append(keys, key)
			if err := tx.AddEvent(rec.ID, liaison.Event{At: now, Type: "queued", Detail: n.template + " to " + n.to.Email}); err != nil {
				return keys, err
			}
		}
	}
	return keys, nil
}

// compose renders a template and builds the outbox entry for it.
func (p *Pipeline) compose(s snapshot, key, tmpl string, rec *liaison.Record, to liaison.Contact, cc []liaison.Contact, data any, now time.Time) (*store.OutboxEntry, error) {
	r, err := s.tmpl.Render(tmpl, data)
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", tmpl, err)
	}
	domain := domainOf(s.from.Email)
	m := outmail.Mail{
		From:      s.from,
		To:        []liaison.Contact{to},
		Cc:        cc,
		Subject:   r.Subject,
		MessageID: outmail.MessageID(key, domain),
		Date:      now,
		ListID:    "liaisond." + domain,
		Kind:      tmpl,
		LoopToken: domain,
		Text:      r.Text,
		HTML:      r.HTML,
	}
	if rec != nil && rec.Extraction.MessageID != "" {
		m.InReplyTo = rec.Extraction.MessageID
		m.References = []string{rec.Extraction.MessageID}
	}
	m.ReplyTo = commandReplyTo(s, rec, to)
	raw, err := outmail.Build(m)
	if err != nil {
		return nil, fmt.Errorf("build %s to %s: %w", tmpl, to.Email, err)
	}
	rcpts := []string{to.Email}
	for _, c := range cc {
		if c.Email != "" && !strings.EqualFold(c.Email, to.Email) {
			rcpts = append(rcpts, c.Email)
		}
	}
	e := &store.OutboxEntry{
		Key: key, Kind: tmpl, Recipient: to.Email, MessageID: m.MessageID,
		Subject: r.Subject, EnvelopeFrom: s.from.Email, Rcpts: rcpts, Raw: raw, Created: now,
	}
	if rec != nil {
		e.RecordID = rec.ID
	}
	return e, nil
}

// answerable says whether the daemon may write to a statement's sender:
// never to auto-generated mail, a bounce, a list, the liaison address or
// itself (no mail loops).
func answerable(s snapshot, rec *liaison.Record, raw []byte) (bool, string) {
	x := &rec.Extraction
	from := strings.ToLower(x.From.Email)
	switch {
	case from == "":
		return false, "no sender address"
	case x.AutoSubmit != "" && !strings.EqualFold(x.AutoSubmit, "no"):
		return false, "auto-submitted mail (" + x.AutoSubmit + ")"
	case x.Kind == liaison.KindBounce || x.Kind == liaison.KindAutoreply:
		return false, string(x.Kind)
	case x.OwnMail || from == strings.ToLower(s.from.Email):
		return false, "our own mail"
	case isRobot(from):
		return false, "sender looks automated: " + from
	}
	for _, a := range append([]string{s.cfg.LiaisonAddress}, s.cfg.LiaisonAliases...) {
		if strings.EqualFold(a, from) {
			return false, "sender is the liaison address"
		}
	}
	for _, g := range s.cfg.Groups {
		if strings.EqualFold(g.List, from) {
			return false, "sender is the " + g.ID + " list"
		}
	}
	if prec := rawHeader(raw, "Precedence"); prec != "" {
		switch strings.ToLower(strings.TrimSpace(prec)) {
		case "bulk", "junk", "list":
			return false, "Precedence: " + prec
		}
	}
	return true, ""
}

func rawHeader(raw []byte, name string) string {
	if raw == nil {
		return ""
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return m.Header.Get(name)
}

func isRobot(addr string) bool {
	local := addr
	if i := strings.IndexByte(addr, '@'); i >= 0 {
		local = addr[:i]
	}
	for _, p := range []string{"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply", "bounce", "owner-", "-owner", "-request", "listserv", "majordomo"} {
		if strings.Contains(local, p) {
			return true
		}
	}
	return false
}

// ReportFailure queues, once, the report to the IAB of a mail that could not
// be delivered. Reports of failed reports are not sent (no loops). It is
// the outbox worker's Report hook.
func (p *Pipeline) ReportFailure(tx *store.Tx, e *store.OutboxEntry) error {
	if e.Kind == "delivery-failure" {
		return nil
	}
	s := p.snap()
	now := p.now()
	var rec *liaison.Record
	data := templates.NoticeData{LiaisonAddress: s.cfg.LiaisonAddress, IAB: s.cfg.IAB, Recipient: s.cfg.IAB, Role: "iab",
		Extra: map[string]string{"recipient": e.Recipient, "kind": e.Kind, "error": e.LastError, "subject": e.Subject, "key": e.Key, "attempts": fmt.Sprint(e.Attempts)}}
	if e.RecordID != "" {
		if r, err := tx.Record(e.RecordID); err == nil {
			rec = r
			data.S = templates.View(r, s.cfg.Location, now)
		}
	}
	key := OutboxKey(e.RecordID, "delivery-failure", s.cfg.IAB.Email, e.Key)
	if tx.HasOutbox(key) {
		return nil
	}
	out, err := p.compose(s, key, "delivery-failure", rec, s.cfg.IAB, nil, data, now)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(out)
	return err
}

package pipeline

import (
	"regexp"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// followUp runs, inside record's transaction, what a newly stored message
// causes beyond its own record: a mail command is applied; a person's
// reply threaded to mail about a statement may acknowledge it; a statement
// is indexed for reply tracking and, when it answers an earlier statement
// of the other direction, marks that one answered.
func (p *Pipeline) followUp(tx *store.Tx, s *settings.Snapshot, b *batch, in Input, rec *liaison.Record, duplicate bool, now time.Time, res *Result) error {
	x := &rec.Extraction
	if !strings.HasPrefix(rec.ID, "LS-") {
		if tgt, ok := commandTarget(s, x); ok {
			return p.applyCommand(tx, s, in, rec, tgt, now, res)
		}
		return p.threadedReply(tx, s, in, rec, now, res)
	}
	if duplicate || x.OwnMail {
		return nil
	}
	target, how := findAnswered(tx, rec)
	if err := indexRefs(tx, rec); err != nil {
		return err
	}
	if target == nil {
		return nil
	}
	// The target may be a statement of this batch: its notices first.
	if err := b.flush(); err != nil {
		return err
	}
	return p.recordAnswer(tx, s, rec, target, how, now, res)
}

// threadedReply acknowledges a statement for a person's reply that
// threads (In-Reply-To or References) to the statement or to mail the
// daemon sent about it, when the sender may acknowledge it: the notice
// says "reply to this message", and that is what counts.
func (p *Pipeline) threadedReply(tx *store.Tx, s *settings.Snapshot, in Input, msg *liaison.Record, now time.Time, res *Result) error {
	id := threadTarget(tx, &msg.Extraction)
	if id == "" {
		return nil
	}
	stmt := statementOf(tx, id)
	if stmt == nil || stmt.DuplicateOf != "" {
		return nil
	}
	if ok, _ := notify.FromPerson(s, msg, in.Raw); !ok {
		return nil // auto-replies, bounces, lists and our own mail never acknowledge
	}
	return p.acknowledgeByReply(tx, s, in, stmt, msg, "threaded reply "+msg.ID, now, res)
}

// indexRefs puts a statement's normalised title and its own identifiers in
// the refs index.
func indexRefs(tx *store.Tx, rec *liaison.Record) error {
	if err := tx.AddRef(store.RefTitle, liaison.NormTitle(rec.Extraction.Title), rec.ID); err != nil {
		return err
	}
	for _, id := range rec.Extraction.OtherIDs {
		if err := tx.AddRef(store.RefPeerID, mailproc.NormID(id), rec.ID); err != nil {
			return err
		}
	}
	return nil
}

// reindexRefs moves a statement's refs-index entries from what old said to
// what next says (reprocessing); it also indexes statements recorded before
// the index existed.
func reindexRefs(tx *store.Tx, old, next *liaison.Record) error {
	if !strings.HasPrefix(next.ID, "LS-") || next.DuplicateOf != "" || next.Extraction.Kind != liaison.KindStatement {
		return nil
	}
	if err := tx.RemoveRef(store.RefTitle, liaison.NormTitle(old.Extraction.Title), old.ID); err != nil {
		return err
	}
	for _, id := range old.Extraction.OtherIDs {
		if err := tx.RemoveRef(store.RefPeerID, mailproc.NormID(id), old.ID); err != nil {
			return err
		}
	}
	return indexRefs(tx, next)
}

// recordAnswer links reply and target both ways and, when the target is
// open, marks it answered through the action layer (which tells its
// managers).
func (p *Pipeline) recordAnswer(tx *store.Tx, s *settings.Snapshot, reply, target *liaison.Record, how string, now time.Time, res *Result) error {
	reply.Links = appendOnce(reply.Links, target.ID)
	if err := tx.PutRecord(reply); err != nil {
		return err
	}
	res.Linked = target.ID
	res.Flags = appendOnce(res.Flags, "answers:"+target.ID)
	if err := tx.AddEvent(reply.ID, liaison.Event{At: now, Type: liaison.EventAnswers, Detail: target.ID + " (found by " + how + ")"}); err != nil {
		return err
	}
	if target.State != liaison.StateOpen {
		return linkBack(tx, target.ID, reply.ID, now, "answer") // already answered or closed: linked only
	}
	// The daemon acts on the evidence of the reply, with the operator's
	// authority, on behalf of its sender.
	actor := actions.Actor{Email: reply.Extraction.From.Email, Channel: liaison.ChannelMail, Operator: true, Via: "reply tracking"}
	out, err := p.actions.ApplyTx(tx, target.ID, actor, actions.Request{Action: actions.Answered, Ref: reply.ID, Reason: how}, now)
	if err != nil {
		return err
	}
	p.log.Info("statement answered", "statement", target.ID, "reply", reply.ID, "how", how, "by", actor.Email)
	res.Queued = append(res.Queued, out.Queued...)
	return nil
}

// findAnswered finds the statement a new statement answers: one of the
// other direction (an IETF reply answers a peer's statement, a peer's
// reply answers an IETF statement), found by, in order, mail threading
// (its Message-ID or that of any mail the daemon sent about it), its id
// in the subject or "in response to" text, the peer's own identifier, or
// its normalised title. Only the threading needs no sign that the new
// statement is a response. Among several matches the latest open one wins.
func findAnswered(tx *store.Tx, rec *liaison.Record) (*liaison.Record, string) {
	x := &rec.Extraction
	want := liaison.Outgoing
	if x.Direction == liaison.Outgoing {
		want = liaison.Incoming
	}
	pick := func(ids []string) *liaison.Record {
		var best *liaison.Record
		for _, id := range ids {
			r := statementOf(tx, id)
			if r == nil || r.ID == rec.ID || direction(r) != want {
				continue
			}
			if best == nil || preferred(r, best) {
				best = r
			}
		}
		return best
	}
	thread := append(append([]string(nil), x.InReplyTo...), x.References...)
	var byThread []string
	for _, mid := range thread {
		if id, ok := tx.ByMessageID(mid); ok {
			byThread = append(byThread, id)
		} else if e, ok := tx.OutboxByMessageID(mid); ok && e.RecordID != "" {
			byThread = append(byThread, e.RecordID)
		}
	}
	if r := pick(byThread); r != nil {
		return r, "mail threading (In-Reply-To/References)"
	}
	if !isResponse(x) {
		return nil, ""
	}
	refText := strings.Join(append([]string{x.InResponseTo, x.Subject, x.Title}, responseLines(x.Body)...), "\n")
	if r := pick(lsIDRe.FindAllString(refText, -1)); r != nil {
		return r, "statement id " + r.ID
	}
	own := map[string]bool{}
	for _, id := range x.OtherIDs {
		own[mailproc.NormID(id)] = true
	}
	var byPeer []string
	for _, id := range mailproc.PeerIDs(refText) {
		if n := mailproc.NormID(id); !own[n] {
			byPeer = append(byPeer, tx.Refs(store.RefPeerID, n)...)
		}
	}
	if r := pick(byPeer); r != nil {
		return r, "peer identifier"
	}
	var byTitle []string
	for _, t := range append([]string{x.InResponseTo, x.Title, x.Subject}, responseLines(x.Body)...) {
		byTitle = append(byTitle, tx.Refs(store.RefTitle, liaison.NormTitle(t))...)
	}
	if r := pick(byTitle); r != nil {
		return r, "title"
	}
	return nil, ""
}

// refLink is threadLink's last resort for follow-up mail: a peer's
// identifier or a statement's title in the subject.
func refLink(tx *store.Tx, x *liaison.Extraction) string {
	if x.Kind == liaison.KindStatement || x.OwnMail {
		return ""
	}
	var ids []string
	for _, id := range mailproc.PeerIDs(x.Subject) {
		ids = append(ids, tx.Refs(store.RefPeerID, mailproc.NormID(id))...)
	}
	if len(ids) == 0 {
		ids = tx.Refs(store.RefTitle, liaison.NormTitle(x.Subject))
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if statementOf(tx, ids[i]) != nil {
			return ids[i]
		}
	}
	return ""
}

// statementOf returns the statement a record id stands for: the statement
// itself, or the statement a follow-up mail or duplicate is linked to.
func statementOf(tx *store.Tx, id string) *liaison.Record {
	r, err := tx.Record(id)
	if err != nil {
		return nil
	}
	if r.DuplicateOf != "" {
		return statementOf(tx, r.DuplicateOf)
	}
	if strings.HasPrefix(r.ID, "LS-") && r.Extraction.Kind == liaison.KindStatement {
		return r
	}
	for _, l := range r.Links {
		if strings.HasPrefix(l, "LS-") {
			if s, err := tx.Record(l); err == nil && s.Extraction.Kind == liaison.KindStatement {
				return s
			}
		}
	}
	return nil
}

// preferred reports whether r is a better match than best: open before
// answered or closed, then the later record.
func preferred(r, best *liaison.Record) bool {
	ro, bo := r.State == liaison.StateOpen, best.State == liaison.StateOpen
	if ro != bo {
		return ro
	}
	return r.ID > best.ID
}

func direction(r *liaison.Record) liaison.Direction {
	if r.Extraction.Direction == liaison.Outgoing {
		return liaison.Outgoing
	}
	return liaison.Incoming
}

var (
	replyTitleRE = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*)*(?:(?:re|aw|sv)\s*:\s*)*(?:reply|response|answer)\b`)
	responseRE   = regexp.MustCompile(`(?i)\b(?:in\s+(?:response|reply)\s+to|(?:reply|response|answer)\s+(?:ls\s+)?to)\b`)
)

// isResponse reports whether a statement presents itself as a response:
// its purpose, an "in response to" reference, or a "Reply to ..." title.
func isResponse(x *liaison.Extraction) bool {
	return x.Purpose == liaison.PurposeResponse || x.InResponseTo != "" || replyTitleRE.MatchString(x.Title) || replyTitleRE.MatchString(x.Subject)
}

// responseLines returns the body lines that say what is being answered
// ("In response to ...", "This is a reply to LS on ..."), at most a few.
func responseLines(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if loc := responseRE.FindStringIndex(l); loc != nil {
			out = append(out, l[loc[1]:])
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}

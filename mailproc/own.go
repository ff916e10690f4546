package mailproc

import (
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
)

// Own mail.
//
// Every mail liaisond sends carries X-Liaisond-Loop, X-Liaisond-Kind, its
// List-Id, Auto-Submitted and its From; relays and mailing lists strip or
// rewrite all of these, give the mail a new Message-ID and deliver it back
// into the mailbox. If such an echo were read as a new statement, each
// notice would cause notices of its own: a mail loop. So a message is the
// daemon's own (Extraction.OwnMail, with the first sign found in OwnSign)
// when any of these hold:
//
//  1. it carries the loop header or the kind header, its List-Id is the
//     daemon's, or its From is the daemon's address;
//  2. its Message-ID verifies with the mark key (outmail.Marker): a relay
//     kept the id, or this is a copy of a sent mail;
//  3. the last unquoted "liaisond-mark:" line of its plain-text body is
//     ours and the text above it is the text we sent (white space aside):
//     the body is ours, unchanged;
//  4. that line is ours but the text above it changed (a relay's banner),
//     or the line is another liaisond instance's, and the message shows
//     no sign of being a reply (below).
//
// A person's reply to a notice is not an echo, although it quotes the
// notice, keeps "[LS-…]" in the subject and references our Message-ID:
// a quoted mark ("> liaisond-mark: ...") is not a mark; a reply written
// above an unquoted copy (Outlook) changes the text above the mark, so
// rule 3 fails, and it shows a sign of a reply — a reply prefix in the
// subject ("Re:", "AW:", ...) or In-Reply-To/References naming one of our
// Message-IDs — so rule 4 does not apply. It stays a reply, and a
// manager's reply keeps its meaning. Echoes carry neither sign: a relay
// does not add "Re:", and our notices reference the statement, not
// themselves.
//
// What rules 1 to 4 cannot see (a relay that also rewrites bodies) is left
// to the pipeline's store lookups (the outbox's Message-IDs, a subject tag
// naming a known statement with its title) and, last, to the outbox's
// circuit breaker, which bounds any loop.
func ownMail(x *liaison.Extraction, top *node, opt Options) {
	if sign := ownSign(x, top, opt); sign != "" {
		x.OwnMail, x.OwnSign = true, sign
	}
}

func ownSign(x *liaison.Extraction, top *node, opt Options) liaison.OwnSign {
	h := top.hdr
	loop := opt.LoopHeader
	if loop == "" {
		loop = LoopHeaderName
	}
	switch {
	case h.Has(loop):
		return liaison.OwnLoopHeader
	case h.Has(outmail.KindHeader):
		return liaison.OwnKindHeader
	case x.ListID != "" && containsFold(opt.OwnListIDs, x.ListID):
		return liaison.OwnListID
	case x.From.Email != "" && containsFold(opt.OwnAddresses, x.From.Email):
		return liaison.OwnFrom
	}
	mk := opt.Marker
	if mk == nil {
		mk = outmail.NewMarker(nil)
	}
	if _, ok := mk.Ref(x.MessageID); ok {
		return liaison.OwnMessageID
	}
	switch bodyMark(top, mk) {
	case outmail.MarkOurs:
		return liaison.OwnBodyMark
	case outmail.MarkOursEdited:
		if !looksLikeReply(x, mk) {
			return liaison.OwnBodyEdited
		}
	case outmail.MarkForeign:
		if !looksLikeReply(x, mk) {
			return liaison.OwnForeignMark
		}
	}
	return ""
}

// bodyMark checks the top message's plain-text parts (its HTML ones when
// it has none: a relay may have dropped the plain alternative).
func bodyMark(top *node, mk *outmail.Marker) outmail.BodyMark {
	texts := top.plain
	if len(texts) == 0 {
		for _, h := range top.html {
			texts = append(texts, htmlToText(h))
		}
	}
	// Ours beats ours-edited beats foreign beats none.
	rank := map[outmail.BodyMark]int{outmail.MarkNone: 0, outmail.MarkForeign: 1, outmail.MarkOursEdited: 2, outmail.MarkOurs: 3}
	best := outmail.MarkNone
	for _, t := range texts {
		if m := mk.CheckBody(t); rank[m] > rank[best] {
			best = m
		}
	}
	return best
}

// IsReplySubject reports whether a subject starts with a reply prefix
// ("Re:", "AW:", "SV:", ..., after list tags such as "[ccamp]").
func IsReplySubject(subject string) bool { return reSubjectRE.MatchString(subject) }

// looksLikeReply reports the signs of a person's reply: a reply prefix in
// the subject, or a reference to one of our Message-IDs.
func looksLikeReply(x *liaison.Extraction, mk *outmail.Marker) bool {
	if IsReplySubject(x.Subject) {
		return true
	}
	for _, id := range append(append([]string(nil), x.InReplyTo...), x.References...) {
		if _, ok := mk.Ref(id); ok {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

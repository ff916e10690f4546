package pipeline

import (
	"regexp"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc"
	"github.com/ietf-tools/liaisond/store"
)

// subjectTagRE is the "[LS-2026-0007]" tag the daemon puts in subjects.
var subjectTagRE = regexp.MustCompile(`\[(LS-\d{4}-\d{4,})\]`)

// ownByStore recognises echoes of the daemon's own mail that mailproc
// cannot see without the database (mailproc's rules are in its own.go):
//
//   - the Message-ID is one of a mail in the outbox (ids made before
//     Message-IDs carried a verifiable mark);
//   - a would-be statement whose subject carries the "[LS-…]" tag of a
//     known statement and whose title is that statement's, and which is
//     not a reply: the daemon's notice about that statement, come back
//     through a relay that also rewrote its body. A peer's new statement
//     does not carry our tag with the same title; if it did, it would be
//     the same statement, recorded already.
func ownByStore(tx *store.Tx, x *liaison.Extraction) liaison.OwnSign {
	if x.MessageID != "" {
		if _, ok := tx.OutboxByMessageID(x.MessageID); ok {
			return liaison.OwnOutboxID
		}
	}
	if x.Kind != liaison.KindStatement || x.Title == "" || mailproc.IsReplySubject(x.Subject) {
		return ""
	}
	for _, m := range subjectTagRE.FindAllStringSubmatch(x.Subject, -1) {
		rec, err := tx.Record(m[1])
		if err == nil && rec.Extraction.Kind == liaison.KindStatement && liaison.NormTitle(rec.Extraction.Title) == liaison.NormTitle(x.Title) {
			return liaison.OwnSubjectTag
		}
	}
	return ""
}

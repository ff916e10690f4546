package pipeline

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/internal/testmail"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/outmail"
	"github.com/ietf-tools/liaisond/store"
)

// echoRounds feeds every queued mail back through relay, round after
// round (as a list that re-delivers everything into the mailbox would),
// and returns the statements recorded and the outbox size at the end.
func echoRounds(t *testing.T, p *Pipeline, db *store.DB, relay testmail.Relay, rounds int) (statements, queued int, signs map[liaison.OwnSign]int) {
	t.Helper()
	echoed := map[string]bool{}
	signs = map[liaison.OwnSign]int{}
	for r := 0; r < rounds; r++ {
		var raws [][]byte
		_ = db.View(func(tx *store.Tx) error {
			return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
				if !echoed[e.Key] {
					echoed[e.Key] = true
					raws = append(raws, e.Raw)
				}
				return nil
			})
		})
		for _, raw := range raws {
			echo, err := relay.Echo(raw)
			if err != nil {
				t.Fatal(err)
			}
			res := process(t, p, echo)
			if res.Record != nil && res.Record.Extraction.OwnMail {
				signs[res.Record.Extraction.OwnSign]++
			}
			if strings.HasPrefix(res.ID, "LS-") {
				statements++
			}
		}
		if statements > 10 {
			break // a loop: stop it growing, the caller fails
		}
	}
	statements = 0
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(*store.OutboxEntry) error { queued++; return nil })
	})
	for _, s := range allRecords(t, db) {
		if strings.HasPrefix(s.ID, "LS-") {
			statements++
		}
	}
	return statements, queued, signs
}

func allRecords(t *testing.T, db *store.DB) []*liaison.Record {
	t.Helper()
	var out []*liaison.Record
	if err := db.View(func(tx *store.Tx) error {
		return tx.ForEachRecord(func(r *liaison.Record) error { out = append(out, r); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEchoesAreNotStatements: notices that come back through relays which
// strip every header mark (and, in the last case, the body mark and the
// Message-ID too) cause no statement and no mail.
func TestEchoesAreNotStatements(t *testing.T) {
	cutMark := func(s string) string {
		if i := strings.Index(s, "liaisond-mark:"); i >= 0 {
			return s[:i]
		}
		return s
	}
	tests := []struct {
		name  string
		relay testmail.Relay
		sign  liaison.OwnSign
	}{
		{"headers stripped", testmail.Relay{}, liaison.OwnBodyMark},
		{"list tag and footer", testmail.Relay{Subject: func(s string) string { return "[ccamp] " + s }, Text: func(s string) string { return s + "\n-- \nccamp list\n" }}, liaison.OwnBodyMark},
		{"Message-ID kept, body mark cut", testmail.Relay{KeepMessageID: true, Text: cutMark}, liaison.OwnMessageID},
		{"everything stripped", testmail.Relay{Text: cutMark}, liaison.OwnSubjectTag},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, _ := newTest(t)
			process(t, p, mailWith("sg15-echo@itu.int"))
			_, before, _ := echoRounds(t, p, db, tc.relay, 0)
			statements, after, signs := echoRounds(t, p, db, tc.relay, 5)
			if statements != 1 || after != before {
				t.Errorf("after 5 echo rounds: %d statements (want 1), %d mails queued (want %d)", statements, after, before)
			}
			if signs[tc.sign] == 0 {
				t.Errorf("echoes recognised by %v, want %s", signs, tc.sign)
			}
		})
	}
}

// TestLegacyOutboxMessageIDIsOwn: a mail queued before Message-IDs carried
// a mark is still recognised by its id.
func TestLegacyOutboxMessageIDIsOwn(t *testing.T) {
	p, db, clk := newTest(t)
	mid := outmail.MessageID("LS-2026-0001|notice|x@example.org|", "ietf.example")
	if err := db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.OutboxEntry{Key: "legacy", Kind: "notice", MessageID: mid, Raw: []byte("x"), Created: clk.t})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	res := process(t, p, mailWith(mid))
	if strings.HasPrefix(res.ID, "LS-") || res.Record.Extraction.OwnSign != liaison.OwnOutboxID {
		t.Errorf("echo with a legacy outbox id: %s, sign %q", res.ID, res.Record.Extraction.OwnSign)
	}
}

// TestReplyToNoticeStaysReply: a manager's reply quotes the notice, keeps
// [LS-…] in the subject and references our Message-ID; it is a reply.
func TestReplyToNoticeStaysReply(t *testing.T) {
	p, db, _ := newTest(t)
	st := process(t, p, mailWith("sg15-reply@itu.int"))
	notice := noticeMessageID(t, db, st.ID, "jane.doe@example.org")
	var raw []byte
	_ = db.View(func(tx *store.Tx) error {
		e, _ := tx.OutboxByMessageID(notice)
		raw = e.Raw
		return nil
	})
	for name, text := range map[string]func(string) string{
		"quoted":  func(s string) string { return "Acknowledged, thanks.\n\n> " + strings.ReplaceAll(s, "\n", "\n> ") },
		"outlook": func(s string) string { return "Acknowledged, thanks.\n\n-----Original Message-----\n" + s },
	} {
		reply, err := testmail.Relay{From: "Jane Doe <jane.doe@example.org>", Subject: func(s string) string { return "RE: " + s },
			Header: "In-Reply-To: <" + notice + ">\r\n", Text: text}.Echo(raw)
		if err != nil {
			t.Fatal(err)
		}
		res := process(t, p, reply)
		x := res.Record.Extraction
		if x.OwnMail || strings.HasPrefix(res.ID, "LS-") || res.Linked != st.ID {
			t.Errorf("%s reply: %s kind %s own %v (%s) linked %q", name, res.ID, res.Kind, x.OwnMail, x.OwnSign, res.Linked)
		}
	}
}

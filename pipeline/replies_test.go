package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/store"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

// sg15Statement is an incoming ITU-T statement with its own identifier
// SG15-LS123; it routes to CCAMP and its managers are Jane Doe and Kenji
// Sato (examples/liaisond.yaml).
func sg15Statement(mid, title string) []byte {
	return crlf(fmt.Sprintf(`From: "ITU-T SG15 Secretariat" <tsb-sg15@itu.int>
To: statements@ietf.example
Subject: SG15-LS123: %[2]s (for action)
Date: Mon, 23 Nov 2026 09:12:44 +0100
Message-ID: <%[1]s>
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          %[2]s
For action to:  IETF CCAMP WG
Deadline:       15 March 2027
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 asks CCAMP to review the OTN topology model alignment options.
`, mid, title))
}

// ccampReply is an outgoing IETF statement from the CCAMP chairs to SG15,
// copied to the liaison address.
func ccampReply(mid, inReplyTo, subject, body string) []byte {
	h := ""
	if inReplyTo != "" {
		h = "In-Reply-To: <" + inReplyTo + ">\nReferences: <" + inReplyTo + ">\n"
	}
	return crlf(fmt.Sprintf(`From: CCAMP Chairs <ccamp-chairs@ietf.example>
To: TSB SG15 <tsbsg15@itu.int>
Cc: statements@ietf.example
Subject: %s
Date: Mon, 7 Dec 2026 09:40:14 -0700
Message-ID: <%s>
%sContent-Type: text/plain; charset=UTF-8

Dear colleagues,

Please find below an LS from the IETF CCAMP WG to ITU-T SG15%s.

Answer: option B is preferred.

Best regards,
CCAMP chairs
`, subject, mid, h, body))
}

const sg15Title = "LS on alignment of the OTN topology YANG model"

func process(t *testing.T, p *Pipeline, raw []byte) Result {
	t.Helper()
	res, err := p.Process(Input{Raw: raw, Origin: "test"}, false)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func recordOf(t *testing.T, db *store.DB, id string) *liaison.Record {
	t.Helper()
	var r *liaison.Record
	if err := db.View(func(tx *store.Tx) (err error) {
		r, err = tx.Record(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return r
}

// queuedTo lists "kind recipient" of every outbox entry about id.
func queuedTo(t *testing.T, db *store.DB, id string) []string {
	t.Helper()
	var out []string
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			if e.RecordID == id {
				out = append(out, e.Kind+" "+e.Recipient)
			}
			return nil
		})
	})
	slices.Sort(out)
	return out
}

func noticeMessageID(t *testing.T, db *store.DB, id, to string) string {
	t.Helper()
	var mid string
	_ = db.View(func(tx *store.Tx) error {
		e, err := tx.Outbox(notify.Key{Record: id, Kind: notify.KindNotice, Recipient: to}.String())
		if err == nil {
			mid = e.MessageID
		}
		return err
	})
	if mid == "" {
		t.Fatalf("no notice for %s to %s", id, to)
	}
	return mid
}

func TestIETFReplyMarksStatementAnswered(t *testing.T) {
	answeredMail := []string{"answered jane.doe@example.org", "answered kenji.sato@example.org"}
	tests := []struct {
		name     string
		reply    func(t *testing.T, db *store.DB) []byte
		answered bool
		how      string
	}{
		{"by In-Reply-To to the statement", func(*testing.T, *store.DB) []byte {
			return ccampReply("out@ietf.example", "in-1@itu.int", "LS from IETF CCAMP WG to ITU-T SG15 on topology", "")
		}, true, "threading"},
		{"by In-Reply-To to the daemon's notice", func(t *testing.T, db *store.DB) []byte {
			mid := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
			return ccampReply("out@ietf.example", mid, "LS from IETF CCAMP WG to ITU-T SG15 on topology", "")
		}, true, "threading"},
		{"by statement id in the subject", func(*testing.T, *store.DB) []byte {
			return ccampReply("out@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15: reply to LS-2026-0001", "")
		}, true, "statement id"},
		{"by title in an in-response-to line", func(*testing.T, *store.DB) []byte {
			return ccampReply("out@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15 on topology models",
				", in response\nto your LS on Alignment of the OTN topology YANG-model")
		}, true, "title"},
		{"by the peer's identifier", func(*testing.T, *store.DB) []byte {
			return ccampReply("out@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15: reply to SG15-LS123", ", in response\nto SG15-LS123")
		}, true, "peer identifier"},
		{"an unrelated IETF statement answers nothing", func(*testing.T, *store.DB) []byte {
			return ccampReply("out@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15 on flexible grid", " on flexible grid, for information")
		}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, clk := newTest(t)
			if r := process(t, p, sg15Statement("in-1@itu.int", sg15Title)); r.ID != "LS-2026-0001" {
				t.Fatalf("statement recorded as %s", r.ID)
			}
			clk.t = clk.t.Add(24 * time.Hour)
			res := process(t, p, tc.reply(t, db))
			if res.ID != "LS-2026-0002" || res.Kind != liaison.KindStatement {
				t.Fatalf("reply recorded as %s (%s), want the outgoing statement LS-2026-0002", res.ID, res.Kind)
			}
			orig := recordOf(t, db, "LS-2026-0001")
			reply := recordOf(t, db, "LS-2026-0002")
			if !tc.answered {
				if orig.State != liaison.StateOpen || slices.Contains(orig.Links, reply.ID) || len(reply.Links) > 0 {
					t.Errorf("unrelated statement changed the original: state %s, links %v / %v", orig.State, orig.Links, reply.Links)
				}
				if got := queuedTo(t, db, orig.ID); slices.Contains(got, answeredMail[0]) {
					t.Errorf("answered mail queued: %v", got)
				}
				return
			}
			if orig.State != liaison.StateAnswered || orig.Answered == nil || orig.Answered.Ref != reply.ID || orig.Answered.By != "ccamp-chairs@ietf.example" {
				t.Fatalf("original: state %s, answered %+v; want answered by LS-2026-0002", orig.State, orig.Answered)
			}
			if !slices.Contains(orig.Links, reply.ID) || !slices.Contains(reply.Links, orig.ID) {
				t.Errorf("links: original %v, reply %v; want both ways", orig.Links, reply.Links)
			}
			if !slices.Contains(res.Flags, "answers:LS-2026-0001") {
				t.Errorf("result flags %v", res.Flags)
			}
			got := queuedTo(t, db, orig.ID)
			for _, w := range answeredMail {
				if !slices.Contains(got, w) {
					t.Errorf("queued %v, want %q", got, w)
				}
			}
			var evs []liaison.Event
			_ = db.View(func(tx *store.Tx) (err error) { evs, err = tx.Events(reply.ID); return err })
			found := false
			for _, ev := range evs {
				found = found || ev.Type == "answers" && strings.Contains(ev.Detail, tc.how)
			}
			if !found {
				t.Errorf("no answers event found by %q in %+v", tc.how, evs)
			}
			// The same reply again changes nothing and sends nothing more.
			process(t, p, tc.reply(t, db))
			if again := queuedTo(t, db, orig.ID); !slices.Equal(again, got) {
				t.Errorf("second copy queued more: %v -> %v", got, again)
			}
		})
	}
}

func TestSameTitleSameDirectionIsNotAnAnswer(t *testing.T) {
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	second := strings.Replace(string(sg15Statement("in-2@itu.int", sg15Title)), "review the OTN", "review again the OTN", 1)
	res := process(t, p, []byte(second))
	if res.ID != "LS-2026-0002" {
		t.Fatalf("second statement recorded as %s (%v)", res.ID, res.Flags)
	}
	if orig := recordOf(t, db, "LS-2026-0001"); orig.State != liaison.StateOpen || orig.Answered != nil {
		t.Errorf("an incoming statement answered an incoming one: %s %+v", orig.State, orig.Answered)
	}
}

func TestPeerReplyAnswersOutgoingStatement(t *testing.T) {
	p, db, clk := newTest(t)
	out := ccampReply("ietf-ls@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15 on flexible grid management of optical networks",
		" on flexible grid management of optical networks, for action.\nPlease reply by 15 March 2027")
	res := process(t, p, out)
	if res.ID != "LS-2026-0001" {
		t.Fatalf("outgoing statement recorded as %s", res.ID)
	}
	ietf := recordOf(t, db, res.ID)
	if ietf.Extraction.Direction != liaison.Outgoing || ietf.State != liaison.StateOpen {
		t.Fatalf("outgoing statement: direction %s, state %s", ietf.Extraction.Direction, ietf.State)
	}
	clk.t = clk.t.Add(30 * 24 * time.Hour)
	peer := crlf(`From: "ITU-T SG15 Secretariat" <tsb-sg15@itu.int>
To: statements@ietf.example
Subject: SG15-LS140: Reply to LS on flexible grid management of optical networks
Date: Mon, 4 Jan 2027 09:12:44 +0100
Message-ID: <in-reply@itu.int>
Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          Reply to LS on flexible grid management of optical networks
For information to:  IETF CCAMP WG
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 thanks CCAMP for its LS and agrees with the proposed model.
`)
	res = process(t, p, peer)
	if res.ID != "LS-2026-0002" {
		t.Fatalf("peer reply recorded as %s (%s)", res.ID, res.Kind)
	}
	ietf = recordOf(t, db, "LS-2026-0001")
	if ietf.State != liaison.StateAnswered || ietf.Answered == nil || ietf.Answered.Ref != "LS-2026-0002" {
		t.Fatalf("outgoing statement: state %s, answered %+v; want answered by the peer's reply", ietf.State, ietf.Answered)
	}
	if r := recordOf(t, db, "LS-2026-0002"); !slices.Contains(r.Links, "LS-2026-0001") {
		t.Errorf("peer reply links %v", r.Links)
	}
}

func TestFollowUpLinkedByPeerIDInSubject(t *testing.T) {
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	ack := crlf(`From: Jane Doe <jane.doe@example.org>
To: TSB SG15 <tsbsg15@itu.int>
Cc: statements@ietf.example
Subject: RE: SG15-LS123: LS on alignment of the OTN topology YANG model
Date: Tue, 24 Nov 2026 08:00:00 +0000
Message-ID: <ack-1@example.org>
Content-Type: text/plain; charset=us-ascii

Dear TSB, the IETF acknowledges receipt of SG15-LS123.
`)
	res := process(t, p, ack)
	if res.Kind != liaison.KindReply || res.Linked != "LS-2026-0001" {
		t.Fatalf("follow-up: kind %s, linked %q; want a reply linked to LS-2026-0001", res.Kind, res.Linked)
	}
	if orig := recordOf(t, db, "LS-2026-0001"); orig.State != liaison.StateOpen || !slices.Contains(orig.Links, res.ID) {
		t.Errorf("original: state %s, links %v; want still open and linked", orig.State, orig.Links)
	}
}

func TestReprocessIndexesOlderStatements(t *testing.T) {
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	// Simulate a statement recorded before the refs index existed.
	if err := db.Update(func(tx *store.Tx) error {
		if err := tx.RemoveRef(store.RefTitle, liaison.NormTitle(sg15Title), "LS-2026-0001"); err != nil {
			return err
		}
		return tx.RemoveRef(store.RefPeerID, "SG15-LS123", "LS-2026-0001")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Reprocess([]string{"LS-2026-0001"}); err != nil {
		t.Fatal(err)
	}
	process(t, p, ccampReply("out@ietf.example", "", "LS from IETF CCAMP WG to ITU-T SG15: reply to SG15-LS123", ", in response\nto SG15-LS123"))
	if r := recordOf(t, db, "LS-2026-0001"); r.State != liaison.StateAnswered {
		t.Errorf("after reprocessing, the reply by peer id was not recognised: state %s", r.State)
	}
}

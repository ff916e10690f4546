package pipeline

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// sendAnswer drafts, approves and sends, through the action layer, the
// CCAMP answer to statement in, and returns its id and its mail as sent.
func sendAnswer(t *testing.T, p *Pipeline, db *store.DB, in string) (string, []byte) {
	t.Helper()
	cli := func(by string) actions.Actor { return actions.Actor{Email: by, Channel: liaison.ChannelCLI} }
	out, err := p.actions.Apply("", cli("jane.doe@example.org"), actions.Request{Action: actions.Draft, Draft: &actions.DraftInput{
		Answers: in, From: []string{"ccamp"}, Purpose: "action", Deadline: "2027-03-01",
		Body: "CCAMP prefers option B.", Addressees: []string{"Q12/15"}, Contacts: []string{"ccamp-chairs@ietf.example"}}})
	if err != nil || len(out.Problems) > 0 {
		t.Fatalf("draft: %v %+v", err, out.Problems)
	}
	id := out.ID
	if _, err := p.actions.Apply(id, cli("ccamp-chairs@ietf.example"), actions.Request{Action: actions.Approve, Consensus: "https://mailarchive.example/ccamp/1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.actions.Apply(id, cli("jane.doe@example.org"), actions.Request{Action: actions.Send}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	_ = db.View(func(tx *store.Tx) error {
		e, err := tx.Outbox(id + "|outgoing-statement|tsbsg15@itu.int|")
		if err == nil {
			raw = e.Raw
		}
		return err
	})
	if raw == nil {
		t.Fatal("the statement is not in the outbox")
	}
	return id, raw
}

func countRecords(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	_ = db.View(func(tx *store.Tx) error { n = tx.CountRecords(); return nil })
	return n
}

// The copy of a statement sent to a peer, delivered back through the
// liaison mailbox (it is in Cc), is that statement: no second record, no
// notice, no answer to anything; its history says the copy came back.
func TestSentStatementCopyIsItsRecord(t *testing.T) {
	p, db, clk := newTest(t)
	in := process(t, p, sg15Statement("sg15-ls123@itu.int", sg15Title))
	id, raw := sendAnswer(t, p, db, in.ID)
	n := countRecords(t, db)
	before := len(queuedTo(t, db, id))

	clk.t = clk.t.Add(time.Minute)
	res := process(t, p, raw)
	if !res.Duplicate || res.DuplicateOf != id || !strings.Contains(strings.Join(res.Flags, ","), "sent_copy") || len(res.Queued) != 0 {
		t.Fatalf("the copy: %+v", res)
	}
	if got := countRecords(t, db); got != n {
		t.Errorf("%d records after the copy came back, want %d", got, n)
	}
	if got := len(queuedTo(t, db, id)); got != before {
		t.Errorf("the copy queued mail: %v", queuedTo(t, db, id))
	}
	var seen bool
	_ = db.View(func(tx *store.Tx) error {
		evs, _ := tx.Events(id)
		for _, ev := range evs {
			seen = seen || ev.Type == liaison.EventDuplicateSeen && strings.Contains(ev.Detail, "the copy of the statement as sent came back")
		}
		return nil
	})
	if !seen {
		t.Error("the statement's history does not say its copy came back")
	}
	if r := recordOf(t, db, in.ID); r.State != liaison.StateAnswered {
		t.Errorf("the statement answered is %s", r.State)
	}
}

// The peer's answer to a statement sent from here is linked to it and
// answers it: by mail threading, or by its title when it does not thread.
func TestPeerAnswerToSentStatement(t *testing.T) {
	for _, threaded := range []bool{true, false} {
		t.Run(map[bool]string{true: "threaded", false: "by title"}[threaded], func(t *testing.T) {
			p, db, clk := newTest(t)
			in := process(t, p, sg15Statement("sg15-ls123@itu.int", sg15Title))
			id, _ := sendAnswer(t, p, db, in.ID)
			sent := recordOf(t, db, id)
			thread := ""
			if threaded {
				thread = "In-Reply-To: <" + sent.Extraction.MessageID + ">\n"
			}
			clk.t = clk.t.Add(40 * 24 * time.Hour)
			res := process(t, p, crlf(`From: "ITU-T SG15 Secretariat" <tsb-sg15@itu.int>
To: statements@ietf.example
Subject: SG15-LS150: Reply to LS/r on alignment of the OTN topology YANG model
Date: Thu, 7 Jan 2027 09:12:44 +0100
Message-ID: <sg15-ls150@itu.int>
`+thread+`Content-Type: text/plain; charset=utf-8

LIAISON STATEMENT

Source:         ITU-T Study Group 15
Title:          Reply to LS/r on alignment of the OTN topology YANG model
For information to:  IETF CCAMP WG
Contact:        Hiroshi Tanaka, E-mail: h.tanaka@example.net

SG15 thanks CCAMP and will align G.874.1 with option B.
`))
			if res.Linked != id {
				t.Fatalf("the peer's answer %s is linked to %q, want %s (flags %v)", res.ID, res.Linked, id, res.Flags)
			}
			if r := recordOf(t, db, id); r.State != liaison.StateAnswered || r.Answered == nil || r.Answered.Ref != res.ID {
				t.Errorf("the sent statement: %s, %+v", r.State, r.Answered)
			}
		})
	}
}

// Reprocessing reads received mail again: a statement drafted here has
// none, and is left as it is.
func TestReprocessLeavesDraftsAlone(t *testing.T) {
	p, db, _ := newTest(t)
	in := process(t, p, sg15Statement("sg15-ls123@itu.int", sg15Title))
	id, _ := sendAnswer(t, p, db, in.ID)
	before := recordOf(t, db, id)
	all, err := p.Reprocess(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.ID == id || c.Error != "" {
			t.Errorf("reprocessing everything: %+v", c)
		}
	}
	one, err := p.Reprocess([]string{id})
	if err != nil || len(one) != 1 || !strings.Contains(one[0].Error, "drafted here") {
		t.Errorf("reprocessing the draft: %+v %v", one, err)
	}
	if after := recordOf(t, db, id); after.Extraction.Title != before.Extraction.Title || after.Outbound.State != liaison.OutboundSent {
		t.Errorf("reprocessing changed the statement sent: %+v", after.Outbound)
	}
}

package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

const jane = "Jane Doe <jane.doe@example.org>"

// events returns the history of record id, of type typ.
func events(t *testing.T, db *store.DB, id string, typ liaison.EventType) []liaison.Event {
	t.Helper()
	var out []liaison.Event
	_ = db.View(func(tx *store.Tx) error {
		evs, err := tx.Events(id)
		for _, ev := range evs {
			if ev.Type == typ {
				out = append(out, ev)
			}
		}
		return err
	})
	return out
}

// Five copies of one command, each with its own Message-ID, apply once:
// the IAB is told once, and each replay is recorded and sends nothing.
// The same command from a newer notice (a new token) applies again.
func TestCommandReplayAppliesOnce(t *testing.T) {
	p, db, clk := newCmdTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	notice := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
	to := replyAddr(t, cmdKey, "LS-2026-0001")
	var replays []Result
	for i := range 5 {
		before := allQueued(t, db)
		res := process(t, p, commandMail(jane, to, notice, fmt.Sprintf("copy-%d@example.org", i), "", "delay 2027-04-30 CCAMP meets in April"))
		after := allQueued(t, db)
		if i == 0 {
			if !slices.Contains(res.Flags, "command:delay") || !slices.Contains(after, "command-iab liaison-coordination@iab.example") {
				t.Fatalf("the first copy was not applied: %+v, queued %v", res, after)
			}
			continue
		}
		replays = append(replays, res)
		if !slices.Equal(before, after) {
			t.Errorf("copy %d queued mail: %v -> %v", i, before, after)
		}
		if !slices.Contains(res.Flags, string(liaison.EventCommandReplayed)) {
			t.Errorf("copy %d: flags %v", i, res.Flags)
		}
	}
	if n := len(events(t, db, "LS-2026-0001", liaison.EventDelayed)); n != 1 {
		t.Errorf("%d delay events, want 1", n)
	}
	if n := len(events(t, db, "LS-2026-0001", liaison.EventCommandReplayed)); n != 4 {
		t.Errorf("the statement's history has %d replays, want 4", n)
	}
	for _, r := range replays {
		evs := events(t, db, r.ID, liaison.EventCommandReplayed)
		if len(evs) != 1 || !strings.Contains(evs[0].Detail, `"delay 2027-04-30 CCAMP meets in April" with this reply token was applied on 2026-11-28`) {
			t.Errorf("mail %s: replay events %+v", r.ID, evs)
		}
	}
	iab := 0
	for _, q := range allQueued(t, db) {
		if q == "command-iab liaison-coordination@iab.example" {
			iab++
		}
	}
	if iab != 1 {
		t.Errorf("the IAB is told %d times, want once", iab)
	}

	// The same note, differently spaced and cased, is the same command;
	// from a later notice's token it applies again.
	process(t, p, commandMail(jane, to, notice, "note-1@example.org", "", "note CCAMP discusses it at IETF 130"))
	process(t, p, commandMail(jane, to, notice, "note-2@example.org", "", "Note:  CCAMP discusses it at IETF 130"))
	clk.t = clk.t.AddDate(0, 0, 3)
	later := replyAddrOn(t, cmdKey, "LS-2026-0001", clk.t)
	process(t, p, commandMail(jane, later, notice, "note-3@example.org", "", "note CCAMP discusses it at IETF 130"))
	if n := len(events(t, db, "LS-2026-0001", liaison.EventNote)); n != 2 {
		t.Errorf("%d notes, want 2 (one per token)", n)
	}
}

// A token expires token_max_age after the day it was issued; a v1 token
// (no date) counts from the statement's receipt; a closed statement's
// address no longer works.
func TestCommandTokenExpiryAndClosed(t *testing.T) {
	tests := []struct {
		name  string
		to    func(t *testing.T) string
		after time.Duration // from the statement's receipt
		close bool
		ok    bool
		why   string
	}{
		{"fresh v2 token", func(t *testing.T) string { return replyAddr(t, cmdKey, "LS-2026-0001") }, time.Hour, false, true, ""},
		{"v2 token on its last day", func(t *testing.T) string { return replyAddr(t, cmdKey, "LS-2026-0001") }, 89 * 24 * time.Hour, false, true, ""},
		{"v2 token expired", func(t *testing.T) string { return replyAddr(t, cmdKey, "LS-2026-0001") }, 92 * 24 * time.Hour, false, false,
			"the reply token has expired: it was issued on 2026-11-28 and tokens last 90 days"},
		{"a later notice's token is fresh", func(t *testing.T) string { return replyAddrOn(t, cmdKey, "LS-2026-0001", testDay.AddDate(0, 0, 80)) },
			92 * 24 * time.Hour, false, true, ""},
		{"v1 token", func(t *testing.T) string { return v1Addr("LS-2026-0001") }, 30 * 24 * time.Hour, false, true, ""},
		{"v1 token past its age", func(t *testing.T) string { return v1Addr("LS-2026-0001") }, 91 * 24 * time.Hour, false, false, "the reply token has expired"},
		{"closed statement", func(t *testing.T) string { return replyAddr(t, cmdKey, "LS-2026-0001") }, time.Hour, true, false, "LS-2026-0001 is closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, clk := newCmdTest(t)
			process(t, p, sg15Statement("in-1@itu.int", sg15Title))
			if tc.close {
				if _, err := p.actions.Apply("LS-2026-0001", operator(), closeRequest()); err != nil {
					t.Fatal(err)
				}
			}
			clk.t = clk.t.Add(tc.after)
			before := allQueued(t, db)
			process(t, p, commandMail(jane, tc.to(t), "x@y", "cmd@example.org", "", "note checked the liaison"))
			notes := events(t, db, "LS-2026-0001", liaison.EventNote)
			if tc.ok != (len(notes) == 1) {
				t.Fatalf("applied %d notes, want ok=%v; history %+v", len(notes), tc.ok, events(t, db, "LS-2026-0001", liaison.EventCommandRejected))
			}
			if tc.ok {
				return
			}
			rej := events(t, db, "LS-2026-0001", liaison.EventCommandRejected)
			if len(rej) != 1 || !strings.Contains(rej[0].Detail, tc.why) {
				t.Errorf("the statement's history says %+v, want %q", rej, tc.why)
			}
			added := slices.DeleteFunc(allQueued(t, db), func(q string) bool { return slices.Contains(before, q) })
			if !slices.Equal(added, []string{"command-rejected jane.doe@example.org"}) {
				t.Errorf("queued %v, want the one-line answer to jane", added)
			}
		})
	}
}

func operator() actions.Actor { return actions.Operator(liaison.ChannelCLI) }

func closeRequest() actions.Request {
	return actions.Request{Action: actions.Close, Reason: "no reply will be sent"}
}

func v1Addr(id string) string {
	return "statements+" + id + "." + commands.TokenV1(cmdKey, id) + "@ietf.example"
}

// With commands.authserv_id, a command and an acknowledging reply count
// only when the MTA's topmost Authentication-Results vouches for the
// sender's domain.
func TestCommandAuthenticity(t *testing.T) {
	const (
		pass     = "Authentication-Results: mx.ietf.example; dkim=pass header.d=example.org header.s=s1 header.b=AbC/d+9=\n"
		dmarc    = "Authentication-Results: mx.ietf.example;\n  spf=pass smtp.mailfrom=example.org;\n  dmarc=pass (p=reject) header.from=example.org\n"
		fail     = "Authentication-Results: mx.ietf.example; dkim=fail header.d=example.org; dmarc=fail header.from=example.org\n"
		forged   = "Authentication-Results: mx.ietf.example; dmarc=pass header.from=example.org\n"
		otherMTA = "Authentication-Results: mx.google.com; dmarc=pass header.from=example.org\n"
		unalign  = "Authentication-Results: mx.ietf.example; dkim=pass header.d=mailer.example; dmarc=none header.from=example.org\n"
	)
	tests := []struct {
		name    string
		header  string
		token   bool // to the token address (else a threaded reply to the liaison address)
		body    string
		applied bool
		why     string
		answer  bool
	}{
		{"dkim aligned", pass, true, "note checked", true, "", false},
		{"dmarc pass", dmarc, true, "note checked", true, "", false},
		{"dkim and dmarc fail", fail, true, "note checked", false, "could not be authenticated: dmarc=fail for example.org", true},
		{"ours fails, a forged pass below it", fail + forged, true, "note checked", false, "dmarc=fail", true},
		{"no field from our MTA", otherMTA, true, "note checked", false, "no Authentication-Results header from mx.ietf.example", true},
		{"no field at all", "", true, "note checked", false, "no Authentication-Results header from mx.ietf.example", true},
		{"dkim of another domain", unalign, true, "note checked", false, "no dmarc=pass and no dkim=pass aligned with example.org", true},
		{"a reply to the token address without a command, authenticated", pass, true, "Thanks, on it.", true, "", false},
		{"a reply to the token address without a command, not", fail, true, "Thanks, on it.", false, "could not be authenticated", true},
		{"a threaded reply, authenticated", pass, false, "Thanks, on it.", true, "", false},
		{"a threaded reply, not: recorded, not answered", fail, false, "Thanks, on it.", false, "not taken as an acknowledgement: the sender could not be authenticated", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, _ := newCmdTest(t, func(c *config.Commands) { c.AuthservID = "mx.ietf.example" })
			process(t, p, sg15Statement("in-1@itu.int", sg15Title))
			notice := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
			to := "statements@ietf.example"
			if tc.token {
				to = replyAddr(t, cmdKey, "LS-2026-0001")
			}
			before := allQueued(t, db)
			process(t, p, commandMail(jane, to, notice, "cmd@example.org", tc.header, tc.body))
			r := recordOf(t, db, "LS-2026-0001")
			done := len(events(t, db, r.ID, liaison.EventNote)) == 1 || r.Acked != nil
			if done != tc.applied {
				t.Fatalf("applied %v, want %v", done, tc.applied)
			}
			if tc.applied {
				return
			}
			rej := events(t, db, r.ID, liaison.EventCommandRejected)
			if len(rej) != 1 || !strings.Contains(rej[0].Detail, tc.why) {
				t.Errorf("history %+v, want %q", rej, tc.why)
			}
			added := slices.DeleteFunc(allQueued(t, db), func(q string) bool { return slices.Contains(before, q) })
			var want []string
			if tc.answer {
				want = []string{"command-rejected jane.doe@example.org"}
			}
			if !slices.Equal(added, want) {
				t.Errorf("queued %v, want %v", added, want)
			}
		})
	}
	// A stranger's unauthenticated plain reply records nothing: it would
	// not have acknowledged anyway.
	p, db, _ := newCmdTest(t, func(c *config.Commands) { c.AuthservID = "mx.ietf.example" })
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	notice := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
	process(t, p, commandMail("Mallory <mallory@evil.example>", "statements@ietf.example", notice, "m@evil.example", fail, "thanks"))
	if rej := events(t, db, "LS-2026-0001", liaison.EventCommandRejected); len(rej) != 0 {
		t.Errorf("a stranger's reply was recorded as refused: %+v", rej)
	}
}

package pipeline

import (
	"bytes"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/commands"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

var cmdKey = []byte("test command key, not secret")

// routedGroups are the groups routing gives sg15Statement.
var routedGroups = []string{"ccamp", "netmod"}

// newCmdTest is newTest with mail commands enabled; tweaks change the
// commands section.
func newCmdTest(t *testing.T, tweaks ...func(*config.Commands)) (*Pipeline, *store.DB, *testClock) {
	t.Helper()
	p, db, clk := newTest(t)
	keyFile := filepath.Join(t.TempDir(), "command.key")
	if err := os.WriteFile(keyFile, append(cmdKey, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := *p.set.Config()
	cfg.Commands = &config.Commands{SecretFile: keyFile, Secret: config.Secret{File: keyFile}, TokenMaxAge: config.Duration(config.DefaultTokenMaxAge)}
	for _, tw := range tweaks {
		tw(cfg.Commands)
	}
	if err := p.set.Reload(&cfg, nil); err != nil {
		t.Fatal(err)
	}
	return p, db, clk
}

// testDay is the test clock's day: the day the notices' tokens are issued.
var testDay = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func replyAddr(t *testing.T, key []byte, id string) string {
	t.Helper()
	return replyAddrOn(t, key, id, testDay)
}

// replyAddrOn is the reply address of a token issued on day.
func replyAddrOn(t *testing.T, key []byte, id string, day time.Time) string {
	t.Helper()
	a, err := commands.ReplyAddress("statements@ietf.example", key, id, day)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func commandMail(from, to, inReplyTo, mid, extraHeader, body string) []byte {
	return crlf(fmt.Sprintf(`From: %s
To: %s
Subject: Re: [LS-2026-0001] For action: LS on alignment of the OTN topology YANG model
Date: Tue, 24 Nov 2026 08:00:00 +0000
Message-ID: <%s>
In-Reply-To: <%s>
%sContent-Type: text/plain; charset=utf-8

%s
`, from, to, mid, inReplyTo, extraHeader, body))
}

func TestNoticesCarryTheCommandAddress(t *testing.T) {
	p, db, _ := newCmdTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	want := replyAddr(t, cmdKey, "LS-2026-0001")
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			m, err := mail.ReadMessage(bytes.NewReader(e.Raw))
			if err != nil {
				t.Fatal(err)
			}
			rt := m.Header.Get("Reply-To")
			if !strings.Contains(rt, want) {
				t.Errorf("%s to %s: Reply-To %q, want %s", e.Kind, e.Recipient, rt, want)
			}
			return nil
		})
	})
	// Without the commands section, no token.
	p2, db2, _ := newTest(t)
	process(t, p2, sg15Statement("in-1@itu.int", sg15Title))
	_ = db2.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			m, err := mail.ReadMessage(bytes.NewReader(e.Raw))
			if err != nil {
				t.Fatal(err)
			}
			if rt := m.Header.Get("Reply-To"); rt != "" {
				t.Errorf("%s to %s has Reply-To %q without commands configured", e.Kind, e.Recipient, rt)
			}
			return nil
		})
	})
}

func TestMailCommands(t *testing.T) {
	const jane = "Jane Doe <jane.doe@example.org>"
	type state = func(*liaison.Record) string // "" when as expected
	unchanged := func(r *liaison.Record) string {
		if r.Acked != nil || r.State != liaison.StateOpen || !r.InternalDeadline.IsZero() || !slices.Equal(r.Routing.Groups, routedGroups) || r.Routing.Escalate {
			return fmt.Sprintf("changed: acked %+v, state %s, internal %s, groups %v, escalate %v", r.Acked, r.State, r.InternalDeadline, r.Routing.Groups, r.Routing.Escalate)
		}
		return ""
	}
	good := func(t *testing.T) string { return replyAddr(t, cmdKey, "LS-2026-0001") }
	tests := []struct {
		name   string
		from   string
		to     func(t *testing.T) string
		header string
		body   string
		check  state
		mail   []string // new outbox entries, "kind recipient", sorted
	}{
		{"ack by a manager", jane, good, "", "ack\n\n> quoted notice", func(r *liaison.Record) string {
			if r.Acked == nil || r.Acked.By != "jane.doe@example.org" {
				return fmt.Sprintf("acked %+v", r.Acked)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"ack with a wrong token", jane, func(t *testing.T) string { return replyAddr(t, []byte("guessed key"), "LS-2026-0001") }, "", "ack",
			unchanged, []string{"command-rejected jane.doe@example.org"}},
		{"ack with another statement's token", jane, func(t *testing.T) string {
			return strings.Replace(replyAddr(t, cmdKey, "LS-2026-0002"), "LS-2026-0002", "LS-2026-0001", 1)
		}, "", "ack", unchanged, []string{"command-rejected jane.doe@example.org"}},
		{"right token, stranger", "Mallory <mallory@evil.example>", good, "", "ack", unchanged, nil},
		// The manager's address in the display name is not the sender (issue 8).
		{"manager's address in an encoded display name", "=?utf-8?q?Jane:jane.doe=40example.org?= <mallory@evil.example>", good, "", "ack", unchanged, nil},
		{"manager's address as the display name", "jane.doe@example.org <mallory@evil.example>", good, "", "ack", unchanged, nil},
		{"unreadable From naming the manager", "Jane Doe jane.doe@example.org", good, "", "ack", unchanged, nil},
		{"two authors, one the manager", "jane.doe@example.org, mallory@evil.example", good, "", "ack", unchanged, nil},
		{"right token, manager of another organization", "Marco Rossi <marco.rossi@example.org>", good, "", "ack",
			unchanged, []string{"command-rejected marco.rossi@example.org"}},
		{"auto-submitted", jane, good, "Auto-Submitted: auto-replied\n", "ack", unchanged, nil},
		{"our own mail", jane, good, "X-Liaisond-Loop: ietf.example\n", "ack", unchanged, nil},
		{"a reply without a command acknowledges", jane, good, "", "> ack", func(r *liaison.Record) string {
			if r.Acked == nil || r.Acked.By != "jane.doe@example.org" {
				return fmt.Sprintf("acked %+v", r.Acked)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org"}},
		{"a stranger's reply without a command", "Mallory <mallory@evil.example>", good, "", "thanks", unchanged, nil},
		{"a bad command is refused", jane, good, "", "delay soon", unchanged, []string{"command-rejected jane.doe@example.org"}},
		{"delay", jane, good, "", "Delay 2027-04-30 CCAMP meets in April\n-- \nJane", func(r *liaison.Record) string {
			if r.InternalDeadline != (liaison.Date{Year: 2027, Month: 4, Day: 30}) || r.EffectiveDeadline() != r.InternalDeadline {
				return "internal deadline " + r.InternalDeadline.String()
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-iab liaison-coordination@iab.example", "interim-reply jane.doe@example.org"}},
		{"delay into the past", jane, good, "", "delay 2026-01-01 too late", unchanged, []string{"command-rejected jane.doe@example.org"}},
		{"answered", jane, good, "", "answered sent by the tracker on 2026-11-20", func(r *liaison.Record) string {
			if r.State != liaison.StateAnswered || r.Answered == nil || r.Answered.Note != "sent by the tracker on 2026-11-20" {
				return fmt.Sprintf("state %s, answered %+v", r.State, r.Answered)
			}
			return ""
		}, []string{"answered jane.doe@example.org", "answered kenji.sato@example.org"}},
		{"reassign by a chair", "CCAMP chairs <ccamp-chairs@ietf.example>", good, "", "reassign TEAS", func(r *liaison.Record) string {
			if !slices.Equal(r.Routing.Groups, []string{"teas"}) {
				return fmt.Sprintf("groups %v", r.Routing.Groups)
			}
			return ""
		}, []string{"command-confirm ccamp-chairs@ietf.example", "command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "notice teas-chairs@ietf.example"}},
		{"reassign to an unknown group", jane, good, "", "reassign nosuchwg", unchanged, []string{"command-rejected jane.doe@example.org"}},
		{"not-ours by the IAB", "IAB <liaison-coordination@iab.example>", good, "", "not-ours: this is for IEEE 802.1", func(r *liaison.Record) string {
			if !r.Routing.Escalate || r.Routing.EscalationReason != "not_ours" {
				return fmt.Sprintf("escalate %v %q", r.Routing.Escalate, r.Routing.EscalationReason)
			}
			return ""
		}, []string{"command-confirm jane.doe@example.org", "command-confirm kenji.sato@example.org", "command-confirm liaison-coordination@iab.example", "command-iab liaison-coordination@iab.example"}},
		{"report on the relationship by a manager", jane, good, "", "Report: SG15's plenary agreed the OTN plan.\nTwo statements are expected in May.\n\n-- \nJane\n> quoted notice",
			unchanged, []string{"report liaison-coordination@iab.example"}},
		{"report by a chair", "CCAMP chairs <ccamp-chairs@ietf.example>", good, "", "report we discussed it", unchanged, []string{"command-rejected ccamp-chairs@ietf.example"}},
		{"report without text", jane, good, "", "report\n-- \nJane", unchanged, []string{"command-rejected jane.doe@example.org"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, _ := newCmdTest(t)
			process(t, p, sg15Statement("in-1@itu.int", sg15Title))
			process(t, p, sg15Statement("in-2@itu.int", "LS on another topic entirely for the test"))
			var before []string // outbox keys
			_ = db.View(func(tx *store.Tx) error {
				return tx.ForEachOutbox(func(e *store.OutboxEntry) error { before = append(before, e.Key); return nil })
			})
			notice := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
			res := process(t, p, commandMail(tc.from, tc.to(t), notice, "cmd@example.org", tc.header, tc.body))
			if strings.HasPrefix(res.ID, "LS-") {
				t.Fatalf("command mail recorded as statement %s", res.ID)
			}
			if why := tc.check(recordOf(t, db, "LS-2026-0001")); why != "" {
				t.Errorf("statement after %q: %s", tc.body, why)
			}
			var added []string
			_ = db.View(func(tx *store.Tx) error {
				return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
					if !slices.Contains(before, e.Key) {
						added = append(added, e.Kind+" "+e.Recipient)
					}
					return nil
				})
			})
			slices.Sort(added)
			if !slices.Equal(added, tc.mail) {
				t.Errorf("queued %v, want %v", added, tc.mail)
			}
			for _, q := range added {
				if strings.Contains(q, "evil.example") {
					t.Errorf("mail to a stranger: %s", q)
				}
			}
			if other := recordOf(t, db, "LS-2026-0002"); other.Acked != nil || other.State != liaison.StateOpen {
				t.Errorf("the other statement changed: %+v", other)
			}
		})
	}
}

func TestCommandIsRecordedInHistoryAndLinked(t *testing.T) {
	p, db, _ := newCmdTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	res := process(t, p, commandMail("Jane Doe <jane.doe@example.org>", replyAddr(t, cmdKey, "LS-2026-0001"), "x@y", "cmd@example.org", "", "ack"))
	if res.Kind != liaison.KindReply || res.Linked != "LS-2026-0001" {
		t.Fatalf("command mail: kind %s, linked %q", res.Kind, res.Linked)
	}
	var evs, msgEvs []liaison.Event
	_ = db.View(func(tx *store.Tx) (err error) {
		if evs, err = tx.Events("LS-2026-0001"); err != nil {
			return err
		}
		msgEvs, err = tx.Events(res.ID)
		return err
	})
	var linked, acked bool
	for _, ev := range evs {
		switch ev.Type {
		case liaison.EventLinked:
			linked = true
		case liaison.EventAcked:
			acked = ev.By == "jane.doe@example.org" && ev.Channel == liaison.ChannelMail && strings.Contains(ev.Detail, "mail command "+res.ID)
		}
	}
	if !linked || !acked {
		t.Errorf("statement history %+v: linked %v, acked by jane by mail command %v", evs, linked, acked)
	}
	if !slices.ContainsFunc(msgEvs, func(ev liaison.Event) bool { return ev.Type == liaison.EventCommand }) {
		t.Errorf("the command mail's history %+v has no command event", msgEvs)
	}
	// The same mail again (same Message-ID) is a duplicate: nothing more.
	before := allQueued(t, db)
	process(t, p, commandMail("Jane Doe <jane.doe@example.org>", replyAddr(t, cmdKey, "LS-2026-0001"), "x@y", "cmd@example.org", "", "ack"))
	if after := allQueued(t, db); !slices.Equal(before, after) {
		t.Errorf("duplicate command queued mail: %v -> %v", before, after)
	}
}

func TestCommandsDisabledDoNothing(t *testing.T) {
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	before := allQueued(t, db)
	process(t, p, commandMail("Jane Doe <jane.doe@example.org>", replyAddr(t, cmdKey, "LS-2026-0001"), "x@y", "cmd@example.org", "", "ack"))
	if r := recordOf(t, db, "LS-2026-0001"); r.Acked != nil {
		t.Errorf("acked without commands configured: %+v", r.Acked)
	}
	if after := allQueued(t, db); !slices.Equal(before, after) {
		t.Errorf("queued %v -> %v", before, after)
	}
}

func allQueued(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	_ = db.View(func(tx *store.Tx) error {
		return tx.ForEachOutbox(func(e *store.OutboxEntry) error {
			out = append(out, e.Kind+" "+e.Recipient)
			return nil
		})
	})
	slices.Sort(out)
	return out
}

// A report by mail is about the statement's relationship: its history
// records the report's own lines, from the command line to the signature.
func TestReportByMailRecordsTheRelationship(t *testing.T) {
	p, db, _ := newCmdTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	notice := noticeMessageID(t, db, "LS-2026-0001", "kenji.sato@example.org")
	body := "report SG15's plenary agreed the OTN plan.\n\nTwo statements are expected in May.\n-- \nKenji\n\nOn Mon, liaisond wrote:\n> notice"
	res := process(t, p, commandMail("Kenji Sato <kenji.sato@example.org>", replyAddr(t, cmdKey, "LS-2026-0001"), notice, "rep@example.org", "", body))
	if !slices.Contains(res.Flags, "command:report") {
		t.Fatalf("flags %v", res.Flags)
	}
	_ = db.View(func(tx *store.Tx) error {
		evs, err := tx.RelationshipEvents("itu-t-sg15", 0)
		if err != nil || len(evs) != 1 {
			t.Fatalf("history %+v %v", evs, err)
		}
		if ev := evs[0]; ev.Detail != "SG15's plenary agreed the OTN plan.\n\nTwo statements are expected in May." || ev.By != "kenji.sato@example.org" ||
			ev.Channel != liaison.ChannelMail || !strings.Contains(ev.Reason, "mail command "+res.ID) {
			t.Errorf("report event %+v", ev)
		}
		return nil
	})
}

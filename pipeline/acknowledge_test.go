package pipeline

import (
	"fmt"
	"testing"
)

// replyMail is a reply from from to the liaison address; threads names the
// Message-ID it answers ("" for none).
func replyMail(from, mid, threads, header, body string) []byte {
	h := header
	if threads != "" {
		h += "In-Reply-To: <" + threads + ">\nReferences: <" + threads + ">\n"
	}
	return crlf(fmt.Sprintf(`From: %s
To: statements@ietf.example
Subject: Re: [LS-2026-0001] For action: LS on alignment of the OTN topology YANG model
Date: Tue, 24 Nov 2026 08:00:00 +0000
Message-ID: <%s>
%sContent-Type: text/plain; charset=utf-8

%s
`, from, mid, h, body))
}

// The notice says "reply to this message": a reply threaded to it (or to
// the statement) from someone who may acknowledge the statement does, with
// or without mail commands configured. Nothing else does.
func TestThreadedReplyAcknowledges(t *testing.T) {
	const notice, statement = "notice", "statement"
	tests := []struct {
		name    string
		from    string
		threads string // notice, statement or ""
		header  string
		ackedBy string // "" when it must not acknowledge
	}{
		{"manager replies to the notice", "Jane Doe <jane.doe@example.org>", notice, "", "jane.doe@example.org"},
		{"chair replies to the statement's thread", "CCAMP chairs <ccamp-chairs@ietf.example>", statement, "", "ccamp-chairs@ietf.example"},
		{"the IAB replies to the notice", "IAB <liaison-coordination@iab.example>", notice, "", "liaison-coordination@iab.example"},
		{"the peer replies to the statement's thread", "TSB <tsb-sg15@itu.int>", statement, "", ""},
		{"manager of another organization", "Marco Rossi <marco.rossi@example.org>", notice, "", ""},
		{"manager's out-of-office", "Jane Doe <jane.doe@example.org>", notice, "Auto-Submitted: auto-replied\n", ""},
		{"manager's list copy", "Jane Doe <jane.doe@example.org>", notice, "Precedence: list\n", ""},
		{"manager, subject tag only, not threaded", "Jane Doe <jane.doe@example.org>", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, db, _ := newTest(t)
			process(t, p, sg15Statement("in-1@itu.int", sg15Title))
			threads := ""
			switch tc.threads {
			case notice:
				threads = noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
			case statement:
				threads = "in-1@itu.int"
			}
			before := allQueued(t, db)
			res := process(t, p, replyMail(tc.from, "reply-1@example.org", threads, tc.header, "Thanks, we are on it.\n\nJane"))
			if res.Linked != "LS-2026-0001" {
				t.Errorf("reply linked to %q", res.Linked)
			}
			r := recordOf(t, db, "LS-2026-0001")
			switch {
			case tc.ackedBy == "" && r.Acked != nil:
				t.Fatalf("acknowledged by %+v", r.Acked)
			case tc.ackedBy == "":
				if after := allQueued(t, db); len(after) != len(before) {
					t.Errorf("mail queued for a reply that does not acknowledge: %v -> %v", before, after)
				}
			case r.Acked == nil || r.Acked.By != tc.ackedBy:
				t.Fatalf("acked %+v, want by %s", r.Acked, tc.ackedBy)
			default:
				confirmed := map[string]bool{}
				for _, q := range queuedTo(t, db, "LS-2026-0001") {
					confirmed[q] = true
				}
				for _, m := range []string{"jane.doe@example.org", "kenji.sato@example.org"} {
					if !confirmed["command-confirm "+m] {
						t.Errorf("manager %s not told of the acknowledgement: %v", m, confirmed)
					}
				}
			}
		})
	}
	// A second reply from a manager after the acknowledgement changes
	// nothing and sends nothing.
	p, db, _ := newTest(t)
	process(t, p, sg15Statement("in-1@itu.int", sg15Title))
	n := noticeMessageID(t, db, "LS-2026-0001", "jane.doe@example.org")
	process(t, p, replyMail("Jane Doe <jane.doe@example.org>", "reply-1@example.org", n, "", "On it."))
	before := allQueued(t, db)
	process(t, p, replyMail("Kenji Sato <kenji.sato@example.org>", "reply-2@example.org", n, "", "Me too."))
	if after := allQueued(t, db); len(after) != len(before) {
		t.Errorf("a second reply queued mail: %v -> %v", before, after)
	}
	if r := recordOf(t, db, "LS-2026-0001"); r.Acked == nil || r.Acked.By != "jane.doe@example.org" {
		t.Errorf("acked %+v", r.Acked)
	}
}

package templates

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestCommandTemplates(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	rec := record()
	v := View(rec, geneva, now)
	mgr := liaison.Contact{Name: "Jane Doe", Email: "jane.doe@example.org"}
	tests := []struct {
		kind  string
		extra map[string]string
		want  []string // in subject or text
	}{
		{Answered, map[string]string{"reply": "LS-2027-0031", "reply_title": "Reply to LS on OTN", "reply_from": "chair@ietf.example", "how": "In-Reply-To"},
			[]string{"Answered:", "LS-2027-0031", "Reply to LS on OTN", "In-Reply-To", "No more reminders"}},
		{CommandConfirm, map[string]string{"command": "delay 2027-05-01 interim", "result": "internal deadline moved to 2027-05-01", "internal_deadline": "2027-05-01"},
			[]string{"Done: delay 2027-05-01 interim", "internal deadline moved to 2027-05-01", "internal deadline 2027-05-01"}},
		{CommandRejected, map[string]string{"id": rec.ID, "why": "the reply token is not valid"},
			[]string{"Command not accepted", "not accepted: the reply token is not valid"}},
		{CommandIAB, map[string]string{"verb": "delay", "by": mgr.Email, "reason": "WG meets in May", "date": "2027-05-01"},
			[]string{"Reply delayed to 2027-05-01", "WG meets in May", mgr.Email}},
		{CommandIAB, map[string]string{"verb": "not-ours", "by": mgr.Email, "reason": "this is for IEEE 802.1"},
			[]string{"Not ours, back to the IAB", "this is for IEEE 802.1", "Decide who handles"}},
		{InterimReply, map[string]string{"date": "2027-05-01", "reason": "WG meets in May"},
			[]string{"Draft interim reply", "----- draft -----", "expects to send it by 2027-05-01", "WG meets in May", "Jane Doe"}},
	}
	for _, tc := range tests {
		t.Run(tc.kind+"/"+tc.extra["verb"], func(t *testing.T) {
			out, err := set.Render(tc.kind, NoticeData{S: v, LiaisonAddress: "statements@ietf.example", IAB: liaison.Contact{Email: "iab@iab.example"}, Recipient: mgr, Role: "manager", Extra: tc.extra})
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(out.Subject, "\r\n") {
				t.Errorf("subject spans lines: %q", out.Subject)
			}
			all := out.Subject + "\n" + out.Text
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("%s lacks %q:\n%s", tc.kind, w, all)
				}
			}
		})
	}
}

// Mail commands are mentioned only to a recipient whose mail carries the
// statement's command address, and only the commands their role allows;
// the way to acknowledge (a reply in the thread) is always said.
func TestCommandsMentionedOnlyWhenTheyWork(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{Notice, Escalation, Reminder, Overdue, EscalationAck, EscalationOverdue} {
		for _, role := range []liaison.Role{liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB} {
			for _, commands := range []bool{false, true} {
				nd := data(record(), role)
				nd.Commands = commands
				var d any = nd
				if kind != Notice && kind != Escalation {
					d = FollowUpData{NoticeData: nd, Days: 7, N: 1, Limit: 8, Deadline: "2027-03-15", DeadlineIn: "in 3 days"}
				}
				out, err := set.Render(kind, d)
				if err != nil {
					t.Fatal(err)
				}
				name := kind + "/" + string(role)
				mentions := strings.Contains(out.Text, "Mail commands")
				if mentions != commands {
					t.Errorf("%s: commands configured %v, mentioned %v:\n%s", name, commands, mentions, out.Text)
				}
				if commands && role == liaison.RoleChair && strings.Contains(out.Text, "close REASON") {
					t.Errorf("%s: a chair is offered close, which only managers and the IAB may do", name)
				}
				if commands && role != liaison.RoleChair && !strings.Contains(out.Text, "set FIELD VALUE") {
					t.Errorf("%s: a %s is not offered set", name, role)
				}
				if out.HTML != "" && strings.Contains(out.HTML, "Mail commands") != commands {
					t.Errorf("%s: HTML part disagrees about commands", name)
				}
				if strings.Contains(out.Text, "in the subject") {
					t.Errorf("%s: still says a subject tag acknowledges:\n%s", name, out.Text)
				}
			}
		}
	}
	// The notice says how to acknowledge, in words that work.
	out, err := set.Render(Notice, data(record(), liaison.RoleManager))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.Text, "Acknowledge it: reply to this message") {
		t.Errorf("notice does not say a reply acknowledges:\n%s", out.Text)
	}
}

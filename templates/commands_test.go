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

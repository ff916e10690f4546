package templates

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestFollowUpTemplatesRender(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	fu := func(mut func(*FollowUpData)) FollowUpData {
		d := FollowUpData{NoticeData: data(record(), "manager"), Days: 3, N: 2, Limit: 8, Deadline: "2027-03-15", DeadlineIn: "in 3 days",
			History: []string{"2027-03-01 10:00 received: statement from ITU-T", "2027-03-02 09:00 queued: notice to sam@example.net"}}
		if mut != nil {
			mut(&d)
		}
		return d
	}
	items := []DigestItem{Item(record(), geneva, now)}
	late := record()
	late.InternalDeadline = liaison.Date{Year: 2027, Month: 3, Day: 1}
	lateItem := Item(late, geneva, now)
	tests := []struct {
		kind    string
		data    any
		subject []string
		text    []string
	}{
		{Reminder, fu(func(d *FollowUpData) { d.Commands = true }), []string{"[LS-2027-0007] Reminder", "in 3 days", "2027-03-15", "LS on OTN beyond 400G"},
			[]string{"reply is due by 2027-03-15", "jane@example.com", `reply to this message with
   "delay YYYY-MM-DD REASON"`, "Nobody has acknowledged this statement yet: a reply to this message\nacknowledges it", "Mail commands"}},
		{Reminder, fu(nil), []string{"[LS-2027-0007] Reminder"},
			[]string{"If it will be late, tell them.", "forward the reply to statements@ietf.example"}},
		{Reminder, fu(func(d *FollowUpData) { d.Days, d.Role = 0, "chair"; d.Acked = "by sam" }), []string{"reply due today"},
			[]string{"chair of a working group"}},
		{Reminder, fu(func(d *FollowUpData) { d.Outgoing = true }), []string{"answer from ITU-T SG15 awaited"},
			[]string{"No answer has been recorded yet"}},
		{Overdue, fu(func(d *FollowUpData) { d.DeadlineIn, d.OriginalDeadline = "9 days late", "2027-03-06" }), []string{"Overdue reply", "9 days late", "notice 2 of 8"},
			[]string{"moved from 2027-03-06", "forward the reply to statements@ietf.example"}},
		{Overdue, fu(func(d *FollowUpData) { d.Commands = true }), []string{"Overdue reply"},
			[]string{`"delay YYYY-MM-DD REASON" on the first line`, `reply with "answered REFERENCE"`}},
		{EscalationAck, fu(func(d *FollowUpData) { d.Days = 7 }), []string{"Not acknowledged after 7 days"},
			[]string{"A reply to this message acknowledges it", "liaisond ack LS-2027-0007", "History", "queued: notice to sam@example.net"}},
		{EscalationOverdue, fu(func(d *FollowUpData) {
			d.Days, d.DeadlineIn, d.Acked = 8, "8 days late", "by sam@example.net on 2027-03-02"
		}),
			[]string{"Overdue 8 days, needs the IAB", "was due 2027-03-15"},
			[]string{"It was acknowledged by sam@example.net", "History"}},
		{Digest, DigestData{Recipient: liaison.Contact{Name: "Sam", Email: "sam@example.net"}, Period: "2027-W11", Since: "2027-03-08", New: items, Open: items, Overdue: []DigestItem{lateItem}, OpenTotal: 2},
			[]string{"digest 2027-W11", "1 new", "1 overdue", "2 open"},
			[]string{"New since 2027-03-08", "- LS-2027-0007 LS on OTN beyond 400G (ITU-T SG15), reply by 2027-03-15", "2027-03-01 (11 days late)"}},
		{Digest, DigestData{Recipient: liaison.Contact{Email: "sam@example.net"}, Period: "2027-W11"}, []string{"0 new"},
			[]string{"Nothing new and nothing open"}},
		{IABOverview, OverviewData{Period: "2027-W11", Open: 2, OverdueCount: 1, Relationships: []RelationshipRow{{ID: "itu-t-sg15", Name: "ITU-T SG15", Managers: "Sam", Open: 2, Overdue: 1}, {ID: "etsi", Name: "ETSI"}},
			ManagerLess: items, Unacked: items, Overdue: []DigestItem{lateItem}},
			[]string{"overview 2027-W11", "2 open", "1 overdue", "1 unacknowledged"},
			[]string{"ITU-T SG15 (itu-t-sg15): 2 open, 1 overdue; managers Sam", "ETSI (etsi): 0 open, 0 overdue; no liaison manager", "without a manager", "Not acknowledged"}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			out, err := set.Render(tc.kind, tc.data)
			if fd, ok := tc.data.(FollowUpData); ok && !fd.Commands && (strings.Contains(out.Text, "Mail commands") || strings.Contains(out.Text, "\"delay YYYY")) {
				t.Errorf("mail commands mentioned without commands configured:\n%s", out.Text)
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.Text, "<no value>") || strings.Contains(out.Text, "\n\n\n") {
				t.Errorf("untidy text:\n%s", out.Text)
			}
			for _, w := range tc.subject {
				if !strings.Contains(out.Subject, w) {
					t.Errorf("subject %q lacks %q", out.Subject, w)
				}
			}
			for _, w := range tc.text {
				if !strings.Contains(out.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, out.Text)
				}
			}
		})
	}
}

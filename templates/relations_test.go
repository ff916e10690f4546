package templates

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

// TestRelationshipTemplatesRender renders each relationship mail with
// realistic data and checks the facts a reader needs are there.
func TestRelationshipTemplatesRender(t *testing.T) {
	set, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	open := []DigestItem{Item(record(), geneva, now)}
	out := record()
	out.ID, out.Extraction.Direction, out.Extraction.Title, out.Acked = "LS-2027-0009", liaison.Outgoing, "Reply to SG15 on OTN", &liaison.Action{By: "sam"}
	open = append(open, Item(out, geneva, now))
	rel := func(mut func(*RelationshipData)) RelationshipData {
		d := RelationshipData{LiaisonAddress: "statements@ietf.example", IAB: liaison.Contact{Name: "IAB", Email: "iab@iab.example"},
			Recipient: liaison.Contact{Name: "Nia New", Email: "nia@example.org"}, Org: "itu-t-sg15", OrgName: "ITU-T Study Group 15", Relationship: "formal",
			Scope: "Optical transport networks", Documents: []string{"https://www.iab.org/liaisons/sg15"},
			Managers: []liaison.Contact{{Name: "Nia New", Email: "nia@example.org"}}, Appointed: []liaison.Contact{{Name: "Nia New", Email: "nia@example.org"}},
			Former: []liaison.Contact{{Name: "Olaf Old", Email: "olaf@example.org"}}, Open: open, BaseURL: "https://liaisond.ietf.example"}
		if mut != nil {
			mut(&d)
		}
		return d
	}
	other := OverlapItem{DigestItem: Item(record(), geneva, now), Managers: "Olu Adeyemi <olu@example.org>", Shared: []string{"ccamp"}}
	other.ID, other.FromOrg = "LS-2027-0011", "Broadband Forum"
	notice := data(record(), "manager")
	tests := []struct {
		kind          string
		data          any
		subject, text []string
		not           []string
	}{
		{Handover, rel(nil), []string{"You are now liaison manager for ITU-T Study Group 15: 2 open statements"},
			[]string{"take over from Olaf Old <olaf@example.org>", "Scope: Optical transport networks", "https://www.iab.org/liaisons/sg15",
				"- LS-2027-0007 2027-03-15 (in 3 days) LS on OTN beyond 400G [not acknowledged]", "- LS-2027-0009 2027-03-15 (in 3 days) Reply to SG15 on OTN [IETF statement, answer awaited]"}, nil},
		{Handover, rel(func(d *RelationshipData) { d.Open, d.Former = nil, nil }), []string{"0 open statements"},
			[]string{"has no open statement"}, []string{"take over from"}},
		{AppointmentEnded, rel(func(d *RelationshipData) { d.Recipient = d.Former[0] }), []string{"Your appointment as liaison manager for ITU-T Study Group 15 has ended"},
			[]string{"Dear Olaf Old", "now go to Nia New <nia@example.org>", "- LS-2027-0007", "stay\nrecorded under your name"}, nil},
		{AppointmentEnded, rel(func(d *RelationshipData) { d.Managers, d.Open = nil, nil }), []string{"has ended"},
			[]string{"the IAB liaison coordinators (iab@iab.example) handle it until a manager is appointed"}, nil},
		{Report, rel(func(d *RelationshipData) {
			d.By, d.Text, d.Recipient = "nia@example.org", "SG15 plenary in Geneva: OTN work on track.\nNext meeting in May.", d.IAB
		}), []string{"Report on the relationship with ITU-T Study Group 15 from nia@example.org"},
			[]string{"  SG15 plenary in Geneva: OTN work on track.\n  Next meeting in May.", "Open statements (2)"}, nil},
		{Coordination, CoordinationData{NoticeData: notice, Others: []OverlapItem{other}, WindowDays: 60},
			[]string{"[LS-2027-0007] Coordinate: 1 other relationship's statement to ccamp"},
			[]string{"within 60 days", "- LS-2027-0011 from Broadband Forum", "shared: ccamp", "handled by Olu Adeyemi <olu@example.org>"}, nil},
		{Announcement, notice, []string{"[LS-2027-0007] Liaison statement to ccamp, detnet from ITU-T SG15: LS on OTN beyond 400G"},
			[]string{"recorded it as LS-2027-0007", "it requests action; the sender would like an answer by 2027-03-15", "T25-SG15-LS123.docx", "Sam Manager <sam@example.net>",
				"https://liaisond.ietf.example/statements/LS-2027-0007", "It is not a liaison statement itself"},
			[]string{"Title:", "Deadline:", "Reply-To", "for action"}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			r, err := set.Render(tc.kind, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.subject {
				if !strings.Contains(r.Subject, w) {
					t.Errorf("subject %q lacks %q", r.Subject, w)
				}
			}
			for _, w := range tc.text {
				if !strings.Contains(r.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, r.Text)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(r.Text, w) {
					t.Errorf("text has %q:\n%s", w, r.Text)
				}
			}
			if strings.Contains(r.Text, "<no value>") || strings.Contains(r.Text, "\n\n\n") {
				t.Errorf("untidy text:\n%s", r.Text)
			}
		})
	}
}

package outgoing

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// TestCheck breaks one rule per case in an otherwise complete draft to
// ITU-T SG15 and expects exactly the problems listed.
func TestCheck(t *testing.T) {
	cfg := loadConfig(t)
	tests := []struct {
		name   string
		change func(r *Request)
		codes  []ProblemCode
		want   []string // substrings of the messages, in order
	}{
		{"complete draft", func(r *Request) {}, nil, nil},
		{"no title", func(r *Request) { r.Title = " " }, []ProblemCode{ProblemMissing},
			[]string{"title: no title (--title); ITU-T Study Group 15 requires it (the itu default of organizations[0].outgoing.require; testdata/liaisond.yaml:12: organizations[0].outgoing)"}},
		{"no purpose", func(r *Request) { r.Purpose = "" }, []ProblemCode{ProblemMissing},
			[]string{"purpose: no purpose"}},
		{"action without deadline", func(r *Request) { r.Deadline = liaison.Date{} }, []ProblemCode{ProblemMissing},
			[]string{"deadline: a statement for action needs the date a reply is expected by (--deadline)"}},
		{"information needs no deadline", func(r *Request) { r.Purpose, r.Deadline = liaison.PurposeInfo, liaison.Date{} }, nil, nil},
		{"contact without address", func(r *Request) { r.Contacts = []liaison.Contact{{Name: "Daniele"}} }, []ProblemCode{ProblemMissing},
			[]string{"contact: no contact with an e-mail address (--contact)"}},
		{"no sending group", func(r *Request) { r.FromGroups = nil }, []ProblemCode{ProblemMissing},
			[]string{"source_groups: no sending IETF group (--from)"}},
		{"no addressee", func(r *Request) { r.Addressees = nil }, []ProblemCode{ProblemMissing},
			[]string{"addressees: no group of ITU-T Study Group 15 addressed (--addressee): known are Q11/15, Q12/15, Q14/15"}},
		{"no body and no attachment", func(r *Request) { r.Body = "\n" }, []ProblemCode{ProblemMissing},
			[]string{"body: no body text and no attachment"}},
		{"an attachment is a body", func(r *Request) {
			r.Body = ""
			r.Attachments = []liaison.Attachment{{Name: "otn-slice.pdf"}}
		}, nil, nil},
		{"deadline sooner than the peer can answer", func(r *Request) { r.Deadline = liaison.Date{Year: 2027, Month: time.March, Day: 20} },
			[]ProblemCode{ProblemDeadlineTooSoon},
			[]string{"deadline: deadline 2027-03-20 leaves ITU-T Study Group 15 19 days to reply; it needs at least 60 (the itu default of organizations[0].outgoing.min_reply_days; testdata/liaisond.yaml:12: organizations[0].outgoing): set 2027-04-30 or later"}},
		{"deadline exactly min_reply_days away", func(r *Request) { r.Deadline = liaison.Date{Year: 2027, Month: time.April, Day: 30} }, nil, nil},
		{"deadline one day short", func(r *Request) { r.Deadline = liaison.Date{Year: 2027, Month: time.April, Day: 29} },
			[]ProblemCode{ProblemDeadlineTooSoon}, []string{"set 2027-04-30 or later"}},
		{"deadline past", func(r *Request) { r.Deadline = liaison.Date{Year: 2027, Month: time.February, Day: 28} },
			[]ProblemCode{ProblemDeadlinePast}, []string{"deadline: deadline 2027-02-28 is already past (today is 2027-03-01)"}},
		{"unknown addressee", func(r *Request) { r.Addressees = []string{"Q12/15", "Q13/15"} }, []ProblemCode{ProblemUnknownAddressee},
			[]string{`addressees: "Q13/15" is not a group of ITU-T Study Group 15: known are Q11/15, Q12/15, Q14/15 (testdata/liaisond.yaml:`}},
		{"addressees by organization name and group", func(r *Request) { r.Addressees = []string{"ITU-T SG15", "itu-t sg 15 q14/15", "SG15 Q11/15"} }, nil, nil},
		{"attachment type not accepted", func(r *Request) {
			r.Attachments = []liaison.Attachment{{Name: "slice.yang"}, {Name: "notes.PDF"}, {Name: "README"}}
		}, []ProblemCode{ProblemAttachmentType, ProblemAttachmentType},
			[]string{`attachment "slice.yang" is a .yang file; ITU-T Study Group 15 accepts pdf, docx, doc, xlsx, pptx, zip, txt`,
				`attachment "README" is a file without an extension`}},
		{"several problems in a stable order", func(r *Request) {
			r.Title, r.Addressees = "", []string{"WP9/15"}
			r.Deadline = liaison.Date{Year: 2027, Month: time.March, Day: 2}
		}, []ProblemCode{ProblemMissing, ProblemDeadlineTooSoon, ProblemUnknownAddressee}, []string{"title:", "deadline:", "addressees:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := ituReq()
			tc.change(&req)
			rec := draft(t, cfg, req, nil)
			got := Check(cfg, rec, now)
			if len(got) != len(tc.codes) {
				t.Fatalf("problems %v, want codes %v", got, tc.codes)
			}
			for i, p := range got {
				if p.Code != tc.codes[i] || !strings.Contains(p.String(), tc.want[i]) {
					t.Errorf("problem %d: %s %q, want %s containing %q", i, p.Code, p.String(), tc.codes[i], tc.want[i])
				}
			}
		})
	}
}

// TestCheckFormats checks what each format requires by default: 3GPP asks
// where to send the answer, plain asks no contact.
func TestCheckFormats(t *testing.T) {
	cfg := loadConfig(t)
	base := Request{FromGroups: []string{"dmm"}, Purpose: liaison.PurposeInfo, Title: "LS on anchors", Body: "text"}
	tests := []struct {
		org     string
		change  func(r *Request)
		missing []config.DraftField
	}{
		{"3gpp-sa2", func(r *Request) {}, []config.DraftField{config.FieldContact, config.FieldAddressees}},
		{"3gpp-sa2", func(r *Request) {
			r.Contacts = []liaison.Contact{{Email: "dmm-chair@example.org"}}
			r.Addressees = []string{"SA WG2"}
			r.ReplyTo = []liaison.Contact{{Name: "no address"}}
		}, []config.DraftField{config.FieldReplyTo}},
		{"ieee-802-1", func(r *Request) {}, []config.DraftField{config.FieldContact}},
		{"bbf", func(r *Request) {}, nil},
	}
	for _, tc := range tests {
		req := base
		req.Org = tc.org
		tc.change(&req)
		var got []config.DraftField
		for _, p := range Check(cfg, draft(t, cfg, req, nil), now) {
			got = append(got, p.Field)
		}
		if strings.Join(names(got), ",") != strings.Join(names(tc.missing), ",") {
			t.Errorf("%s: problems on %v, want %v", tc.org, got, tc.missing)
		}
	}
	// A peer whose rules vanished from the configuration is a problem,
	// not a crash.
	rec := draft(t, cfg, Request{Org: "bbf", FromGroups: []string{"opsawg"}}, nil)
	rec.Outbound.Org = "gone"
	if ps := Check(cfg, rec, now); len(ps) != 1 || ps[0].Code != ProblemNoPeer {
		t.Errorf("problems %v, want no_peer", ps)
	}
}

func names(fs []config.DraftField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

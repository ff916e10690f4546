package outgoing

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

func TestTopic(t *testing.T) {
	tests := []struct{ title, want string }{
		{"LS on management of OTN network slicing", "management of OTN network slicing"},
		{"Reply LS on IPv6 multi-homing", "IPv6 multi-homing"},
		{"Reply to LS on MPLS-TP OAM for 5G fronthaul (SG15-LS31)", "MPLS-TP OAM for 5G fronthaul"},
		{"LS/r on WSON YANG model updates (reply to IETF CCAMP)", "WSON YANG model updates"},
		{"Re: LS on PTP profile (G.8275.1)", "PTP profile (G.8275.1)"},
		{"Liaison statement on DetNet and TSN", "DetNet and TSN"},
		{"LS from 3GPP SA2 to IETF on QoS marking (S2-2701234)", "QoS marking"},
		{"Response to liaison on time synchronisation (COM 15-LS 123)", "time synchronisation"},
		{"Network slicing", "Network slicing"},
		{"LS", "LS"},
	}
	for _, tc := range tests {
		if got := Topic(tc.title); got != tc.want {
			t.Errorf("Topic(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}

func TestReplyTitle(t *testing.T) {
	const in = "LS on management of OTN network slicing"
	refs := []string{"SG15-LS45"}
	tests := []struct {
		format config.SheetFormat
		refs   []string
		want   string
	}{
		{config.FormatITU, refs, "LS/r on management of OTN network slicing (reply to SG15-LS45)"},
		{config.FormatITU, nil, "LS/r on management of OTN network slicing"},
		{config.Format3GPP, refs, "Reply LS on management of OTN network slicing"},
		{config.FormatIEEE, refs, "Response to liaison on management of OTN network slicing"},
		{config.FormatPlain, refs, "Reply to LS on management of OTN network slicing"},
	}
	for _, tc := range tests {
		if got := ReplyTitle(tc.format, in, tc.refs); got != tc.want {
			t.Errorf("ReplyTitle(%s, %v) = %q, want %q", tc.format, tc.refs, got, tc.want)
		}
	}
}

// TestFillReply fills answers to real corpus statements.
func TestFillReply(t *testing.T) {
	cfg := loadConfig(t)
	tests := []struct {
		file       string
		format     config.SheetFormat
		title      string
		addressees []string
		refs       []string
		sendTo     string
		reference  string
	}{
		{"06-itu-sg15-text-action.eml", config.FormatITU,
			"LS/r on management of OTN network slicing (reply to SG15-LS45)",
			[]string{"Q11/15", "Q12/15"}, []string{"SG15-LS45"}, "hiroshi.ota@example.com",
			`SG15-LS45 "LS on management of OTN network slicing" (ITU-T Study Group 15, 2027-02-12)`},
		{"12-3gpp-sa2-text-action.eml", config.Format3GPP,
			"Reply LS on IPv6 multi-homing for PDU Sessions with distributed anchors",
			[]string{"SA2"}, []string{"S2-2701234"}, "3GPPLiaison@etsi.org",
			`S2-2701234 "LS on IPv6 multi-homing for PDU Sessions with distributed anchors" (3GPP TSG SA WG2, 2027-03-01)`},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			in := incoming(t, cfg, tc.file, "LS-2027-0005")
			f, err := FillReply(in, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tc.title || !slices.Equal(f.Addressees, tc.addressees) || !slices.Equal(f.PeerRefs, tc.refs) || f.Reference != tc.reference {
				t.Errorf("fill %+v\nwant title %q, addressees %v, refs %v, reference %q", f, tc.title, tc.addressees, tc.refs, tc.reference)
			}
			if len(f.SendTo) != 1 || f.SendTo[0].Email != tc.sendTo {
				t.Errorf("send to %v, want the response contact %s", f.SendTo, tc.sendTo)
			}
			if f.Answers != "LS-2027-0005" {
				t.Errorf("answers %q", f.Answers)
			}
		})
	}
	// Only an incoming statement can be answered.
	out := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0006")
	out.Extraction.Direction = liaison.Outgoing
	if _, err := FillReply(out, config.FormatITU); !errors.Is(err, ErrInput) {
		t.Errorf("answering an outgoing statement: %v, want ErrInput", err)
	}
	msg := &liaison.Record{ID: "MSG-2027-000004", Extraction: liaison.Extraction{Kind: liaison.KindReply}}
	if _, err := FillReply(msg, config.FormatITU); !errors.Is(err, ErrInput) {
		t.Errorf("answering a reply mail: %v, want ErrInput", err)
	}
}

// TestNewDraftReply starts an answer from the incoming statement alone.
func TestNewDraftReply(t *testing.T) {
	cfg := loadConfig(t)
	in := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0005")
	rec := draft(t, cfg, Request{FromGroups: []string{"ccamp", "teas", "ccamp"}}, in)
	x, ob := rec.Extraction, rec.Outbound
	if rec.State != liaison.StateDraft || ob.State != liaison.OutboundDraft || rec.Origin != Origin {
		t.Errorf("state %s/%s origin %q, want draft/draft from %q", rec.State, ob.State, rec.Origin, Origin)
	}
	if ob.Org != "itu-t-sg15" || rec.Routing.OrgID != "itu-t-sg15" || x.Direction != liaison.Outgoing || x.Kind != liaison.KindStatement {
		t.Errorf("org %q/%q direction %q kind %q", ob.Org, rec.Routing.OrgID, x.Direction, x.Kind)
	}
	if !slices.Equal(ob.FromGroups, []string{"ccamp", "teas"}) || x.FromGroup != "IETF CCAMP WG and IETF TEAS WG" {
		t.Errorf("from groups %v %q", ob.FromGroups, x.FromGroup)
	}
	if x.Purpose != liaison.PurposeResponse || x.Title != "LS/r on management of OTN network slicing (reply to SG15-LS45)" {
		t.Errorf("purpose %q title %q", x.Purpose, x.Title)
	}
	if !slices.Equal(ob.Addressees, []string{"Q11/15", "Q12/15"}) || ob.Answers != in.ID || !slices.Equal(rec.Links, []string{in.ID}) {
		t.Errorf("addressees %v answers %q links %v", ob.Addressees, ob.Answers, rec.Links)
	}
	if len(x.ResponseContacts) != 1 || x.ResponseContacts[0].Email != cfg.LiaisonAddress {
		t.Errorf("reply contacts %v, want the liaison address so the answer is recorded", x.ResponseContacts)
	}
	if len(rec.Routing.Managers) != 1 || rec.Routing.Managers[0].Email != "jane.doe@example.org" {
		t.Errorf("managers %v", rec.Routing.Managers)
	}
	if x.Subject != "LS from IETF CCAMP WG and IETF TEAS WG to ITU-T Study Group 15: LS/r on management of OTN network slicing (reply to SG15-LS45)" {
		t.Errorf("subject %q", x.Subject)
	}
	// What the request says wins over what the answered statement suggests.
	req := Request{Title: "LS on our own topic", Purpose: liaison.PurposeAction, Addressees: []string{"Q14/15"}, FromGroups: []string{"ccamp"}}
	rec = draft(t, cfg, req, in)
	if rec.Extraction.Title != req.Title || rec.Extraction.Purpose != req.Purpose || !slices.Equal(rec.Outbound.Addressees, req.Addressees) {
		t.Errorf("request overridden: %q %q %v", rec.Extraction.Title, rec.Extraction.Purpose, rec.Outbound.Addressees)
	}
}

func TestNewDraftRefuses(t *testing.T) {
	cfg := loadConfig(t)
	in := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0005")
	tests := []struct {
		name     string
		req      Request
		answered *liaison.Record
		want     string
	}{
		{"unknown organization", Request{Org: "itu-t-sg99", FromGroups: []string{"ccamp"}}, nil, `unknown organization "itu-t-sg99"`},
		{"organization without outgoing rules", Request{Org: "mef", FromGroups: []string{"opsawg"}}, nil, `organization "mef" has no outgoing section`},
		{"unknown group", Request{Org: "bbf", FromGroups: []string{"ccmap"}}, nil, `unknown IETF group "ccmap"`},
		{"bad purpose", Request{Org: "bbf", FromGroups: []string{"opsawg"}, Purpose: "fyi"}, nil, `purpose "fyi"`},
		{"answer to another organization", Request{Org: "3gpp-sa2", FromGroups: []string{"dmm"}}, in, `LS-2027-0005 is from "itu-t-sg15", not from "3gpp-sa2"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDraft(cfg, "LS-2027-0012", tc.req, tc.answered, now)
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInput containing %q", err, tc.want)
			}
		})
	}
}

func TestSubjectTemplate(t *testing.T) {
	cfg := loadConfig(t)
	cfg.Organizations[0].Outgoing.Subject = "[{id}] {purpose}: {title} (ref {ref})\r\nBcc: x@evil.example"
	in := incoming(t, cfg, "06-itu-sg15-text-action.eml", "LS-2027-0005")
	rec := draft(t, cfg, Request{FromGroups: []string{"ccamp"}}, in)
	want := "[LS-2027-0012] In response: LS/r on management of OTN network slicing (reply to SG15-LS45) (ref SG15-LS45) Bcc: x@evil.example"
	if rec.Extraction.Subject != want {
		t.Errorf("subject %q, want %q (one line)", rec.Extraction.Subject, want)
	}
}

package mailproc

import (
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestTrackerRecognise(t *testing.T) {
	tests := []struct {
		name, subject, text string
		want                liaison.Shape
	}{
		{"notice subject and a title", `New Liaison Statement, "LS on X"`, "Title: LS on X\n", liaison.ShapeTracker},
		{"notice subject and a purpose", `New Liaison Statement, "LS on X"`, "Purpose: For action\n", liaison.ShapeTracker},
		{"labels alone", "LS on X", "Title: LS on X\nSubmission Date: 2027-01-02\nPurpose: For information\n", liaison.ShapeTracker},
		{"a title alone is no notice", "LS on X", "Title: LS on X\nTo: IETF\n", ""},
	}
	for _, tt := range tests {
		if got := recognisedBy(tt.text, tt.subject); got != tt.want {
			t.Errorf("%s: recognised as %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTrackerRead(t *testing.T) {
	tests := []struct {
		name, subject, text string
		want                []fieldCase
	}{
		{"classic layout", `New Liaison Statement, "LS on OTN YANG models and their alignment with G.875"`, trackerBody, []fieldCase{
			{"title", "LS on OTN YANG models and their alignment with G.875"},
			{"deadline", "2027-03-15"}, {"purpose", "action"}, {"from_org_text", "ITU-T SG15"},
			{"to", "Common Control and Measurement Plane (ccamp@ietf.example) | Traffic Engineering Architecture and Signaling (teas@ietf.example)"},
			{"cc", "ccamp-chairs@ietf.example"},
			{"response_contacts", "hiroshi.ota@example.com,tsbsg15@itu.int"},
			{"technical_contacts", "sergio.belotti@example.org,italo.busi@example.org"},
			{"url", "https://datatracker.ietf.example/liaison/1921/"},
			{"in_response_to", ""},
		}},
		{"reply with a referenced liaison", `New Liaison Statement, "Reply to LS on DetNet"`,
			"Title: Reply to LS on DetNet\nSubmission Date: 2027-02-20\nFrom: IETF DetNet WG\nTo: IEEE 802.1 WG\nPurpose: In response\nReferenced liaison: LS on TSN and DetNet (https://datatracker.ietf.example/liaison/1900/)\nBody: Thanks.\n",
			[]fieldCase{{"purpose", "response"}, {"in_response_to", "LS on TSN and DetNet"}, {"from_org_text", "IETF DetNet WG"}, {"to", "IEEE 802.1 WG"}, {"body", "Thanks."}}},
		{"real layout: group then contact", `New Liaison Statement, "LS on SG15 work plan"`,
			"Title: LS on SG15 work plan\nSubmission Date: 2027-03-01\nURL of the IETF Web page: https://datatracker.ietf.example/liaison/2001/\nPlease reply by 2027-05-01\nFrom: ITU-T-SG-15 (Hiroshi Ota <hiroshi.ota@example.com>)\nTo: ccamp (Chairs <ccamp-chairs@ietf.example>)\nPurpose: For comment\nBody: See attachment.\n",
			[]fieldCase{{"deadline", "2027-05-01"}, {"purpose", "comment"}, {"from_org_text", "ITU-T-SG-15"}, {"to", "ccamp"}}},
		{"current layout: persons only", `New Liaison Statement, "LS on X"`,
			"Title: LS on X\nSubmission Date: 2027-03-01\nFrom: Marco Rossi\nTo: Marcus Ihlar, Tommy Pauly\nPurpose: For information\nBody: ITU-T Study Group 13 thanks the IETF IPPM working group.\n",
			[]fieldCase{{"from_org_text", ""}, {"to", ""}, {"purpose", "info"}}},
		{"an IETF group by its acronym", `New Liaison Statement, "Status"`,
			"Title: Status\nSubmission Date: 2027-05-13\nFrom: teas (Oscar Gonzalez de Dios <oscar@example.es>)\nTo: ITU-T-SG-13 (Marco Rossi <marco.rossi@example.org>)\nPurpose: For comment\n",
			[]fieldCase{{"from_org_text", "teas"}, {"to", "ITU-T-SG-13"}}},
		{"an IETF group by its name to a peer's acronym: sent by the IETF", `New Liaison Statement, "New liaison to ITU-T SG13"`,
			"Title: New liaison to ITU-T SG13\nSubmission Date: 2021-11-23\nFrom: Deterministic Networking (Scott Mansfield <scott@example.com>)\nTo: ITU-T-SG-13 (tsbsg13@itu.int)\nPurpose: For information\n",
			[]fieldCase{{"direction", "outgoing"}, {"from_org_text", "Deterministic Networking"}}},
		{"several IETF groups to a peer with contacts in parentheses", `New Liaison Statement, "Response"`,
			"Title: Response\nFrom: IPv6 Maintenance, Internet Area, Security Area (Deb <deb@example.com>)\nTo: ESTI-TC-CYBER (a@example.com, CyberSupport@etsi.org)\nPurpose: In response\n",
			[]fieldCase{{"direction", "outgoing"}, {"purpose", "response"}}},
		{"a peer's acronym in From: incoming", `New Liaison Statement, "LS"`,
			"Title: LS\nFrom: MEF (MEF Liaison <liaison@mef.net>)\nTo: Common Control and Measurement Plane (Daniele <d@example.com>)\nPurpose: For information\n",
			[]fieldCase{{"direction", "incoming"}}},
		{"the 2007 template: \"Reponse Contact\"", `New Liaison Statement, "LS"`,
			"Title: LS\nSubmission Date: 2007-04-08\nFrom: IETF CCAMP WG (Adrian <adrian@example.org>)\nTo: ITU-T SG 15 (tsbsg15@itu.int)\nReponse Contact: adrian@example.org, deborah@example.com\nTechnical Contact: adrian@example.org\nPurpose: For action\n",
			[]fieldCase{{"response_contacts", "adrian@example.org,deborah@example.com"}, {"technical_contacts", "adrian@example.org"}, {"direction", "outgoing"}}},
	}
	for _, tt := range tests {
		x := readBlock(t, trackerReader{}, tt.text, tt.subject)
		checkFields(t, tt.name, x, tt.want)
	}
}

func TestTrackerAttachmentIDs(t *testing.T) {
	text := "Title: LS on a 5GS DetNet node\nPurpose: For comment\nBody: See below.\nAttachments:\n\n    SP-211633_rev02\n    https://datatracker.ietf.example/documents/LIAISON/a1.docx\n\n    S2-2207432 was 6103r09\n    https://datatracker.ietf.example/documents/LIAISON/a2.docx\n"
	b := newBlock(text, string(liaison.ShapeTracker), "")
	b.reader = trackerReader{}
	x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
	ids := collectIDs(x, view{text: text}, []*block{b})
	for _, want := range []string{"SP-211633", "S2-2207432"} {
		found := false
		for _, id := range ids {
			found = found || id == want
		}
		if !found {
			t.Errorf("ids %v lack %s (every attachment title counts, past the blank lines)", ids, want)
		}
	}
}

package mailproc

import (
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestITURecognise(t *testing.T) {
	tests := []struct {
		name, text string
		want       liaison.Shape
	}{
		{"full sheet", ituBody, liaison.ShapeITU},
		{"two ITU labels without the heading", "Source: ITU-T SG13\nFor action to: IETF PCE\nDeadline: 1 May 2027\n", liaison.ShapeITU},
		{"one ITU label under the heading", "LIAISON STATEMENT\nTitle: LS on X\nFor information to: IETF\n", liaison.ShapeITU},
		{"one label, no heading", "Title: LS on X\nContact: Jane <jane@example.com>\n", ""},
	}
	for _, tt := range tests {
		if got := recognisedBy(tt.text, ""); got != tt.want {
			t.Errorf("%s: recognised as %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestITURead(t *testing.T) {
	tests := []struct {
		name, text string
		want       []fieldCase
	}{
		{"sheet with questions and a column contact", ituBody, []fieldCase{
			{"title", "LS on management of OTN network slicing"}, {"purpose", "action"}, {"deadline", "2027-03-15"},
			{"from_org_text", "ITU-T Study Group 15"}, {"from_group", "Q11/15"},
			{"to", "IETF CCAMP WG | IETF TEAS WG"}, {"cc", "IEEE 802.1 | MEF"},
			{"technical_contacts", "hiroshi.ota@example.com"}, {"response_contacts", "hiroshi.ota@example.com"},
		}},
		{"for information only: the information addressees are the addressees",
			"LIAISON STATEMENT\nSource: ITU-T SG17\nTitle: LS on PKI profiles\nFor action to: -\nFor information to: IETF LAMPS WG\nDeadline: N/A\n",
			[]fieldCase{{"purpose", "info"}, {"to", "IETF LAMPS WG"}, {"cc", ""}, {"deadline", ""}, {"from_group", ""}}},
		{"reply sheet", "LIAISON STATEMENT\nSource: ITU-T SG15\nTitle: Reply to LS on OTN models\nFor comment to: IETF CCAMP\n",
			[]fieldCase{{"in_response_to", "LS on OTN models"}, {"purpose", "comment"}}},
		{"a reply sent for information to the IETF is information; the numbered reply in the title is what it answers",
			"LIAISON STATEMENT\nSource: ITU-T SG15\nTitle: LS on DWDM framework (reply to IETF CCAMP WG – LS17)\nFor action to: -\nFor information to: IETF CCAMP WG\n",
			[]fieldCase{{"in_response_to", "IETF CCAMP WG – LS17"}, {"purpose", "info"}}},
		{"the IETF only informed while others act: information, and the deadline is theirs",
			"LIAISON STATEMENT\nSource: ITU-T SG15\nTitle: LS on time synchronization\nFor action to: IEEE 802.1 TSN TG, ITU-T SG13\nFor information to: IETF DetNet WG\nDeadline: 1 September 2027\n",
			[]fieldCase{{"purpose", "info"}, {"deadline", ""}, {"to", "IEEE 802.1 TSN TG | ITU-T SG13"}, {"cc", "IETF DetNet WG"}}},
		{"a Question alone names its study group",
			"LIAISON STATEMENT\nSource: ITU-T Q14/15 (interim meeting, November 2005)\nTitle: ASON-related Work\nTo: IETF CCAMP WG\nFor: Action\n",
			[]fieldCase{{"from_org_text", "ITU-T SG15"}, {"from_group", "Q14/15"}}},
		{"study group from the header when no source",
			"STUDY GROUP 13\nLIAISON STATEMENT\nTitle: LS on slicing\nFor action to: IETF TEAS\n",
			[]fieldCase{{"from_org_text", "ITU-T SG13"}}},
	}
	for _, tt := range tests {
		x := readBlock(t, ituReader{}, tt.text, "")
		checkFields(t, tt.name, x, tt.want)
	}
}

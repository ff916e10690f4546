package mailproc

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestGPPRecognise(t *testing.T) {
	tests := []struct {
		name, text string
		want       liaison.Shape
	}{
		{"sheet with header line", gppBody, liaison.Shape3GPP},
		{"labels without header line", "Title: LS on X\nRelease: Rel-19\nSource: SA WG2\nTo: IETF DMM\n", liaison.Shape3GPP},
		{"reply-to contact and work item", "Title: LS on X\nWork Item: FS_X\nSend any reply LS to: 3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org\n", liaison.Shape3GPP},
	}
	for _, tt := range tests {
		if got := recognisedBy(tt.text, ""); got != tt.want {
			t.Errorf("%s: recognised as %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGPPRead(t *testing.T) {
	noAction := strings.Replace(gppBody, "ACTION: SA WG2 kindly asks IETF DMM WG to answer the questions above\nbefore the next SA WG2 meeting (Fukuoka, 19-23 April 2027).", "ACTION: None.", 1)
	reply := strings.Replace(noAction, "Response to:            -", "Response to:            LS on SRv6 (IETF DMM WG, LS-2026-0042)", 1)
	tests := []struct {
		name, text string
		want       []fieldCase
	}{
		{"action sheet", gppBody, []fieldCase{
			{"title", "LS on IPv6 multi-homing for PDU Sessions"}, {"purpose", "action"},
			{"from_org_text", "3GPP TSG SA WG2"}, {"from_group", "SA2"},
			{"to", "IETF DMM WG | IETF 6MAN WG"}, {"cc", "CT WG4"},
			{"response_contacts", "3GPPLiaison@etsi.org"}, {"technical_contacts", "mei.chen@example.com"},
			{"in_response_to", ""},
		}},
		{"no action is information", noAction, []fieldCase{{"purpose", "info"}}},
		{"a section without a colon saying None is information, whatever the description wishes",
			strings.Replace(strings.Replace(strings.Replace(gppBody, "2. Actions:\nTo IETF DMM WG.\nACTION: SA WG2 kindly asks IETF DMM WG to answer the questions above\nbefore the next SA WG2 meeting (Fukuoka, 19-23 April 2027).", "2. Actions\nNone.", 1),
				"1. Overall Description:", "1. Overall description", 1), "\n\n2. Actions", "\nSA WG2 would welcome a standard extension and would be glad to work on it with DMM.\n\n2. Actions", 1),
			[]fieldCase{{"purpose", "info"}}},
		{"an ACTION asking for comments is for comment", strings.Replace(gppBody, "to answer the questions above", "to review the text above and send any comments", 1), []fieldCase{{"purpose", "comment"}}},
		{"a request to take the above into account is information", strings.Replace(gppBody, "ACTION: SA WG2 kindly asks IETF DMM WG to answer the questions above", "SA WG2 kindly asks IETF DMM WG to take the above into account", 1), []fieldCase{{"purpose", "info"}}},
		{"no action in a reply is a response", reply, []fieldCase{{"purpose", "response"}, {"in_response_to", "LS on SRv6 (IETF DMM WG, LS-2026-0042)"}}},
		{"the To line's purpose for the IETF beats the ACTION section",
			strings.Replace(strings.Replace(gppBody, "To:                     IETF DMM WG, IETF 6MAN WG", "To:                     GSMA FASG, IETF DMM WG (for information)", 1), "To IETF DMM WG.\nACTION: SA WG2 kindly asks IETF DMM WG", "To GSMA FASG.\nACTION: SA WG2 kindly asks GSMA FASG", 1),
			[]fieldCase{{"purpose", "info"}}},
		{"the IETF only in Cc: information, though the LS answers someone else",
			strings.Replace(strings.Replace(reply, "To:                     IETF DMM WG, IETF 6MAN WG", "To:                     ETSI ISG NGP", 1), "Cc:                     CT WG4", "Cc:                     IETF, TSG CT", 1),
			[]fieldCase{{"purpose", "info"}}},
		{"source without 3GPP takes the header's name",
			"3GPP TSG CT WG4 Meeting #128  C4-275678\nTitle: LS on N4\nSource: CT WG4\nTo: IETF DMM WG\nRelease: Rel-19\n",
			[]fieldCase{{"from_org_text", "3GPP TSG CT WG4"}, {"from_group", "CT4"}}},
	}
	for _, tt := range tests {
		x := readBlock(t, gppReader{}, tt.text, "")
		checkFields(t, tt.name, x, tt.want)
	}
}

package mailproc

import (
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestProseLabelledLetter(t *testing.T) {
	tests := []struct {
		name, text string
		want       []fieldCase
	}{
		{"title, from, to and purpose lines",
			"Title: LS on service OAM\nFrom: MEF Forum (Alex Park <alex@mef.example>)\nTo: IETF OPSAWG\nPurpose: For comment\nDeadline: 30 June 2027\n",
			[]fieldCase{{"title", "LS on service OAM"}, {"from_org_text", "MEF Forum"}, {"to", "IETF OPSAWG"}, {"purpose", "comment"}, {"deadline", "2027-06-30"}}},
	}
	for _, tt := range tests {
		b := newBlock(tt.text, "prose", "")
		if !(proseReader{}).recognise(b, "") {
			t.Errorf("%s: not recognised", tt.name)
			continue
		}
		x := readBlock(t, proseReader{}, tt.text, "")
		checkFields(t, tt.name, x, tt.want)
	}
}

func TestProseSentences(t *testing.T) {
	tests := []struct {
		name, subject, text string
		want                []fieldCase
	}{
		{"from, to, purpose and deadline in one sentence", "LS on OTN YANG", proseBody, []fieldCase{
			{"from_org_text", "ITU-T SG15"}, {"to", "IETF CCAMP"}, {"purpose", "action"}, {"deadline", "2027-03-15"}, {"title", "LS on OTN YANG"}}},
		{"subject names sender and addressee", "IEEE 802.11 LS to IETF 6MAN: IPv6 ND with randomized MAC addresses",
			"Dear chairs,\n\nplease see the attached letter, for action.\n", []fieldCase{
				{"from_org_text", "IEEE 802.11"}, {"to", "IETF 6MAN"}, {"title", "IPv6 ND with randomized MAC addresses"}, {"purpose", "action"}}},
		{"reply in prose", "LS on SRv6", "This letter is sent in response to S2-2701234 on SRv6.\n",
			[]fieldCase{{"in_response_to", "S2-2701234"}, {"purpose", "response"}}},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		v := view{subject: tt.subject, text: tt.text}
		f := newFiller(x)
		readProseRef(f, v)
		readSentences(f, v)
		checkFields(t, tt.name, x, tt.want)
	}
}

func TestRequestPurpose(t *testing.T) {
	tests := []struct{ text, want string }{
		{"We would appreciate your comments on the annex before September.", "comment"},
		{"MEF requests the IETF OPSAWG to comment on the tables.", "comment"},
		{"We ask 6MAN for its view on whether ND should see one interface, and would appreciate a response by August.", "action"},
		{"Comments are requested by the 15th of September 2027.", "comment"},
		{"No further action is requested. We thank you.", ""},
		{"No reply is needed.\n\nPlease reply to the secretariat with any question.", "action"},
		{"This letter informs you of our progress.", ""},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		readRequestPurpose(newFiller(x), passage{tt.text, "prose", ""})
		if string(x.Purpose) != tt.want {
			t.Errorf("%q: purpose %q, want %q", tt.text, x.Purpose, tt.want)
		}
	}
}

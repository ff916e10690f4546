package mailproc

import (
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestLooksLikePersonOrOrg(t *testing.T) {
	tests := []struct {
		s           string
		person, org bool
	}{
		{"Marco Rossi", true, false},
		{"Oscar Gonzalez de Dios", true, false},
		{"Pascal Alvarez", true, false},
		{"Deterministic Networking", false, false},
		{"Common Control and Measurement Plane", false, false},
		{"MEF Forum", false, true},
		{"ITU-T Study Group 13", false, true},
		{"IETF PCE working group", false, true},
		{"O-RAN ALLIANCE Working Group 11", false, true},
		{"TTC IPv6 Working Group", false, true},
		{"6MAN", false, true},
		{"teas", false, false},
		{"Our working group", false, false},
		{"We", false, false},
	}
	for _, tt := range tests {
		if got := looksLikePerson(tt.s); got != tt.person {
			t.Errorf("looksLikePerson(%q) = %v, want %v", tt.s, got, tt.person)
		}
		if got := looksLikeOrg(tt.s); got != tt.org {
			t.Errorf("looksLikeOrg(%q) = %v, want %v", tt.s, got, tt.org)
		}
	}
}

func TestLetterParties(t *testing.T) {
	tests := []struct {
		name, text string
		doc        bool // read as an attached document (letterhead allowed)
		from, to   string
		fromRule   string
	}{
		{"first sentence with an abbreviation", "Dear OPSAWG chairs,\n\nThe Metro Ethernet Forum (MEF) has approved a project.\n", false,
			"Metro Ethernet Forum", "OPSAWG", "first sentence"},
		{"first sentence after a tracker Body label", "Title: X\n\nBody: ITU-T Study Group 13 thanks the IETF IPPM working group for its work.\n", false,
			"ITU-T Study Group 13", "IETF IPPM working group", "first sentence"},
		{"a person's first sentence is no sender", "Dear all,\n\nGlenn Harper would like to present the attached.\n", false, "", "", ""},
		{"signature with a role", "Dear 6MAN chairs,\n\nWe ask for a view.\n\nSincerely,\n\nRita Okafor\nChair, IEEE 802.11 Working Group\n", false,
			"IEEE 802.11 Working Group", "6MAN", "signature"},
		{"signature of chairs", "Dear colleagues of ITU-T Study Group 13,\n\nThanks.\n\nBest regards,\nJulien and Dhruv\nIETF PCE WG chairs\n", false,
			"IETF PCE WG", "ITU-T Study Group 13", "signature"},
		{"letterhead of a document", "IEEE 802.1 Working Group\nIEEE 802 LAN/MAN Standards Committee\n1 June 2027\nDear DetNet chairs,\n", true,
			"IEEE 802.1 Working Group", "DetNet", "letterhead"},
		{"ITU letterhead lines are not the sender", "INTERNATIONAL TELECOMMUNICATION UNION\nTELECOMMUNICATION STANDARDIZATION SECTOR\nSTUDY PERIOD 2025-2028\n", true, "", "", ""},
		{"the IETF participants", "Dear IETF participants,\n\nThe O-RAN ALLIANCE Working Group 11 (Security) would like to inform the IETF.\n", false,
			"O-RAN ALLIANCE Working Group 11", "IETF", "first sentence"},
		{"Sir or Madam is nobody", "Dear Sir or Madam,\n\nplease find the attached document.\n", false, "", "", ""},
		{"what the IETF did is no sender", "Dear colleagues,\n\nThe IETF CCAMP WG has published RFC 9999 on OTN models.\n\nITU-T SG15 thanks CCAMP for this work.\n", false,
			"ITU-T SG15", "CCAMP", "first sentence"},
		{"the IETF writing is the sender", "The IETF PCE working group thanks SG13 for its LS.\n", false, "IETF PCE working group", "SG13", "first sentence"},
		{"request names the addressee", "MEF requests the IETF OPSAWG to comment on the tables.\n", false, "MEF", "IETF OPSAWG", "first sentence"},
		{"first sentence under a section heading", "Title: X\n\nBody: 1. Overall Description:\nThe 3GPP CT4 working group (Core Network and Terminals) informs the IETF\nthat it started a study.\n", false,
			"3GPP CT4 working group", "", "first sentence"},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		f := newFiller(x)
		p := passage{tt.text, "prose", ""}
		if tt.doc {
			p = passage{tt.text, "docx", "letter.docx"}
			readLetterhead(f, p)
		}
		readFirstSentence(f, p)
		readSignature(f, p)
		readAddressee(f, p)
		to := ""
		if len(x.ToText) > 0 {
			to = x.ToText[0]
		}
		if x.FromOrgText != tt.from || to != tt.to {
			t.Errorf("%s: from %q to %q, want from %q to %q", tt.name, x.FromOrgText, to, tt.from, tt.to)
		}
		if tt.fromRule != "" {
			if src := x.Sources["from_org_text"]; !strings.Contains(src.Detail, tt.fromRule) {
				t.Errorf("%s: from source %+v, want rule %q", tt.name, src, tt.fromRule)
			}
		}
	}
}

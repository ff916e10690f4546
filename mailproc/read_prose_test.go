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
		{"a liaison letter's head: Liaison to, Copy to, Subject; the IETF only copied",
			"IEEE 802.1 Working Group\nLiaison to: MEF Forum Technical Committee\nCopy to: ITU-T SG15; IETF LIME WG\nSubject: IEEE 802.1 CFM YANG module\n\nThank you for your liaison \"Revision to MEF 38\".\n",
			[]fieldCase{{"title", "IEEE 802.1 CFM YANG module"}, {"to", "MEF Forum Technical Committee"}, {"cc", "ITU-T SG15 | IETF LIME WG"}, {"purpose", "info"}}},
		{"a letter the IETF's people send: the IETF copied is its own copy, not information",
			"To: ETSI TC CYBER\nCc: IETF Chair\nFrom: Kathleen Moriarty and Eric Rescorla, IETF Security Area Directors\nSubject: Concerns with McTLS\nDeadline: 6 October 2017\n\nWe formally request that ETSI rename mcTLS.\n",
			[]fieldCase{{"from_org_text", "IETF"}, {"from_group", "Security Area"}, {"purpose", ""}, {"deadline", "2017-10-06"}}},
	}
	for _, tt := range tests {
		b := newBlock(tt.text, "prose", "")
		if !(proseReader{}).recognise(b, "") || !isLetter(b) {
			t.Errorf("%s: not recognised as a letter", tt.name)
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
		{"where replies go, in a sentence", "Liaison response on FG NET2030 deliverables", "We remain concerned.\n\nPlease send any reply to the IETF Chair at chair@ietf.example.\n\nBest regards,\n",
			[]fieldCase{{"response_contacts", "chair@ietf.example"}}},
		{"\"address it to\" after asking for a response, two names in brackets", "Concerns with McTLS",
			"We would appreciate your response by 6 October 2017. Please address it to both of us:\nKathleen Moriarty <kathleen@example.com> and Eric Rescorla <ekr@example.com>.\nRegards,\n",
			[]fieldCase{{"response_contacts", "kathleen@example.com,ekr@example.com"}, {"deadline", "2017-10-06"}}},
		{"\"send it to\" with no response asked for is not where replies go", "LS on OTN",
			"The new draft is attached. Please send it to your experts at experts@itu.example for review.\n",
			[]fieldCase{{"response_contacts", ""}}},
		{"replies should be sent to", "LS on OTN", "Replies should be sent to the SG15 secretariat (tsbsg15@itu.int) and to the rapporteur.\n",
			[]fieldCase{{"response_contacts", "tsbsg15@itu.int"}}},
		{"\"Liaison response to\" a numbered LS in the title", "Liaison response to LS SP-201142 on Use of Inclusive Language", "Dear Georg,\nThank you.\n",
			[]fieldCase{{"in_response_to", "LS SP-201142 on Use of Inclusive Language"}}},
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
		{"SG15 invites the IETF to take note of the new Recommendation.", "info"},
		{"It defines four new request header fields. Comments from participants are welcome until November.", "comment"},
		{"The draft adds a request header field for the origin.", ""},
		{"CT4 kindly requests IETF DMM to take the above initial feedback into account.", "info"},
		{"SA3 kindly asks the IETF to take into account that RFCs are needed.", "info"},
		{"SA WG3 kindly asks IETF LAMPS WG to provide feedback on the questions above.", "action"},
		{"SA2 kindly asks IETF DetNet to review the assumptions above and to send any comments by 30 December.", "comment"},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		readRequestPurpose(newFiller(x), passage{tt.text, "prose", ""})
		if string(x.Purpose) != tt.want {
			t.Errorf("%q: purpose %q, want %q", tt.text, x.Purpose, tt.want)
		}
	}
}

func TestPurposePhrase(t *testing.T) {
	tests := []struct {
		name, text, want string
		othersAct        bool
	}{
		{"plain", "This LS is sent for action.", "action", false},
		{"a quoted earlier title is not the purpose", "We sent you our LS \"For action: IPv6 ND with randomized\nMAC addresses\". This LS is for information only.", "info", false},
		{"the IETF's purpose among several", "SG15 sends this LS to IEEE 802.1 for action and to the IETF DetNet WG for information.", "info", true},
		{"the IETF asked to act", "This LS is sent to the IETF LAMPS WG for action and to ETSI for information.", "action", false},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		f := newFiller(x)
		readPurposePhrase(f, passage{tt.text, "prose", ""})
		if string(x.Purpose) != tt.want || f.st.othersAct != tt.othersAct {
			t.Errorf("%s: purpose %q othersAct %v, want %q %v", tt.name, x.Purpose, f.st.othersAct, tt.want, tt.othersAct)
		}
	}
}

func TestIETFPurposePhrase(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"copied to the IETF", "Thank you for your liaison response. We will share our models.\nThis liaison is copied to the IETF for information.", "info"},
		{"no phrase about the IETF", "We send this reply to SG15 for action.", ""},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		readIETFPurposePhrase(newFiller(x), passage{tt.text, "prose", ""})
		if string(x.Purpose) != tt.want {
			t.Errorf("%s: purpose %q, want %q", tt.name, x.Purpose, tt.want)
		}
	}
}

func TestReference(t *testing.T) {
	tests := []struct {
		name, text, want string
		foreign          bool
	}{
		{"thanks with an id", "ITU-T SG17 thanks IETF LAMPS for its liaison on certificate transparency\n(LS-2026-0031) and informs LAMPS.", "LS-2026-0031", false},
		{"letters of dates", "Thank you for your letters of 4 and 19 April 2027 on certificate extensions.", "your letters of 4 and 19 April 2027", false},
		{"follow-up of our own", "Following our liaison LIAISE-512 of January 2027, the Broadband Forum has completed it.", "LIAISE-512", true},
		{"quoted title", "IEEE 802.11 sent you our LS \"For action: IPv6 ND\" (11-27/0321r0).", "11-27/0321r0", true},
		{"on a subject", "CT WG1 thanks the IETF ADD WG for its LS on edge DNS discovery and confirms the procedure.", "LS on edge DNS discovery and confirms the procedure", false},
		{"no reference", "ITU-T Study Group 13 thanks the IETF IPPM working group for its continued work.", "", false},
		{"dated letters with titles: the title", "Thank you for the information in your liaisons dated May 18, 2017 “Liaison on YANG Model Development” and September 14, 2017 “For Action: YANG model for CFM OAM”.", "Liaison on YANG Model Development", false},
		{"a third party's liaison", "The IEEE 802.1 Working Group thanks ITU-T Study Group 13 for the information in its\nliaison statement SG13-LS217 on deterministic communication.", "SG13-LS217", true},
		{"thanks for a statement named without a determiner, its number typed with en dashes", "The IETF thanks the ITU-T for liaison statement COM 16 – LS 124 – E, received in November 2009.", "COM 16 – LS 124 – E", false},
		{"an ISO/IEC document number", "Thank you for your liaison statement SC 29 N 10775, dated November 5, 2009.", "SC 29 N 10775", false},
		{"a title after \"titled\"", "Q14/15 thanks the IETF CCAMP working group for its liaison\nresponse titled \"Cooperative Relationship\". Please find our answer.", "Cooperative Relationship", false},
	}
	for _, tt := range tests {
		x := &liaison.Extraction{Sources: map[string]liaison.Source{}}
		f := newFiller(x)
		readReference(f, passage{tt.text, "prose", ""})
		if x.InResponseTo != tt.want || f.st.foreignRef != tt.foreign {
			t.Errorf("%s: in_response_to %q foreign %v, want %q %v", tt.name, x.InResponseTo, f.st.foreignRef, tt.want, tt.foreign)
		}
	}
}

func TestTitleFromSubject(t *testing.T) {
	tests := []struct{ subject, want string }{
		{`New Liaison Statement, "LS on OTN YANG"`, "LS on OTN YANG"},
		{"Re: [CCAMP] LS: Update on FlexE", "Update on FlexE"},
		{"IEEE 802.11 LS to IETF 6MAN: IPv6 ND with randomized MAC addresses", "IPv6 ND with randomized MAC addresses"},
		{"LS from ITU-T SG13 to IETF PCE WG on path computation [SG13-LS88]", "LS on path computation"},
		{"Liaison from IEEE 802.1 on MAC address randomization", "Liaison on MAC address randomization"},
		{"Liaison from TM Forum: Open API alignment (for information)", "Open API alignment"},
		{"LS from IETF DMM WG to 3GPP SA WG2: reply to S2-2701234 on IPv6", "reply to S2-2701234 on IPv6"},
		{"LS on hybrid certificates (CYBER(27)031)", "LS on hybrid certificates (CYBER(27)031)"},
	}
	for _, tt := range tests {
		if got := titleFromSubject(tt.subject); got != tt.want {
			t.Errorf("titleFromSubject(%q) = %q, want %q", tt.subject, got, tt.want)
		}
	}
}

func TestRoleSenders(t *testing.T) {
	tests := []struct {
		val, org, groups string
		ok               bool
	}{
		{"Adrian Farrel (IETF liaison to SG15, CCAMP WG chair) / Loa Andersson (IETF MPLS WG chairs) / Ross Callon (IETF Routing Area Director)",
			"IETF", "CCAMP WG, MPLS WG, Routing Area", true},
		{"Kathleen Moriarty and Eric Rescorla, IETF Security Area Directors", "IETF", "Security Area", true},
		{"Jane Doe, Chair, ITU-T Study Group 15", "ITU-T", "Study Group 15", true},
		{"Jane Doe and the TEAS chairs, IETF TEAS WG", "", "", false},
		{"Jane Doe (Rapporteur Q14/15)", "", "", false},
		{"IEEE 802.1 Working Group (Glenn Parsons, chair)", "", "", false},
		{"Broadband Forum", "", "", false},
	}
	for _, tt := range tests {
		org, groups, ok := roleSenders(tt.val)
		if org != tt.org || groups != tt.groups || ok != tt.ok {
			t.Errorf("roleSenders(%q) = %q, %q, %v; want %q, %q, %v", tt.val, org, groups, ok, tt.org, tt.groups, tt.ok)
		}
	}
}

func TestIETFOnlyCopiedIn(t *testing.T) {
	tests := []struct {
		to   string
		want bool
	}{
		{"Broadband Forum; IETF LIME WG (copy)", true},
		{"Broadband Forum, IETF NETMOD WG (for information)", true},
		{"Broadband Forum; IETF LIME WG", false},
		{"IETF LIME WG (copy)", false},
		{"BBF; IETF OPSAWG (cc); IETF NETMOD WG", false},
	}
	for _, tt := range tests {
		if got := ietfOnlyCopiedIn(tt.to); got != tt.want {
			t.Errorf("ietfOnlyCopiedIn(%q) = %v, want %v", tt.to, got, tt.want)
		}
	}
}

// TestHeadingTitle: a letter whose subject only names its sender and
// addressee is titled by the heading under its labels.
func TestHeadingTitle(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"heading under To/For/Source/Date", "Liaison Statement\n\nTo:      ITU-T SG 16\nFor:     Information\nSource:  IETF CODEC Working Group, Real-Time Applications and\n         Infrastructure Area (RAI)\nDate:    May 5, 2010\n\nSpeech and Audio Coding Standardization\n\nThe IETF thanks the ITU-T for its statement.\n", "Speech and Audio Coding Standardization"},
		{"a greeting is no title", "To: ITU-T SG 16\nFrom: IETF CODEC WG\n\nDear colleagues\n\nThe IETF thanks the ITU-T.\n", ""},
		{"a sentence is no title", "To: ITU-T SG 16\nFrom: IETF CODEC WG\n\nThe IETF thanks the ITU-T.\n\nMore text.\n", ""},
		{"a paragraph is no title", "To: ITU-T SG 16\nFrom: IETF CODEC WG\n\nSpeech and Audio Coding Standardization\nand more on the next line\n", ""},
		{"one label is not a letter's head", "To: ITU-T SG 16\n\nSpeech and Audio Coding Standardization\n\nText.\n", ""},
	}
	for _, tt := range tests {
		if got := headingTitle(tt.text); got != tt.want {
			t.Errorf("%s: headingTitle = %q, want %q", tt.name, got, tt.want)
		}
	}
	for subject, want := range map[string]bool{
		"Liaison statement from the IETF CODEC WG to ISO/IEC JTC 1/SC 29/WG 11": true,
		"Fwd: LS from ITU-T SG15 to IETF CCAMP":                                 true,
		"LS from ITU-T SG15 to IETF CCAMP on OTN YANG":                          false,
		"LS from ITU-T SG15 to IETF CCAMP: OTN YANG":                            false,
		"LS from ITU-T SG15 to IETF CCAMP - OTN YANG":                           false,
	} {
		if got := fromToOnly(subject); got != want {
			t.Errorf("fromToOnly(%q) = %v, want %v", subject, got, want)
		}
	}
}

package mailproc

import (
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
)

const trackerBody = `Title: LS on OTN YANG models and their
  alignment with G.875
Submission Date: 2027-02-16
URL of the IETF Web page: https://datatracker.ietf.example/liaison/1921/
Please reply by: 2027-03-15
From: Hiroshi Ota <hiroshi.ota@example.com> (ITU-T SG15)
To: Common Control and Measurement Plane (ccamp@ietf.example), Traffic Engineering Architecture and Signaling (teas@ietf.example)
Cc: ccamp-chairs@ietf.example
Response Contacts: Hiroshi Ota <hiroshi.ota@example.com>, tsbsg15@itu.int
Technical Contacts: Sergio Belotti <sergio.belotti@example.org>;
  Italo Busi <italo.busi@example.org>
Purpose: For action
Referenced liaison: (None)

Body: ITU-T SG15 asks CCAMP to review the attached draft.

Second paragraph of the body.

Attachments:

    LS on OTN YANG
    https://www.ietf.example/lib/dt/documents/LIAISON/attachment-1.docx
`

const ituBody = `INTERNATIONAL TELECOMMUNICATION UNION              SG15-LS45
TELECOMMUNICATION STANDARDIZATION SECTOR
STUDY PERIOD 2025-2028

STUDY GROUP 15                                     Original: English

Question(s):  11/15                 Geneva, 1-12 February 2027

LIAISON STATEMENT

SOURCE:              ITU-T Study Group 15
TITLE:               LS on management of OTN network slicing
FOR ACTION TO:       IETF CCAMP WG, IETF TEAS WG
FOR INFORMATION TO:  IEEE 802.1; MEF
APPROVAL:            Agreed at ITU-T SG15 meeting (Geneva, 12 February 2027)
DEADLINE:            15 March 2027
CONTACT:             Hiroshi Ota                Tel: +81 3 5555 0100
                     NTT                        E-mail: hiroshi.ota@example.com

ITU-T SG15 would like to inform IETF about its work.
The next SG15 meeting is 4-8 May 2027.
`

const gppBody = `3GPP TSG SA WG2 Meeting #178                                   S2-2701234
Athens, GR, 22 - 26 February 2027

Title:                  LS on IPv6 multi-homing for PDU Sessions
Response to:            -
Release:                Rel-19
Work Item:              FS_DMM_5G
Source:                 SA WG2
To:                     IETF DMM WG, IETF 6MAN WG
Cc:                     CT WG4
Contact Person:
    Name:               Mei Chen
    E-mail Address:     mei.chen@example.com
Send any reply LS to:   3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org
Attachments:            S2-2701000.zip

1. Overall Description:
SA WG2 is studying multi-homing.

2. Actions:
To IETF DMM WG.
ACTION: SA WG2 kindly asks IETF DMM WG to answer the questions above
before the next SA WG2 meeting (Fukuoka, 19-23 April 2027).

3. Date of Next TSG SA WG2 Meetings:
SA2#179     19 - 23 April 2027     Fukuoka, JP
`

const proseBody = `Dear CCAMP chairs,

Please find attached an LS from ITU-T SG15 to IETF CCAMP on OTN YANG, for
action, reply requested by 15 March 2027.

Regards,
Hiroshi
`

type want struct {
	kind      liaison.Kind
	shape     string
	title     string
	purpose   liaison.Purpose
	deadline  string
	fromOrg   string
	fromGroup string
	direction liaison.Direction
	to        []string
	cc        []string
	resp      []string // emails
	tech      []string // emails
	inResp    string   // substring
	ids       []string
	url       string
	body      string // substring
	sources   map[string]string
}

func checkWant(t *testing.T, x *liaison.Extraction, w want) {
	t.Helper()
	eq := func(field, got, want string) {
		t.Helper()
		if want != "" && got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	eq("kind", string(x.Kind), string(w.kind))
	eq("shape", string(x.Shape), w.shape)
	eq("title", x.Title, w.title)
	eq("purpose", string(x.Purpose), string(w.purpose))
	eq("deadline", x.Deadline.String(), w.deadline)
	eq("from_org_text", x.FromOrgText, w.fromOrg)
	eq("from_group", x.FromGroup, w.fromGroup)
	eq("direction", string(x.Direction), string(w.direction))
	eq("url", x.URL, w.url)
	list := func(field string, got, want []string) {
		t.Helper()
		if want != nil && strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	emails := func(cs []liaison.Contact) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Email)
		}
		return out
	}
	list("to_text", x.ToText, w.to)
	list("cc_text", x.CcText, w.cc)
	list("response_contacts", emails(x.ResponseContacts), w.resp)
	list("technical_contacts", emails(x.TechnicalContacts), w.tech)
	list("other_ids", x.OtherIDs, w.ids)
	if w.inResp != "" && !strings.Contains(x.InResponseTo, w.inResp) {
		t.Errorf("in_response_to = %q, want it to contain %q", x.InResponseTo, w.inResp)
	}
	if w.body != "" && !strings.Contains(x.Body, w.body) {
		t.Errorf("body lacks %q: %q", w.body, x.Body)
	}
	for f, where := range w.sources {
		if got := x.Sources[f].Where; got != where {
			t.Errorf("sources[%s] = %q, want %q", f, got, where)
		}
	}
	// Every filled statement field has a source.
	if x.Kind == liaison.KindStatement {
		for f, filled := range map[string]bool{
			"title": x.Title != "", "purpose": x.Purpose != "", "deadline": !x.Deadline.IsZero(),
			"from_org_text": x.FromOrgText != "", "from_group": x.FromGroup != "", "to_text": len(x.ToText) > 0,
			"cc_text": len(x.CcText) > 0, "response_contacts": len(x.ResponseContacts) > 0,
			"technical_contacts": len(x.TechnicalContacts) > 0, "in_response_to": x.InResponseTo != "",
			"other_ids": len(x.OtherIDs) > 0, "url": x.URL != "", "body": x.Body != "", "direction": x.Direction != "",
		} {
			if _, ok := x.Sources[f]; filled && !ok {
				t.Errorf("field %s is filled but has no source", f)
			}
		}
	}
}

func TestParseShapes(t *testing.T) {
	docx := buildDocx(t, [][2]string{
		{"Question(s):", "14/15"},
		{"Source:", "ITU-T Study Group 15"},
		{"Title:", "LS on YANG models for OTN fault management"},
		{"For action to:", "IETF CCAMP WG"},
		{"For information to:", "IETF NETMOD WG"},
		{"Approval:", "Agreed at the SG15 meeting (Geneva, 1-12 February 2027)"},
		{"Deadline:", "30 April 2027"},
		{"Contact:", "Ana Ribeiro\nRapporteur Q14/15\nE-mail: ana.ribeiro@example.com"},
	}, "SG15 asks CCAMP to consider the attached models.")
	tests := []struct {
		name string
		raw  []byte
		want want
	}{
		{"tracker notice (auto-generated, bulk)", textMsg("Liaison Statement Management Tool <lsmt@ietf.example>",
			`New Liaison Statement, "LS on OTN YANG models and their alignment with G.875"`,
			"Auto-Submitted: auto-generated\r\nPrecedence: bulk\r\n", trackerBody),
			want{kind: "statement", shape: "tracker", title: "LS on OTN YANG models and their alignment with G.875",
				purpose: "action", deadline: "2027-03-15", fromOrg: "ITU-T SG15", fromGroup: "SG15", direction: "incoming",
				to:   []string{"Common Control and Measurement Plane (ccamp@ietf.example)", "Traffic Engineering Architecture and Signaling (teas@ietf.example)"},
				resp: []string{"hiroshi.ota@example.com", "tsbsg15@itu.int"}, tech: []string{"sergio.belotti@example.org", "italo.busi@example.org"},
				url: "https://datatracker.ietf.example/liaison/1921/", body: "Second paragraph of the body.",
				sources: map[string]string{"deadline": "tracker", "title": "tracker", "purpose": "tracker"}}},
		{"ITU text cover sheet", textMsg("TSB SG15 <tsbsg15@itu.int>", "SG15-LS45: LS on management of OTN network slicing", "", ituBody),
			want{kind: "statement", shape: "itu", title: "LS on management of OTN network slicing", purpose: "action",
				deadline: "2027-03-15", fromOrg: "ITU-T Study Group 15", fromGroup: "Q11/15", direction: "incoming",
				to: []string{"IETF CCAMP WG", "IETF TEAS WG"}, cc: []string{"IEEE 802.1", "MEF"},
				resp: []string{"hiroshi.ota@example.com"}, tech: []string{"hiroshi.ota@example.com"}, ids: []string{"SG15-LS45"},
				sources: map[string]string{"deadline": "itu", "to_text": "itu"}}},
		{"3GPP sheet", textMsg("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "3GPP SA2 LS S2-2701234 on IPv6 multi-homing", "", gppBody),
			want{kind: "statement", shape: "3gpp", title: "LS on IPv6 multi-homing for PDU Sessions", purpose: "action",
				deadline: "2027-04-19", fromOrg: "3GPP TSG SA WG2", fromGroup: "SA2", direction: "incoming",
				to: []string{"IETF DMM WG", "IETF 6MAN WG"}, cc: []string{"CT WG4"},
				resp: []string{"3GPPLiaison@etsi.org"}, tech: []string{"mei.chen@example.com"}, ids: []string{"S2-2701234"},
				sources: map[string]string{"deadline": "prose", "purpose": "3gpp", "title": "3gpp"}}},
		{"prose with attachment", multiMsg("Hiroshi Ota <hiroshi.ota@example.com>", "LS on OTN YANG", "", "mixed",
			textPart(proseBody), filePart("LS-from-SG15-to-IETF-CCAMP.pdf", "application/pdf", []byte("%PDF-1.4 fake"))),
			want{kind: "statement", shape: "prose", title: "LS on OTN YANG", purpose: "action", deadline: "2027-03-15",
				fromOrg: "ITU-T SG15", fromGroup: "SG15", direction: "incoming", to: []string{"IETF CCAMP"},
				sources: map[string]string{"deadline": "prose", "from_org_text": "prose", "title": "subject"}}},
		{"docx cover sheet fills an empty mail", multiMsg("TSB SG15 <tsbsg15@itu.int>", "Liaison statement from ITU-T SG15 [SG15-LS52]", "", "mixed",
			textPart("Dear Sir/Madam,\n\nPlease see the attached liaison statement.\n"), filePart("SG15-LS52.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx)),
			want{kind: "statement", shape: "itu", title: "LS on YANG models for OTN fault management", purpose: "action",
				deadline: "2027-04-30", fromOrg: "ITU-T Study Group 15", fromGroup: "Q14/15", to: []string{"IETF CCAMP WG"},
				cc: []string{"IETF NETMOD WG"}, tech: []string{"ana.ribeiro@example.com"}, ids: []string{"SG15-LS52"},
				sources: map[string]string{"deadline": "docx", "title": "docx"}}},
		{"outgoing tracker notice", textMsg("Liaison Statement Management Tool <lsmt@ietf.example>", `New Liaison Statement, "Reply to LS on DetNet"`,
			"Auto-Submitted: auto-generated\r\n", "Title: Reply to LS on DetNet\nSubmission Date: 2027-02-20\nFrom: IETF DetNet WG\nTo: IEEE 802.1 WG\nPurpose: In response\nReferenced liaison: LS on TSN and DetNet (https://datatracker.ietf.example/liaison/1900/)\nBody: Thanks.\n"),
			want{kind: "statement", shape: "tracker", purpose: "response", fromOrg: "IETF DetNet WG", fromGroup: "DetNet WG",
				direction: "outgoing", inResp: "LS on TSN and DetNet", to: []string{"IEEE 802.1 WG"}}},
		{"3GPP reply with no action", textMsg("3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>", "Reply LS C4-275678",
			"", strings.Replace(strings.Replace(gppBody, "Response to:            -", "Response to:            LS on SRv6 (IETF DMM WG, LS-2026-0042)", 1),
				"ACTION: SA WG2 kindly asks IETF DMM WG to answer the questions above\nbefore the next SA WG2 meeting (Fukuoka, 19-23 April 2027).", "ACTION: None.", 1)),
			want{kind: "statement", shape: "3gpp", purpose: "response", inResp: "LS-2026-0042"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Parse(tt.raw, Options{})
			checkWant(t, x, tt.want)
			if x.ContentHash == "" {
				t.Error("statement has no content hash")
			}
		})
	}
}

func TestClassify(t *testing.T) {
	dsn := multiMsg("MAILER-DAEMON@mail.example (Mail Delivery System)", "Undelivered Mail Returned to Sender",
		"Return-Path: <>\r\nAuto-Submitted: auto-replied\r\n", "report; report-type=delivery-status",
		textPart("This is the mail system. Your message could not be delivered."),
		part{"Content-Type: message/delivery-status\r\n", "Reporting-MTA: dns; mail.example\r\n\r\nFinal-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"})
	tests := []struct {
		name string
		raw  []byte
		opt  Options
		kind liaison.Kind
		own  bool
	}{
		{"RFC 3834 auto-replied", textMsg("Bob <bob@example.com>", "Re: LS on OTN", "Auto-Submitted: auto-replied\r\n", "I am away."), Options{}, liaison.KindAutoreply, false},
		{"out of office subject", textMsg("Bob <bob@example.com>", "Out of Office: LS on OTN", "", "I am away until 1 March 2027."), Options{}, liaison.KindAutoreply, false},
		{"automatic reply subject", textMsg("Bob <bob@example.com>", "Automatic reply: LS on OTN", "X-Auto-Response-Suppress: All\r\n", "Away."), Options{}, liaison.KindAutoreply, false},
		{"X-Autoreply header", textMsg("Bob <bob@example.com>", "Thanks for your mail", "X-Autoreply: yes\r\n", "Away."), Options{}, liaison.KindAutoreply, false},
		{"DSN multipart/report", dsn, Options{}, liaison.KindBounce, false},
		{"null return path", textMsg("Someone <x@example.com>", "Notification", "Return-Path: <>\r\n", "Your message was not delivered."), Options{}, liaison.KindBounce, false},
		{"postmaster failure", textMsg("postmaster@example.com", "Delivery Status Notification (Failure)", "", "failed"), Options{}, liaison.KindBounce, false},
		{"auto-generated tracker notice is a statement", textMsg("lsmt@ietf.example", `New Liaison Statement, "LS on OTN YANG models and their alignment with G.875"`,
			"Auto-Submitted: auto-generated\r\nPrecedence: bulk\r\n", trackerBody), Options{}, liaison.KindStatement, false},
		{"reply question", textMsg("Chair <chair@example.com>", "Re: New Liaison Statement, \"LS on OTN\"", "In-Reply-To: <abc@x>\r\n",
			"Do we need to answer this one?\n\nOn Tue, 16 Feb 2027, LSMT wrote:\n> Title: LS on OTN\n> Purpose: For action\n> Please reply by: 2027-03-15\n"), Options{}, liaison.KindReply, false},
		{"acknowledgement", textMsg("Chair <chair@example.com>", "RE: LS on OTN YANG", "References: <abc@x>\r\n",
			"Thanks, received; we will discuss it at IETF 128.\n\n-----Original Message-----\nFrom: Hiroshi\nSent: today\nSubject: LS on OTN YANG\n\n"+proseBody), Options{}, liaison.KindReply, false},
		{"plain other mail", textMsg("Alice <alice@example.com>", "Lunch", "", "Shall we have lunch?"), Options{}, liaison.KindOther, false},
		{"own mail via loop header", textMsg("liaisond <liaisond@ietf.example>", "Reminder", "X-Liaisond-Loop: abc\r\n", "Reminder text."), Options{}, liaison.KindOther, true},
		{"own mail via address", textMsg("liaisond <LiaisonD@ietf.example>", "Reminder", "", "Reminder text."), Options{OwnAddresses: []string{"liaisond@ietf.example"}}, liaison.KindOther, true},
		{"custom loop header", textMsg("x <x@ietf.example>", "Reminder", "X-My-Loop: 1\r\n", "Reminder text."), Options{LoopHeader: "X-My-Loop"}, liaison.KindOther, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Parse(tt.raw, tt.opt)
			if x.Kind != tt.kind {
				t.Errorf("kind = %q, want %q (shape %q, problems %v)", x.Kind, tt.kind, x.Shape, x.Problems)
			}
			if x.OwnMail != tt.own {
				t.Errorf("own_mail = %v, want %v", x.OwnMail, tt.own)
			}
			if x.Kind != liaison.KindStatement && (x.ContentHash != "" || x.Title != "") {
				t.Errorf("non-statement has statement fields: hash %q title %q", x.ContentHash, x.Title)
			}
		})
	}
}

func TestHeaderFacts(t *testing.T) {
	raw := []byte("Return-Path: <bounce@lists.example>\r\nFrom: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>\r\n" +
		"To: statements@ietf.example, \"CCAMP\" <ccamp@ietf.example>\r\nCc: a@example.com\r\n" +
		"Subject: =?iso-8859-1?q?R=E9ponse?= =?utf-8?b?w6A=?= la =?utf-8?q?question?=\r\n" +
		"Date: Wed, 17 Mar 2027 18:14:01 -0700\r\nMessage-ID: <abc@example.de>\r\nIn-Reply-To: <p1@x>\r\nReferences: <p0@x>\r\n <p1@x>\r\n" +
		"List-Id: CCAMP list <ccamp.ietf.example>\r\nAuto-Submitted: no\r\n\r\nHello\r\n")
	x := Parse(raw, Options{})
	checks := []struct{ name, got, want string }{
		{"subject", x.Subject, "Réponseà la question"},
		{"from name", x.From.Name, "Jürgen Müller"},
		{"from email", x.From.Email, "jm@example.de"},
		{"message id", x.MessageID, "abc@example.de"},
		{"in reply to", strings.Join(x.InReplyTo, ","), "p1@x"},
		{"references", strings.Join(x.References, ","), "p0@x,p1@x"},
		{"sender", x.Sender, "bounce@lists.example"},
		{"list id", x.ListID, "ccamp.ietf.example"},
		{"auto submitted", x.AutoSubmit, "no"},
		{"to", x.HeaderTo[1].String(), "CCAMP <ccamp@ietf.example>"},
		{"cc", x.HeaderCc[0].Email, "a@example.com"},
		{"date", x.Date.UTC().Format("2006-01-02T15:04"), "2027-03-18T01:14"},
		{"kind", string(x.Kind), "reply"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(x.Problems) != 0 {
		t.Errorf("unexpected problems %v", x.Problems)
	}
}

func TestParseContacts(t *testing.T) {
	tests := []struct {
		in   string
		want []liaison.Contact
	}{
		{"Jane Doe <jane@example.com>, John Roe <john@example.org>", []liaison.Contact{{Name: "Jane Doe", Email: "jane@example.com"}, {Name: "John Roe", Email: "john@example.org"}}},
		{"Jane Doe, jane@example.com", []liaison.Contact{{Name: "Jane Doe", Email: "jane@example.com"}}},
		{"3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org", []liaison.Contact{{Name: "3GPP Liaisons Coordinator", Email: "3GPPLiaison@etsi.org"}}},
		{"jane@example.com (Jane Doe); john@example.org", []liaison.Contact{{Name: "Jane Doe", Email: "jane@example.com"}, {Name: "", Email: "john@example.org"}}},
		{"Name:           Mei Chen\nE-mail Address: mei.chen@example.com", []liaison.Contact{{Name: "Mei Chen", Email: "mei.chen@example.com"}}},
		{"Hiroshi Ota                Tel: +81 3 5555 0100\nNTT                        E-mail: hiroshi.ota@example.com", []liaison.Contact{{Name: "Hiroshi Ota", Email: "hiroshi.ota@example.com"}}},
		{"Ana Ribeiro\nRapporteur Q14/15\nTel: +351 21 000 0000\nE-mail: ana@example.com\nBo Li\nZTE\nE-mail: bo.li@example.cn", []liaison.Contact{{Name: "Ana Ribeiro", Email: "ana@example.com"}, {Name: "Bo Li", Email: "bo.li@example.cn"}}},
		{"Jane Doe", []liaison.Contact{{Name: "Jane Doe"}}},
		{"N/A", nil},
		{"", nil},
		{"jane@example.com, JANE@example.com", []liaison.Contact{{Name: "", Email: "jane@example.com"}}},
	}
	for _, tt := range tests {
		got := parseContacts(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("parseContacts(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseContacts(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestDirectionBySenderDomain(t *testing.T) {
	opt := Options{LiaisonAddresses: []string{"statements@ietf.example"}}
	reply := textMsg("PCE WG Chairs <pce-chairs@ietf.example>", "Reply to SG13-LS88", "",
		"Dear colleagues,\n\nthanks for SG13-LS88. PCEP already supports latency bounds.\n")
	peer := textMsg("TSB SG13 <tsbsg13@itu.int>", "Reply to SG13-LS88", "",
		"Dear colleagues,\n\nthanks for SG13-LS88. PCEP already supports latency bounds.\n")
	for _, tt := range []struct {
		name string
		raw  []byte
		want liaison.Direction
	}{
		{"from an IETF address", reply, liaison.Outgoing},
		{"from a peer", peer, liaison.Incoming},
	} {
		x := Parse(tt.raw, opt)
		if x.Kind != liaison.KindStatement || x.Direction != tt.want || x.InResponseTo != "SG13-LS88" {
			t.Errorf("%s: kind %s direction %s in_response_to %q, want statement %s SG13-LS88", tt.name, x.Kind, x.Direction, x.InResponseTo, tt.want)
		}
	}
	if !inIETFDomain("chairs@lists.ietf.example", opt.LiaisonAddresses) || inIETFDomain("statements@ietf.example", opt.LiaisonAddresses) || inIETFDomain("x@notietf.example", opt.LiaisonAddresses) {
		t.Error("inIETFDomain: subdomains count, the liaison address and look-alike domains do not")
	}
}

// TestBatch7Rules: a sheet's "Reference" that is its own number (as its
// file name says) is an id, not the statement answered; a purpose phrase
// inside the name of the statement answered is not the purpose; a
// statement that states no purpose, asks nothing and sets no date is for
// information.
func TestBatch7Rules(t *testing.T) {
	bbf := buildDocx(t, [][2]string{{"Reference", "LIAISE-420"}, {"Title", "YANG data model for bulk data collection using IPFIX"},
		{"From", "Broadband Forum"}, {"To", "IETF OPSAWG"}, {"For", "Information"}}, "The Broadband Forum has published TR-352.")
	ietf := buildDocx(t, nil, "To: ITU-T Study Group 16", "From: Alissa Cooper, IETF RAI Area Director, on behalf of the IESG",
		"Subject: Response to LS on call for comments on an IETF WG on Internet Video Codec (netvc)", "Thank you for your liaison statement.")
	itu := func(extra ...[2]string) []byte {
		rows := append([][2]string{{"Question(s):", "1/2"}, {"Source:", "ITU-T Study Group 2, Working Party 1/2"},
			{"Title:", "Liaison to IETF/ISOC on ENUM"}, {"To:", "IETF/ISOC"}}, extra...)
		return multiMsg("roy@example.org", "Liaison to IETF/ISOC on ENUM", "", "mixed", textPart("Please find attached a liaison from WP1/2."),
			filePart("WP1-2-liaison-ENUM.docx", "application/octet-stream", buildDocx(t, rows, "Working Party 1/2 reached these understandings on ENUM administration.")))
	}
	tests := []struct {
		name string
		raw  []byte
		want []fieldCase
	}{
		{"own number labelled Reference", multiMsg("liaisons@broadband-forum.org", "LIAISE-420 to IETF OPSAWG", "", "mixed",
			textPart("Please find attached our liaison."), filePart("LIAISE-420-02.docx", "application/octet-stream", bbf)),
			[]fieldCase{{"in_response_to", ""}, {"purpose", "info"}}},
		{"the answered statement's name holds a purpose phrase", multiMsg("alissa@example.com", "IESG response to SG16 on NETVC", "", "mixed",
			textPart("Please find attached the IESG's response."), filePart("IESG-response-SG16-netvc.docx", "application/octet-stream", ietf)),
			[]fieldCase{{"in_response_to", "LS on call for comments on an IETF WG on Internet Video Codec (netvc)"}, {"purpose", "response"}}},
		{"nothing asked, no date", itu(), []fieldCase{{"purpose", "info"}}},
		{"nothing asked, but a date", itu([2]string{"Deadline:", "1 March 2027"}), []fieldCase{{"purpose", ""}, {"deadline", "2027-03-01"}}},
	}
	for _, tt := range tests {
		x := Parse(tt.raw, Options{LiaisonAddresses: []string{"statements@ietf.example"}})
		if x.Kind != liaison.KindStatement {
			t.Errorf("%s: kind %s", tt.name, x.Kind)
			continue
		}
		checkFields(t, tt.name, x, tt.want)
	}
	bbfIDs := Parse(tests[0].raw, Options{}).OtherIDs
	if !slices.Contains(bbfIDs, "LIAISE-420") {
		t.Errorf("own number not among the ids: %v", bbfIDs)
	}
}

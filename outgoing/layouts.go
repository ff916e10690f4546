package outgoing

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// questionRE finds an ITU-T Question in an addressee ("Q12/15").
var questionRE = regexp.MustCompile(`(?i)\bQ(?:uestion)?\s*(\d{1,2})\s*/\s*(\d{1,2})\b`)

// The layouts follow the peers' own templates (see docs/config.md); each
// writes the same facts under the labels its peer uses, so that the peer's
// staff, and liaisond's own reader, find them where they look.

// layoutITU is ITU-T's liaison statement: Question(s), SOURCE, TITLE, FOR
// ACTION / COMMENT / INFORMATION TO, APPROVAL, DEADLINE, CONTACT.
func layoutITU(b *sheetBuilder, f *facts) {
	b.s.LabelWidth = 22
	b.line("INTERNET ENGINEERING TASK FORCE (IETF)", f.rec.ID)
	b.line(f.sender, "Original: English")
	b.space()
	q := ""
	if len(f.questions) > 0 {
		q = "Question(s): " + strings.Join(f.questions, ", ")
	}
	b.line(q, "Date: "+longDate(f.date))
	b.space()
	b.banner("LIAISON STATEMENT")
	b.space()
	b.field("SOURCE:", f.sender)
	b.field("TITLE:", f.x.Title)
	to := "FOR INFORMATION TO:"
	switch f.x.Purpose {
	case liaison.PurposeAction:
		to = "FOR ACTION TO:"
	case liaison.PurposeComment:
		to = "FOR COMMENT TO:"
	}
	b.field(to, f.to)
	if cc := strings.Join(f.x.CcText, ", "); cc != "" {
		if to == "FOR INFORMATION TO:" {
			b.field(to, cc)
		} else {
			b.field("FOR INFORMATION TO:", cc)
		}
	}
	b.field("APPROVAL:", f.approval())
	b.field("DEADLINE:", orNone(longDate(f.x.Deadline)))
	b.field("CONTACT:", ituContacts(f.x.TechnicalContacts))
	b.space()
	if f.x.InResponseTo != "" {
		b.text("This is a reply to " + f.x.InResponseTo + ".")
		b.space()
	}
	b.text(f.x.Body)
	b.space()
	if r := addresses(f.x.ResponseContacts); r != "" {
		b.text("Please send any reply to " + r + ".")
		b.space()
	}
	if a := f.attachmentNames(); a != "" {
		b.field("ATTACHMENTS:", a)
	}
}

// ituContacts writes each contact as the ITU-T template does: the name,
// then "E-mail:" and the address.
func ituContacts(cs []liaison.Contact) string {
	var ls []string
	for _, c := range cs {
		switch {
		case c.Name != "" && c.Email != "":
			ls = append(ls, c.Name, "E-mail: "+c.Email)
		case c.Email != "":
			ls = append(ls, "E-mail: "+c.Email)
		default:
			ls = append(ls, c.Name)
		}
	}
	return orNone(strings.Join(ls, "\n"))
}

// layout3GPP is 3GPP's LS: Title, Response to, Release, Work Item, Source,
// To, Cc, Contact Person, Send any reply LS to, Attachments, then the
// numbered Overall Description, Actions and Date of next meetings.
func layout3GPP(b *sheetBuilder, f *facts) {
	b.s.LabelWidth = 24
	b.line(f.sender, f.rec.ID)
	b.line("Internet Engineering Task Force", longDate(f.date))
	b.space()
	b.field("Title:", f.x.Title)
	b.field("Response to:", orDash(f.x.InResponseTo))
	b.field("Release:", orDash(f.rec.Outbound.Release))
	b.field("Work Item:", orDash(f.rec.Outbound.WorkItem))
	b.space()
	b.field("Source:", f.sender)
	b.field("To:", f.to)
	b.field("Cc:", orDash(strings.Join(f.x.CcText, ", ")))
	b.space()
	b.field("Contact Person:", "")
	for _, c := range f.x.TechnicalContacts {
		b.sub("Name:", orDash(c.Name))
		b.sub("E-mail Address:", orDash(c.Email))
	}
	b.space()
	b.field("Send any reply LS to:", orDash(addresses(f.x.ResponseContacts)))
	b.space()
	b.field("Attachments:", orDash(f.attachmentNames()))
	b.space()
	b.heading("1. Overall Description:")
	b.text(f.x.Body)
	b.space()
	b.heading("2. Actions:")
	b.text("To " + f.to + ".")
	b.text("ACTION: " + f.action())
	b.space()
	b.heading("3. Date of Next IETF Meetings:")
	b.text(f.meetings())
	b.space()
	b.field("Approval:", f.approval())
}

// layoutIEEE is an IEEE 802 liaison letter: letterhead, addressee,
// subject, salutation, body, closing and signature.
func layoutIEEE(b *sheetBuilder, f *facts) {
	b.s.LabelWidth = 12
	b.line("INTERNET ENGINEERING TASK FORCE", f.rec.ID)
	b.line(f.sender, longDate(f.date))
	b.space()
	b.field("To:", f.to)
	if cc := strings.Join(f.x.CcText, ", "); cc != "" {
		b.field("Cc:", cc)
	}
	b.field("From:", f.sender)
	b.field("Subject:", f.x.Title)
	purpose := f.x.Purpose.Label()
	if d := longDate(f.x.Deadline); d != "" {
		purpose += ", reply requested by " + d
	}
	b.field("Purpose:", orDash(purpose))
	if f.x.InResponseTo != "" {
		b.field("Reference:", f.x.InResponseTo)
	}
	b.space()
	b.text("Dear colleagues,")
	b.space()
	b.text(f.x.Body)
	b.space()
	if a := f.action(); a != "None." {
		b.text(a)
	}
	if r := addresses(f.x.ResponseContacts); r != "" {
		b.text("Please send any reply to " + r + ".")
	}
	b.space()
	b.text("Sincerely,")
	b.space()
	var sig []string
	for _, c := range f.x.TechnicalContacts {
		sig = append(sig, c.String())
	}
	sig = append(sig, "on behalf of the "+f.sender)
	b.text(strings.Join(sig, "\n"))
	b.space()
	if a := f.attachmentNames(); a != "" {
		b.field("Attachments:", a)
	}
	b.field("Approval:", f.approval())
}

// layoutPlain is the IETF tracker's own labelled fields, RFC 4053's
// envelope.
func layoutPlain(b *sheetBuilder, f *facts) {
	b.field("Title:", f.x.Title)
	b.field("From:", f.sender)
	b.field("To:", f.to)
	if cc := strings.Join(f.x.CcText, ", "); cc != "" {
		b.field("Cc:", cc)
	}
	b.field("Response Contacts:", orDash(addresses(f.x.ResponseContacts)))
	b.field("Technical Contacts:", orDash(strings.ReplaceAll(contactLines(f.x.TechnicalContacts), "\n", ", ")))
	b.field("Purpose:", orDash(f.x.Purpose.Label()))
	if !f.x.Deadline.IsZero() {
		b.field("Deadline:", f.x.Deadline.String())
	}
	if f.x.InResponseTo != "" {
		b.field("Referenced liaison:", f.x.InResponseTo)
	}
	b.field("Approval:", f.approval())
	b.space()
	b.field("Body:", "")
	b.text(f.x.Body)
	b.space()
	b.field("Attachments:", orValue(f.attachmentNames(), "No document has been attached"))
}

func orNone(s string) string { return orValue(s, "None") }

func orValue(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}

package outgoing

import (
	"fmt"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Sheet is a statement laid out in its peer's format: a list of blocks that
// Text, PDF and DOCX write alike, so the three forms always say the same.
type Sheet struct {
	Format config.SheetFormat
	// ID and Title name the document (file name, PDF metadata).
	ID, Title string
	// Date is the document's date (its creation time in PDF and Word).
	Date time.Time
	// LabelWidth is the text column where field values start (0: right
	// after the label, as the tracker writes).
	LabelWidth int
	Blocks     []Block
	// Font is the TrueType font of the PDF form (outgoing.pdf_font); nil
	// for the standard Helvetica.
	Font *config.PDFFont
}

// BlockKind is the kind of one block of a sheet.
type BlockKind int

// The block kinds.
const (
	BlockLine    BlockKind = iota // Text at the left margin, Right at the right one (letterhead lines)
	BlockBanner                   // Text centred and bold ("LIAISON STATEMENT")
	BlockField                    // Label and its value Text (several lines allowed)
	BlockHeading                  // a section heading ("1. Overall Description:")
	BlockText                     // running text, line breaks kept as written
	BlockSpace                    // an empty line
)

// Block is one element of a sheet.
type Block struct {
	Kind  BlockKind
	Label string // BlockField
	Text  string
	Right string // BlockLine
	// Indent sets a field's label in by one step (the 3GPP contact's
	// Name and E-mail Address under "Contact Person").
	Indent bool
}

// sheetBuilder accumulates blocks.
type sheetBuilder struct{ s Sheet }

func (b *sheetBuilder) line(left, right string) {
	b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockLine, Text: left, Right: right})
}
func (b *sheetBuilder) banner(t string) {
	b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockBanner, Text: t})
}
func (b *sheetBuilder) field(label, value string) {
	b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockField, Label: label, Text: value})
}
func (b *sheetBuilder) sub(label, value string) {
	b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockField, Label: label, Text: value, Indent: true})
}
func (b *sheetBuilder) heading(t string) {
	b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockHeading, Text: t})
}
func (b *sheetBuilder) text(t string) {
	if t = strings.TrimRight(t, " \t\r\n"); t != "" {
		b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockText, Text: t})
	}
}
func (b *sheetBuilder) space() { b.s.Blocks = append(b.s.Blocks, Block{Kind: BlockSpace}) }

// facts are the values every layout draws on, computed once.
type facts struct {
	cfg       *config.Config
	rec       *liaison.Record
	org       *config.Organization
	x         *liaison.Extraction
	sender    string // "IETF CCAMP WG"
	to        string // "ITU-T Study Group 15 (Q12/15, Q14/15)"
	date      liaison.Date
	questions []string // ITU-T Questions among the addressees ("12/15")
	now       time.Time
}

// Render lays rec out in its peer's format at now (the document's date).
// rec must be an outgoing statement drafted here for an organization with
// outgoing rules.
func Render(cfg *config.Config, rec *liaison.Record, now time.Time) (Sheet, error) {
	if rec.Outbound == nil {
		return Sheet{}, fmt.Errorf("%s: %w: not an outgoing statement drafted here", rec.ID, ErrState)
	}
	org, err := Peer(cfg, rec.Outbound.Org)
	if err != nil {
		return Sheet{}, err
	}
	f := &facts{cfg: cfg, rec: rec, org: org, x: &rec.Extraction, now: now,
		sender: rec.Extraction.FromGroup, date: liaison.DateOf(now.In(cfg.Location))}
	if f.sender == "" {
		f.sender = "IETF"
	}
	f.to = f.peerTo()
	for _, a := range rec.Outbound.Addressees {
		if m := questionRE.FindStringSubmatch(a); m != nil {
			f.questions = append(f.questions, m[1]+"/"+m[2])
		}
	}
	b := &sheetBuilder{s: Sheet{Format: org.Outgoing.Format, ID: rec.ID, Title: rec.Extraction.Title, Date: now}}
	if cfg.Outgoing.PDFFont.Set() {
		b.s.Font = &cfg.Outgoing.PDFFont
	}
	switch org.Outgoing.Format {
	case config.FormatITU:
		layoutITU(b, f)
	case config.Format3GPP:
		layout3GPP(b, f)
	case config.FormatIEEE:
		layoutIEEE(b, f)
	default:
		layoutPlain(b, f)
	}
	return b.s, nil
}

// peerTo names the addressees: the organization, with its groups
// addressed in parentheses (an addressee that is the organization itself
// adds nothing).
func (f *facts) peerTo() string {
	self := map[string]bool{}
	for _, n := range append([]string{f.org.ID, f.org.Name}, f.org.Aliases...) {
		self[config.NormalizeName(n)] = true
	}
	var groups []string
	for _, a := range f.rec.Outbound.Addressees {
		if !self[config.NormalizeName(a)] {
			groups = append(groups, a)
		}
	}
	if len(groups) == 0 {
		return f.org.Name
	}
	return f.org.Name + " (" + strings.Join(groups, ", ") + ")"
}

// longDate writes a date as "30 June 2027".
func longDate(d liaison.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

// dateRange writes two dates as "20-26 March 2027", "28 June - 2 July
// 2027" or "30 December 2027 - 3 January 2028".
func dateRange(from, to liaison.Date) string {
	switch {
	case from == to:
		return longDate(from)
	case from.Year != to.Year:
		return longDate(from) + " - " + longDate(to)
	case from.Month != to.Month:
		return fmt.Sprintf("%d %s - %s", from.Day, from.Month, longDate(to))
	}
	return fmt.Sprintf("%d-%s", from.Day, longDate(to))
}

// contactLines lists contacts one a line, "Name <email>".
func contactLines(cs []liaison.Contact) string {
	var ls []string
	for _, c := range cs {
		ls = append(ls, c.String())
	}
	return strings.Join(ls, "\n")
}

// addresses lists the contacts' addresses, comma-separated.
func addresses(cs []liaison.Contact) string {
	var ls []string
	for _, c := range cs {
		if c.Email != "" {
			ls = append(ls, c.Email)
		}
	}
	return strings.Join(ls, ", ")
}

// attachmentNames lists the attached files, one a line.
func (f *facts) attachmentNames() string {
	var ls []string
	for _, a := range f.x.Attachments {
		ls = append(ls, a.Name)
	}
	return strings.Join(ls, "\n")
}

// approval says who approved the statement on which consensus, or that it
// is not approved yet.
func (f *facts) approval() string {
	ob := f.rec.Outbound
	if len(ob.Approvals) == 0 {
		return "Not yet approved (draft)"
	}
	var ls []string
	for _, a := range ob.Approvals {
		who := SenderName(f.cfg, a.Groups)
		if who == "" {
			who = "IETF"
		}
		ls = append(ls, fmt.Sprintf("%s consensus: %s (approval of %s, %s)", who, a.Consensus, a.By, liaison.DateOf(a.At.In(f.cfg.Location))))
	}
	return strings.Join(ls, "\n")
}

// action says what the statement asks of the peer, for 3GPP's "Actions"
// and IEEE's closing.
func (f *facts) action() string {
	dl := longDate(f.x.Deadline)
	switch f.x.Purpose {
	case liaison.PurposeAction:
		if dl == "" {
			return fmt.Sprintf("%s kindly asks %s to take the above into account and to reply.", f.sender, f.to)
		}
		return fmt.Sprintf("%s kindly asks %s to take the above into account and to reply by %s.", f.sender, f.to, dl)
	case liaison.PurposeComment:
		if dl == "" {
			return fmt.Sprintf("%s kindly asks %s for its comments.", f.sender, f.to)
		}
		return fmt.Sprintf("%s kindly asks %s for its comments by %s.", f.sender, f.to, dl)
	}
	return "None."
}

// meetings lists the IETF meetings not yet over at the document's date.
func (f *facts) meetings() string {
	var ls []string
	for _, m := range f.cfg.Outgoing.Meetings {
		if m.EndDate.Before(f.date) {
			continue
		}
		ls = append(ls, strings.TrimRight(fmt.Sprintf("%-10s %-26s %s", m.Name, dateRange(m.StartDate, m.EndDate), m.Place), " "))
	}
	if len(ls) == 0 {
		return "None scheduled."
	}
	return strings.Join(ls, "\n")
}

func orDash(s string) string { return orValue(s, "-") }

// Document is the statement as the file attached to its mail.
type Document struct {
	Name        string // "LS-2027-0012.pdf"
	ContentType string
	Data        []byte
}

// Document writes the sheet in the attachment form the peer asks for; ok
// is false for AttachNone (the statement is the mail's text only).
func (s Sheet) Document(form config.AttachmentForm) (doc Document, ok bool, err error) {
	switch form {
	case config.AttachPDF:
		data, err := s.PDF()
		return Document{Name: s.ID + ".pdf", ContentType: "application/pdf", Data: data}, err == nil, err
	case config.AttachDOCX:
		data, err := s.DOCX()
		return Document{Name: s.ID + ".docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: data}, err == nil, err
	}
	return Document{}, false, nil
}

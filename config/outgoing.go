package config

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// SheetFormat is the layout of the cover sheet a peer organization expects
// on the statements the IETF sends it.
type SheetFormat string

// The sheet formats.
const (
	FormatITU   SheetFormat = "itu"   // ITU-T liaison statement: Question(s), SOURCE, TITLE, FOR ACTION/COMMENT/INFORMATION TO, APPROVAL, DEADLINE, CONTACT
	Format3GPP  SheetFormat = "3gpp"  // 3GPP LS: Title, Response to, Release, Work Item, Source, To, Cc, Contact Person, Send any reply LS to, Attachments, numbered sections
	FormatIEEE  SheetFormat = "ieee"  // IEEE 802 liaison letter: date, addressee, subject, salutation, body, signature
	FormatPlain SheetFormat = "plain" // the IETF tracker's own labelled fields (RFC 4053 envelope)
)

// SheetFormats lists the formats in documentation order.
var SheetFormats = []SheetFormat{FormatITU, Format3GPP, FormatIEEE, FormatPlain}

// AttachmentForm says in which file form the statement itself is attached
// to the mail that carries it.
type AttachmentForm string

// The attachment forms.
const (
	AttachPDF  AttachmentForm = "pdf"  // the statement as a PDF document
	AttachDOCX AttachmentForm = "docx" // the statement as a Word (.docx) document
	AttachNone AttachmentForm = "none" // the statement is the mail's text only
)

// DraftField names a field of an outgoing statement that a peer may
// require (the `require` key).
type DraftField string

// The fields a peer can require.
const (
	FieldTitle        DraftField = "title"         // the statement's title
	FieldPurpose      DraftField = "purpose"       // action, comment, info or response
	FieldDeadline     DraftField = "deadline"      // a reply date, when the purpose asks for action or comment
	FieldContact      DraftField = "contact"       // a technical contact with an e-mail address
	FieldSourceGroups DraftField = "source_groups" // the IETF group(s) sending it
	FieldAddressees   DraftField = "addressees"    // the peer's groups addressed (Questions, working groups)
	FieldBody         DraftField = "body"          // a body text or at least one attachment
	FieldReplyTo      DraftField = "reply_to"      // where the peer sends its answer ("Send any reply LS to")
	FieldReference    DraftField = "reference"     // the statement answered, for a response
)

// DraftFields lists the fields in documentation order.
var DraftFields = []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldContact, FieldSourceGroups,
	FieldAddressees, FieldBody, FieldReplyTo, FieldReference}

// PeerRules is what a peer organization asks of the statements the IETF
// sends it (an organization's `outgoing` section). Keys the file leaves out
// take their format's defaults (see FormatDefaults).
type PeerRules struct {
	// SendTo are the addresses a statement is sent to (required).
	SendTo []string `yaml:"send_to"`
	// Cc are addresses copied on every statement to this peer.
	Cc []string `yaml:"cc"`
	// Format is the cover sheet's layout.
	Format SheetFormat `yaml:"format"`
	// Attachment is the file form the statement is attached in.
	Attachment AttachmentForm `yaml:"attachment"`
	// Subject is the mail subject, with placeholders (see SubjectFields).
	Subject string `yaml:"subject"`
	// MinReplyDays is the shortest time, in calendar days from approval,
	// the peer can answer in (its meeting cycle); a deadline sooner than
	// that is a problem.
	MinReplyDays int `yaml:"min_reply_days"`
	// Require lists the fields a statement to this peer must have.
	Require []DraftField `yaml:"require"`
	// Groups are the peer's groups a statement may be addressed to besides
	// the organization itself (its name and aliases): Questions such as
	// "Q12/15", working parties, "CT WG4".
	Groups []string `yaml:"groups"`
	// Accept lists the attachment file types (extensions, without the dot)
	// the peer accepts.
	Accept []string `yaml:"accept"`
}

// FormatDefaults returns the rules a format stands for when the file does
// not say otherwise: what these organizations' own liaison templates ask
// of a statement. The slices are fresh copies.
func FormatDefaults(f SheetFormat) PeerRules {
	base := []DraftField{FieldTitle, FieldPurpose, FieldDeadline, FieldSourceGroups, FieldBody}
	switch f {
	case FormatITU:
		// ITU-T's template names the Questions and study groups addressed,
		// for action/comment/information, a reply date and a contact with
		// e-mail; its study groups decide at meetings months apart.
		return PeerRules{Format: f, Attachment: AttachPDF, MinReplyDays: 60,
			Subject: "LS from {from} to {to}: {title}",
			Require: append(base, FieldContact, FieldAddressees),
			Accept:  []string{"pdf", "docx", "doc", "xlsx", "pptx", "zip", "txt"},
		}
	case Format3GPP:
		// 3GPP's LS template has Title, Source, To, Contact Person and
		// "Send any reply LS to"; its working groups meet every six to
		// eight weeks and exchange Word documents.
		return PeerRules{Format: f, Attachment: AttachDOCX, MinReplyDays: 45,
			Subject: "LS from {from} to {to}: {title}",
			Require: append(base, FieldContact, FieldAddressees, FieldReplyTo),
			Accept:  []string{"docx", "doc", "zip", "pdf"},
		}
	case FormatIEEE:
		// IEEE 802 liaison letters are PDF letters from the chair; its
		// plenaries are four months apart with interims between them.
		return PeerRules{Format: f, Attachment: AttachPDF, MinReplyDays: 60,
			Subject: "Liaison from {from} to {to}: {title}",
			Require: append(base, FieldContact),
			Accept:  []string{"pdf", "docx", "doc", "txt", "zip"},
		}
	default:
		return PeerRules{Format: FormatPlain, Attachment: AttachNone, MinReplyDays: 30,
			Subject: "Liaison statement from {from} to {to}: {title}",
			Require: base,
		}
	}
}

// SubjectFields are the placeholders a subject template may use.
var SubjectFields = map[string]string{
	"title":   "the statement's title",
	"from":    "the sending IETF groups (\"IETF CCAMP WG\")",
	"to":      "the peer organization's name",
	"purpose": "\"For action\", \"For comment\", \"For information\" or \"In response\"",
	"id":      "the statement's id (LS-2027-0012)",
	"ref":     "the peer's identifiers of the statement answered",
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// SubjectPlaceholders returns the placeholders a subject template uses,
// in order, and the first one that is not known ("" when all are).
func SubjectPlaceholders(tmpl string) (names []string, unknown string) {
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		names = append(names, m[1])
		if _, ok := SubjectFields[m[1]]; !ok && unknown == "" {
			unknown = m[1]
		}
	}
	return names, unknown
}

// Outgoing holds the settings of outgoing statements that do not depend on
// the peer (the top-level `outgoing` section).
type Outgoing struct {
	// SendOnApproval queues a statement to the peer as soon as it is
	// approved; otherwise `liaisond send` does.
	SendOnApproval bool `yaml:"send_on_approval"`
	// Meetings are the IETF's coming meetings, listed on sheets that ask
	// for them (3GPP's "Date of next meetings").
	Meetings []Meeting `yaml:"meetings"`
	// PDFFont is the TrueType font of the PDF sheets. Without it they use
	// the standard Helvetica, which prints only Windows-1252 ("?" for
	// other characters, such as "Ł" or "ř" in a contact's name).
	PDFFont PDFFont `yaml:"pdf_font"`
}

// PDFFont names the TrueType (.ttf) files of the PDF sheets' font, whose
// characters the sheets print; the PDF embeds the glyphs it uses.
type PDFFont struct {
	// Regular is the file of the regular face, Bold of the bold one
	// (labels and headings; the regular face when empty). Relative paths
	// are relative to the configuration file.
	Regular string `yaml:"regular"`
	Bold    string `yaml:"bold"`

	// RegularTTF and BoldTTF are the files' bytes, read by validation.
	RegularTTF, BoldTTF []byte `yaml:"-"`
}

// Set reports whether a font is configured.
func (f *PDFFont) Set() bool { return len(f.RegularTTF) > 0 }

// read reads the PDF font's files: a missing or unreadable file, or
// one that is not TrueType, is an error at its key.
func (f *PDFFont) read(c *Config, v *checker) {
	if f.Regular == "" {
		if f.Bold != "" {
			v.errf("outgoing.pdf_font.regular", "required when pdf_font.bold is set")
		}
		return
	}
	f.RegularTTF = readTrueType(c, v, "outgoing.pdf_font.regular", f.Regular)
	f.BoldTTF = f.RegularTTF
	if f.Bold != "" {
		f.BoldTTF = readTrueType(c, v, "outgoing.pdf_font.bold", f.Bold)
	}
	if f.RegularTTF == nil || f.BoldTTF == nil {
		f.RegularTTF, f.BoldTTF = nil, nil
	}
}

// maxFontFile bounds a font file (a large CJK font is about 20 MB).
const maxFontFile = 64 << 20

// readTrueType reads the TrueType file at path (key names it in errors).
func readTrueType(c *Config, v *checker, key, path string) []byte {
	path = c.resolve(path)
	st, err := os.Stat(path)
	if err == nil && st.Size() > maxFontFile {
		err = fmt.Errorf("%d bytes; at most %d", st.Size(), maxFontFile)
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		v.errf(key, "font %s: %v", path, err)
		return nil
	}
	switch {
	case len(data) >= 4 && (string(data[:4]) == "\x00\x01\x00\x00" || string(data[:4]) == "true"):
		return data
	case len(data) >= 4 && string(data[:4]) == "OTTO":
		v.errf(key, "font %s is OpenType with PostScript outlines (CFF): use a TrueType (.ttf) file", path)
	default:
		v.errf(key, "font %s is not a TrueType (.ttf) file", path)
	}
	return nil
}

// Meeting is one coming IETF meeting.
type Meeting struct {
	Name  string `yaml:"name"`  // "IETF 125"
	Start string `yaml:"start"` // YYYY-MM-DD
	End   string `yaml:"end"`   // YYYY-MM-DD
	Place string `yaml:"place"` // "Shenzhen, CN"

	// StartDate and EndDate are Start and End parsed by validation.
	StartDate, EndDate liaison.Date `yaml:"-"`
}

// setOutgoingDefaults fills each organization's outgoing rules from its
// format's defaults, key by key.
func (c *Config) setOutgoingDefaults() {
	for i := range c.Organizations {
		o := c.Organizations[i].Outgoing
		if o == nil {
			continue
		}
		p := fmt.Sprintf("organizations[%d].outgoing", i)
		if o.Format == "" {
			o.Format = FormatPlain
		}
		d := FormatDefaults(o.Format)
		if !c.has(p + ".attachment") {
			o.Attachment = d.Attachment
		}
		if !c.has(p + ".subject") {
			o.Subject = d.Subject
		}
		if !c.has(p + ".min_reply_days") {
			o.MinReplyDays = d.MinReplyDays
		}
		if !c.has(p + ".require") {
			o.Require = d.Require
		}
		if !c.has(p + ".accept") {
			o.Accept = d.Accept
		}
		for j, a := range o.Accept {
			o.Accept[j] = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(a), "."))
		}
	}
}

func (c *Config) validateOutgoing(v *checker) {
	for i, org := range c.Organizations {
		if org.Outgoing != nil {
			org.Outgoing.validate(v, fmt.Sprintf("organizations[%d].outgoing", i))
		}
	}
	c.Outgoing.PDFFont.read(c, v)
	for i := range c.Outgoing.Meetings {
		m := &c.Outgoing.Meetings[i]
		p := fmt.Sprintf("outgoing.meetings[%d]", i)
		v.required(p+".name", m.Name)
		m.StartDate = v.date(p+".start", m.Start)
		m.EndDate = m.StartDate // a one-day meeting
		if m.End != "" {
			m.EndDate = v.date(p+".end", m.End)
		}
		if !m.StartDate.IsZero() && !m.EndDate.IsZero() && m.EndDate.Before(m.StartDate) {
			v.errf(p+".end", "%s is before start %s", m.End, m.Start)
		}
	}
}

func (o *PeerRules) validate(v *checker, p string) {
	if len(o.SendTo) == 0 {
		v.errf(p+".send_to", "required key is missing or empty: where statements to this organization are sent")
	}
	for j, a := range o.SendTo {
		v.address(fmt.Sprintf("%s.send_to[%d]", p, j), a)
	}
	for j, a := range o.Cc {
		v.address(fmt.Sprintf("%s.cc[%d]", p, j), a)
	}
	v.oneOf(p+".format", string(o.Format), names(SheetFormats)...)
	v.oneOf(p+".attachment", string(o.Attachment), string(AttachPDF), string(AttachDOCX), string(AttachNone))
	if strings.TrimSpace(o.Subject) == "" {
		v.errf(p+".subject", "empty subject template")
	} else if _, unknown := SubjectPlaceholders(o.Subject); unknown != "" {
		v.errf(p+".subject", "unknown placeholder {%s}: want one of %s", unknown, strings.Join(sortedKeys(SubjectFields), ", "))
	}
	if o.MinReplyDays < 0 {
		v.errf(p+".min_reply_days", "must not be negative")
	}
	for j, f := range o.Require {
		v.oneOf(fmt.Sprintf("%s.require[%d]", p, j), string(f), names(DraftFields)...)
	}
	for j, g := range o.Groups {
		if NormalizeName(g) == "" {
			v.errf(fmt.Sprintf("%s.groups[%d]", p, j), "empty group name")
		}
	}
	for j, a := range o.Accept {
		if a == "" || strings.ContainsAny(a, "/. \t") {
			v.errf(fmt.Sprintf("%s.accept[%d]", p, j), "%q: want a file extension such as pdf or docx", a)
		}
	}
}

// date parses a YYYY-MM-DD value at path; a missing one is reported.
func (v *checker) date(path, s string) liaison.Date {
	if !v.required(path, s) {
		return liaison.Date{}
	}
	d, err := liaison.ParseISODate(s)
	if err != nil {
		v.errf(path, "%v", err)
		return liaison.Date{}
	}
	return d
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, x := range vs {
		out[i] = string(x)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

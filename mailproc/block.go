package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/dates"
)

// A reader understands one statement layout (shape). The statement's text
// and each attached document are split into labelled blocks; the first
// reader that recognises a block reads it. Readers fill fields through a
// filler, which keeps the first value found for a field and where it was
// found, so the order blocks and readers run in is their precedence.
type reader interface {
	// shape is the layout this reader understands.
	shape() liaison.Shape
	// recognise reports whether the block is laid out this way; subject
	// is the mail's subject for the message body, "" for a document.
	recognise(b *block, subject string) bool
	// readTitle fills the title and what the statement answers. It runs
	// for every block before readFields, since answering a statement makes
	// the purpose a response.
	readTitle(f filler, b *block, v view)
	// readFields fills every other field the block holds.
	readFields(f filler, b *block)
}

// sheetReaders are the readers of labelled cover sheets, in the order they
// are tried. The prose reader is the fallback for labelled letters (see
// extractStatement).
var sheetReaders = []reader{trackerReader{}, gppReader{}, ituReader{}}

// block is one labelled block of text (the mail body or an attached
// document) and the reader that recognised it.
type block struct {
	reader reader
	fs     fieldSet
	text   string
	where  string // the shape for the mail body; "docx" or "pdf" for an attached document
	detail string // file name of an attached document
}

// newBlock parses the labelled lines of text; detail names the attached
// document it comes from ("" for the mail text), whose values end with
// their cell or row.
func newBlock(text, where, detail string) *block {
	return &block{fs: newFieldSet(parseLabels(text, detail != "")), text: text, where: where, detail: detail}
}

// recogniseBlock finds the sheet reader of b (nil when none recognises it).
func recogniseBlock(b *block, subject string) reader {
	for _, r := range sheetReaders {
		if r.recognise(b, subject) {
			return r
		}
	}
	return nil
}

// shape is the shape of the reader that recognised the block.
func (b *block) shape() liaison.Shape { return b.reader.shape() }

// fromFile reports whether the block was read from an attached document.
func (b *block) fromFile() bool { return b.detail != "" }

// src is the source of a value found under label.
func (b *block) src(label string) (string, string) {
	if b.fromFile() {
		return b.where, b.detail + ": " + label
	}
	return b.where, label
}

// filler records each field's value and source, keeping the first (highest
// precedence) value.
type filler struct {
	x  *liaison.Extraction
	st *fillState
}

// fillState is what the rules learn beside the fields.
type fillState struct {
	// foreignRef: InResponseTo names a statement that was not the IETF's:
	// the sender's own earlier one ("following our liaison ...", a
	// follow-up) or one a third party sent the sender ("thanks ITU-T SG13
	// for its liaison ..."). It is recorded, but is not answered here.
	foreignRef bool
	// othersAct: the IETF is only informed while others are asked to act,
	// so a deadline is theirs, not the IETF's.
	othersAct bool
}

func newFiller(x *liaison.Extraction) filler { return filler{x, &fillState{}} }

// answers reports whether the statement answers an earlier one.
func (f filler) answers() bool { return f.x.InResponseTo != "" && !f.st.foreignRef }

func (f filler) str(name string, dst *string, val string, where, detail string) {
	val = strings.TrimSpace(val)
	if *dst != "" || val == "" || isNone(val) {
		return
	}
	*dst = val
	f.x.Sources[name] = liaison.Source{Where: where, Detail: detail}
}

func (f filler) list(name string, dst *[]string, val []string, where, detail string) {
	if len(*dst) > 0 || len(val) == 0 {
		return
	}
	*dst = val
	f.x.Sources[name] = liaison.Source{Where: where, Detail: detail}
}

func (f filler) contacts(name string, dst *[]liaison.Contact, val []liaison.Contact, where, detail string) {
	if len(*dst) > 0 || len(val) == 0 {
		return
	}
	*dst = val
	f.x.Sources[name] = liaison.Source{Where: where, Detail: detail}
}

func (f filler) purpose(p liaison.Purpose, where, detail string) {
	if f.x.Purpose != "" || p == "" {
		return
	}
	f.x.Purpose = p
	f.x.Sources["purpose"] = liaison.Source{Where: where, Detail: detail}
}

// direction sets the direction, once.
func (f filler) direction(d liaison.Direction, where, detail string) {
	if f.x.Direction != "" || d == "" {
		return
	}
	f.x.Direction = d
	f.x.Sources["direction"] = liaison.Source{Where: where, Detail: detail}
}

func (f filler) deadline(d liaison.Date, where, detail string) {
	if !f.x.Deadline.IsZero() || !d.Valid() {
		return
	}
	f.x.Deadline = d
	f.x.Sources["deadline"] = liaison.Source{Where: where, Detail: detail}
}

// Field readers shared by the layouts.

var titleReplyRE = regexp.MustCompile(`(?i)^\s*(?:reply|response|answer)(?:\s+LS)?\s+to\s+(.+)$`)

// titleLiaisonReplyRE is a title "Liaison response to ...", which names
// a topic or a party as often as the document answered: it counts only
// with the document's number ("Liaison response to LS SP-201142 on ...").
var titleLiaisonReplyRE = regexp.MustCompile(`(?i)^\s*(?:liaison|LS)\s+(?:reply|response|answer)\s+to\s+(.+)$`)

// titleAnswers returns what a title says it answers ("Reply to SG13-LS88"
// gives "SG13-LS88"), if it says.
func titleAnswers(title string) (string, bool) {
	if m := titleReplyRE.FindStringSubmatch(title); m != nil {
		return m[1], true
	}
	if m := titleLiaisonReplyRE.FindStringSubmatch(title); m != nil && len(PeerIDs(m[1])) > 0 {
		return m[1], true
	}
	return "", false
}

// readTitleLabel fills the title from the block's Title label.
func readTitleLabel(f filler, b *block) {
	if val, l := b.fs.get(keyTitle); val != "" {
		w, d := b.src(l)
		f.str("title", &f.x.Title, oneLine(val), w, d)
	}
}

// readSheetTitle is the title rule of the sheets (ITU-T, 3GPP): the
// Title label, the reference label with its party kept, then a
// "Reply to ..." title.
func readSheetTitle(f filler, b *block) {
	readTitleLabel(f, b)
	readRef(f, b, keepParty)
	refFromTitle(f)
}

// readRef fills what the statement answers from the block's reference
// label, cleaned by clean.
func readRef(f filler, b *block, clean func(string) string) {
	if val, l := b.fs.get(keyRef); val != "" && !isNone(val) && !ownNumber(b, val) {
		w, d := b.src(l)
		f.str("in_response_to", &f.x.InResponseTo, oneLine(clean(val)), w, d)
	}
}

// ownNumber reports whether a reference label's value is the number of
// the document itself, as its file name carries it ("Reference:
// LIAISE-420" in LIAISE-420-02.docx): some sheets label their own number
// so.
func ownNumber(b *block, val string) bool {
	ids := PeerIDs(val)
	if !b.fromFile() || len(ids) == 0 {
		return false
	}
	name := NormID(b.detail)
	for _, id := range ids {
		if !strings.Contains(name, NormID(id)) {
			return false
		}
	}
	return true
}

// refFromTitle reads what a "Reply to ..." title answers.
func refFromTitle(f filler) {
	x := f.x
	if x.InResponseTo == "" && x.Title != "" {
		if m := titleReplyParenRE.FindStringSubmatch(x.Title); m != nil {
			f.str("in_response_to", &x.InResponseTo, m[1], x.Sources["title"].Where, "Title: "+x.Title)
		}
		if ref, ok := titleAnswers(x.Title); ok {
			f.str("in_response_to", &x.InResponseTo, ref, x.Sources["title"].Where, "Title: "+x.Title)
		}
	}
}

// titleReplyParenRE finds, in a title's parentheses, the document it
// answers when they number it: "LS/r ... (reply to IEEE 802.3 – LS61)".
// "(reply to IETF CCAMP)" names no document: the title's subject is then
// what is answered.
var titleReplyParenRE = regexp.MustCompile(`(?i)\((?:reply|response|answer)\s+to\s+([^()]*\d[^()]*)\)`)

// readDeadline fills the deadline from the block's deadline labels.
func readDeadline(f filler, b *block) {
	for _, fl := range b.fs.by[keyDeadline] {
		if d, ok := dates.Parse(fl.value); ok {
			w, dd := b.src(fl.label)
			f.deadline(d, w, dd)
		}
	}
}

// readURL fills the statement's web page from the block's URL label.
func readURL(f filler, b *block) {
	if val, l := b.fs.get(keyURL); val != "" {
		if u := urlRE.FindString(val); u != "" {
			w, d := b.src(l)
			f.str("url", &f.x.URL, strings.TrimRight(u, ".,;"), w, d)
		}
	}
}

// readPurposeLabels fills the purpose from a Purpose label, then from an
// addressee label that names it ("For action to: ...").
func readPurposeLabels(f filler, b *block) {
	if val, l := b.fs.get(keyPurpose); val != "" {
		w, d := b.src(l)
		f.purpose(purposeOf(val), w, d)
	}
	action, al := b.fs.get(keyActionTo)
	comment, cl := b.fs.get(keyCommentTo)
	switch {
	case action != "" && !isNone(action):
		w, d := b.src(al)
		f.purpose(liaison.PurposeAction, w, d)
	case comment != "" && !isNone(comment):
		w, d := b.src(cl)
		f.purpose(liaison.PurposeComment, w, d)
	}
}

// readResponseOrInfo fills the purpose last: a statement that answers one
// is a response; one sent only "for information to" is information.
func readResponseOrInfo(f filler, b *block) {
	x := f.x
	if info, il := b.fs.get(keyInfoTo); info != "" && !isNone(info) && ietfPartyRE.MatchString(info) {
		w, d := b.src(il)
		f.purpose(liaison.PurposeInfo, w, d)
	}
	if f.answers() {
		w, d := b.src("reply")
		if sw, ok := x.Sources["in_response_to"]; ok {
			w, d = sw.Where, sw.Detail
		}
		f.purpose(liaison.PurposeResponse, w, d)
	}
	if info, il := b.fs.get(keyInfoTo); info != "" && !isNone(info) {
		w, d := b.src(il)
		f.purpose(liaison.PurposeInfo, w, d)
	}
}

// readCopyPurpose fills the purpose of a letter or sheet that names the
// IETF only among its copies ("To: ETSI ISG NGP", "Cc: IETF"): it is for
// the IETF's information, whatever it asks of its addressees or answers.
func readCopyPurpose(f filler, b *block) {
	to, tl := b.fs.get(keyTo)
	cc, l := b.fs.get(keyCc)
	if to == "" || sentByIETF(b) {
		return
	}
	if ietfPartyRE.MatchString(to) {
		// "To: BBF; IETF LIME WG (copy)": an addressee marked as copied
		// in the To line is a copy all the same.
		if !ietfOnlyCopiedIn(to) {
			return
		}
		l = tl
	} else if !ietfPartyRE.MatchString(cc) {
		return
	}
	w, d := b.src(l)
	f.purpose(liaison.PurposeInfo, w, d+": the IETF is only copied")
}

// sentByIETF reports whether a block's Source or From line names an IETF
// body, or people in IETF roles: the IETF in its Cc is then a copy of
// the IETF's own letter, not a sign that the IETF is only informed.
func sentByIETF(b *block) bool {
	for _, k := range []key{keySource, keyFrom} {
		if val, _ := b.fs.get(k); val != "" {
			if org, _, ok := roleSenders(val); ok {
				return isIETFOrg(org)
			}
			return isIETFOrg(oneLine(val))
		}
	}
	return false
}

// copyMarkRE is an addressee's mark that it only receives a copy.
var copyMarkRE = regexp.MustCompile(`(?i)\((?:copy|cc|for information|for info)\)`)

// ietfOnlyCopiedIn reports whether every IETF addressee of a To value is
// marked as a copy while some other addressee is not.
func ietfOnlyCopiedIn(to string) bool {
	copied, other := false, false
	for _, p := range splitParties(to) {
		switch {
		case !ietfPartyRE.MatchString(p):
			other = other || !copyMarkRE.MatchString(p)
		case copyMarkRE.MatchString(p):
			copied = true
		default:
			return false
		}
	}
	return copied && other
}

// readToCc fills the addressees from To and Cc labels, each To entry
// passed through party, the Cc value split by ccParties.
func readToCc(f filler, b *block, party func(string) string, ccParties func(string) []string) {
	x := f.x
	if val, l := b.fs.get(keyTo); val != "" {
		w, d := b.src(l)
		var to []string
		for _, p := range splitParties(val) {
			if p = party(p); p != "" {
				to = appendUniq(to, p)
			}
		}
		f.list("to_text", &x.ToText, to, w, d)
	}
	if val, l := b.fs.get(keyCc); val != "" && !isNone(val) {
		w, d := b.src(l)
		f.list("cc_text", &x.CcText, ccParties(val), w, d)
	}
}

// readContacts fills the response and technical contacts. A layout whose
// single Contact label also receives replies passes contactAnswers.
func readContacts(f filler, b *block, contactAnswers bool) {
	x := f.x
	if val, l := b.fs.get(keyRespContact); val != "" {
		w, d := b.src(l)
		f.contacts("response_contacts", &x.ResponseContacts, parseContacts(val), w, d)
	}
	if val, l := b.fs.get(keyTechContact); val != "" {
		w, d := b.src(l)
		f.contacts("technical_contacts", &x.TechnicalContacts, parseContacts(val), w, d)
	}
	var cs []liaison.Contact
	label := ""
	for _, fl := range b.fs.by[keyContact] {
		cs = append(cs, parseContacts(fl.value)...)
		if label == "" {
			label = fl.label
		}
	}
	if len(cs) > 0 {
		w, d := b.src(label)
		f.contacts("technical_contacts", &x.TechnicalContacts, dedupContacts(cs), w, d)
		if contactAnswers {
			f.contacts("response_contacts", &x.ResponseContacts, dedupContacts(cs), w, d)
		}
	}
}

// purposeOf maps a purpose phrase to a Purpose.
func purposeOf(s string) liaison.Purpose {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(l, "action"):
		return liaison.PurposeAction
	case strings.Contains(l, "comment"), strings.Contains(l, "review"), strings.Contains(l, "feedback"), strings.Contains(l, "input"), strings.Contains(l, "consideration"):
		return liaison.PurposeComment
	case strings.Contains(l, "response"), strings.Contains(l, "reply"):
		return liaison.PurposeResponse
	case strings.Contains(l, "info"):
		return liaison.PurposeInfo
	}
	return ""
}

// keepParty returns an addressee as written.
func keepParty(s string) string { return s }

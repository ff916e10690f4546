package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// analyse classifies the message and extracts the statement.
func analyse(x *liaison.Extraction, top *node, opt Options, w *walker) {
	x.Attachments = allAttachments(top)
	fullText, _ := bodyText(top)
	if strings.TrimSpace(fullText) == "" && len(x.Attachments) == 0 && len(top.inner) == 0 {
		w.problem("empty-body", "message has no text and no attachments")
	}
	switch {
	case isBounce(x, top, true):
		x.Kind = liaison.KindBounce
	case isAutoreply(x, top):
		x.Kind = liaison.KindAutoreply
	case isBounce(x, top, false):
		x.Kind = liaison.KindBounce
	}
	if x.Kind == liaison.KindBounce || x.Kind == liaison.KindAutoreply {
		x.Body = strings.TrimSpace(fullText)
		if x.Body != "" {
			x.Sources["body"] = liaison.Source{Where: "header", Detail: "message body"}
		}
		return
	}
	v := readForwarded(top, x.Subject)
	if extractStatement(x, v, opt) {
		x.Kind = liaison.KindStatement
		x.ContentHash = ContentHash(x)
		return
	}
	// Not a statement: forget partial statement fields.
	keep := x.Attachments
	*x = liaison.Extraction{
		MessageID: x.MessageID, InReplyTo: x.InReplyTo, References: x.References, Subject: x.Subject,
		Date: x.Date, From: x.From, Sender: x.Sender, HeaderTo: x.HeaderTo, HeaderCc: x.HeaderCc,
		ListID: x.ListID, AutoSubmit: x.AutoSubmit, OwnMail: x.OwnMail, Problems: x.Problems,
		Attachments: keep, Sources: map[string]liaison.Source{},
	}
	if s := x.Subject; s != "" {
		x.Sources["subject"] = liaison.Source{Where: "header", Detail: "Subject"}
	}
	if len(x.InReplyTo) > 0 || len(x.References) > 0 || reSubjectRE.MatchString(x.Subject) {
		x.Kind = liaison.KindReply
	} else {
		x.Kind = liaison.KindOther
	}
	x.Body = strings.TrimSpace(v.text)
}

// sheetScope bounds the text searched for cover-sheet labels and sections
// (a 3GPP "Actions" section can follow pages of description).
const sheetScope = 64 << 10

// extractStatement fills the statement fields of x from v and reports
// whether v is a liaison statement.
func extractStatement(x *liaison.Extraction, v view, opt Options) bool {
	// The datatracker's deadline reminder repeats a statement it already
	// announced; it is not a new one.
	if isTrackerReminder(v) {
		return false
	}
	f := newFiller(x)
	// Cover sheets and the facts written in prose come first in a
	// statement: analyse the head of the text (bounding the regular
	// expression work on long mail) and keep the whole text as the body.
	full := v.text
	v.text = headOf(v.text, sheetScope)
	blocks, body := findBlocks(v)
	// Free-form mail often still carries a few "Title: ... / To: ..." lines:
	// read them as labels (they beat sentences and the subject).
	sheet := len(blocks) > 0
	if !sheet && (proseReader{}).recognise(body, v.subject) {
		body.reader, body.where = proseReader{}, string(liaison.ShapeProse)
		blocks = append(blocks, body)
		sheet = isLetter(body)
	}
	// A secretariat's acknowledgement quotes the statement it
	// acknowledges; it is not a new one.
	if !sheet && isAcknowledgement(v) {
		return false
	}
	// Prose evidence is only needed when no cover sheet or letter head was
	// found (and it is the most expensive test).
	if !sheet && !proseEvidence(v) {
		return false
	}
	if v.forwarded {
		x.OriginalFrom, x.OriginalDate = v.origFrom, v.origDate
	}
	x.Shape = liaison.ShapeProse
	if len(blocks) > 0 {
		x.Shape = blocks[0].shape()
	}
	for _, b := range blocks {
		b.reader.readTitle(f, b, v)
	}
	if len(blocks) == 0 {
		readHeadingTitle(f, v)
		if t := titleFromSubject(v.subject); t != "" {
			f.str("title", &x.Title, t, "subject", "Subject")
		}
	}
	readProseRef(f, v)
	for _, b := range blocks {
		b.reader.readFields(f, b)
	}
	readSentences(f, v)
	fillBody(f, v, blocks, full)
	if len(v.atts) > 0 {
		x.Sources["attachments"] = liaison.Source{Where: "attachment-name", Detail: "MIME parts"}
	}

	// Identifiers of this statement.
	ids := collectIDs(x, v, blocks)
	f.list("other_ids", &x.OtherIDs, ids, "prose", "identifiers in subject, sheet and file names")
	if len(x.OtherIDs) > 0 {
		x.Sources["other_ids"] = idSource(v, blocks, x.OtherIDs[0])
	}
	fillDirection(f, v, opt)
	if x.FromGroup == "" && x.FromOrgText != "" {
		f.str("from_group", &x.FromGroup, groupOf(x.FromOrgText), x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
	}
	if f.answers() && x.Purpose == "" {
		f.purpose(liaison.PurposeResponse, x.Sources["in_response_to"].Where, "in response to "+x.InResponseTo)
	}
	// A statement that states no purpose, asks nothing (no request was
	// read) and sets no date conveys information, as a manager records it.
	if x.Purpose == "" && x.Deadline.IsZero() {
		f.purpose(liaison.PurposeInfo, "default", "no purpose stated, nothing asked, no deadline")
	}
	return true
}

// isLetter reports whether a labelled block is a letter's head on its own
// account: a title, a sender or addressee, and a purpose or deadline
// ("Title / From / To / For" lines), or what it answers ("Ref:"), or
// labels that say it is a liaison ("Liaison to:"), whatever words the body
// uses.
func isLetter(b *block) bool {
	fs := b.fs
	return (fs.has(keyTitle) || fs.has(keyTitleAlt)) && fs.count(keyFrom, keySource, keyTo) >= 1 &&
		(fs.count(keyPurpose, keyDeadline, keyActionTo, keyInfoTo, keyCommentTo, keyRef) >= 1 || liaisonLabels(fs))
}

// liaisonLabels reports whether a sender or addressee label names a
// liaison ("Liaison to:", "Liaison from:").
func liaisonLabels(fs fieldSet) bool {
	for _, k := range []key{keyFrom, keyTo} {
		for _, f := range fs.by[k] {
			if strings.Contains(strings.ToLower(f.label), "liaison") {
				return true
			}
		}
	}
	return false
}

// ackRE finds an acknowledgement of receipt.
var ackRE = regexp.MustCompile(`(?i)\b(?:acknowledg(?:e|es|ing)\s+(?:the\s+)?receipt|acknowledg(?:e)?ment\s+of\s+receipt|receipt\s+of\s+(?:your|the)\s+(?:LS|liaison|letter)|(?:has|have)\s+been\s+(?:duly\s+)?(?:received|registered|logged)|confirms?\s+(?:the\s+)?receipt|we\s+have\s+received\s+your)\b`)

// isAcknowledgement reports whether the mail acknowledges receipt of a
// statement (in its subject or first lines) rather than carrying one:
// "We acknowledge receipt of your LS ...", "Your liaison statement has
// been received". An acknowledgement is short and attaches no document; a
// statement that mentions receiving something is not one.
func isAcknowledgement(v view) bool {
	if len(strings.TrimSpace(v.text)) > ackMaxText || len(v.docx) > 0 {
		return false
	}
	for _, a := range v.atts {
		if !strings.HasPrefix(a.ContentType, "image/") {
			return false
		}
	}
	return ackRE.MatchString(v.subject) || ackRE.MatchString(headOf(v.text, 600))
}

// trackerReminderSubjectRE and trackerReminderTextRE recognise the
// datatracker's reminder of a statement's deadline ("[Liaison deadline in
// one week] <title>", "[Liaison OUT OF DATE] <title>"; "The following
// liaison expires in one week." before the statement's fields).
var (
	trackerReminderSubjectRE = regexp.MustCompile(`^\s*\[Liaison (?:deadline\b[^\]]*|OUT OF DATE)\]`)
	trackerReminderTextRE    = regexp.MustCompile(`^\s*The following liaison (?:expires\b|is out of date\b)`)
)

// isTrackerReminder reports whether v is the datatracker's reminder of a
// statement's deadline.
func isTrackerReminder(v view) bool {
	return trackerReminderSubjectRE.MatchString(v.subject) || trackerReminderTextRE.MatchString(v.text)
}

// ackMaxText is the longest an acknowledgement's own text is taken to be.
const ackMaxText = 1500

// findBlocks splits the statement into the labelled blocks a sheet reader
// recognises: the mail text, then each attached document. body is the
// mail text's block, recognised or not.
func findBlocks(v view) (blocks []*block, body *block) {
	body = newBlock(v.text, "", "")
	if r := recogniseBlock(body, v.subject); r != nil {
		body.reader, body.where = r, string(r.shape())
		blocks = append(blocks, body)
	}
	for _, d := range v.docx {
		b := newBlock(headOf(normText(d.text), sheetScope), d.where(), d.name)
		if r := recogniseBlock(b, ""); r != nil {
			b.reader = r
			blocks = append(blocks, b)
		} else if (proseReader{}).recognise(b, "") {
			// A letter with a few labelled lines (Title, To, For).
			b.reader = proseReader{}
			blocks = append(blocks, b)
		}
	}
	return blocks, body
}

// fillBody keeps the tracker's Body field, else the statement's text, else
// the text of its cover document.
func fillBody(f filler, v view, blocks []*block, full string) {
	if f.x.Body != "" {
		return
	}
	where := string(liaison.ShapeProse)
	if len(blocks) > 0 && !blocks[0].fromFile() {
		where = blocks[0].where
	}
	if v.textWhere == "html" {
		where = "html"
	}
	f.str("body", &f.x.Body, full, where, "message body")
	for _, d := range v.docx {
		f.str("body", &f.x.Body, normText(d.text), d.where(), d.name)
	}
}

// fillDirection decides whether the statement comes from a peer or from
// the IETF, unless a reader did: by the sending organization, else by the sender's address
// (the original sender's, for a forward) being in the IETF's own domain,
// the liaison address's.
func fillDirection(f filler, v view, opt Options) {
	x := f.x
	if x.Direction != "" {
		return // a reader decided (a tracker notice names both sides)
	}
	if x.FromOrgText != "" {
		d := liaison.Incoming
		if isIETFOrg(x.FromOrgText) {
			d = liaison.Outgoing
		}
		x.Direction = d
		x.Sources["direction"] = liaison.Source{Where: x.Sources["from_org_text"].Where, Detail: "from organization " + x.FromOrgText}
		return
	}
	sender := x.From.Email
	if v.forwarded {
		sender = v.origFrom.Email
	}
	if x.Shape != liaison.ShapeTracker && inIETFDomain(sender, opt.LiaisonAddresses) {
		x.Direction = liaison.Outgoing
		x.Sources["direction"] = liaison.Source{Where: "header", Detail: sender + " is in the liaison address's domain"}
		return
	}
	x.Direction = liaison.Incoming
	x.Sources["direction"] = liaison.Source{Where: "header", Detail: "default: sender is not an IETF body"}
}

// inIETFDomain reports whether addr is in the domain (or a subdomain) of
// one of the liaison addresses, and is not one of them.
func inIETFDomain(addr string, liaisonAddrs []string) bool {
	_, dom, ok := strings.Cut(strings.ToLower(strings.TrimSpace(addr)), "@")
	if !ok {
		return false
	}
	for _, l := range liaisonAddrs {
		l = strings.ToLower(strings.TrimSpace(l))
		_, ld, ok := strings.Cut(l, "@")
		if !ok || l == strings.ToLower(addr) {
			continue
		}
		if dom == ld || strings.HasSuffix(dom, "."+ld) {
			return true
		}
	}
	return false
}

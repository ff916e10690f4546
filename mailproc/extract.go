package mailproc

import (
	"regexp"
	"sort"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/dates"
)

var (
	lsFileRE      = regexp.MustCompile(`(?i)(^|[^a-z])(ls|liaison)([^a-z]|$)`)
	actionLineRE  = regexp.MustCompile(`(?is)\bACTIONS?\s*:\s*(.*)`)
	asksRE        = regexp.MustCompile(`(?i)\b(?:asks?|requests?|invites?|kindly\s+asked)\b`)
	noActionRE    = regexp.MustCompile(`(?i)^(?:none|no\s+action|n/a)\b`)
	fileFromToRE  = regexp.MustCompile(`(?i)\b(?:LS|liaison)\s+from\s+(.+?)\s+to\s+(.+)$`)
	notDeadlineRE = regexp.MustCompile(`(?i)(?:date\s+of\s+(?:the\s+)?next|next\s+meetings?\s*:|submission\s+date|submitted|dated|sent\s+on|of\s+$)`)
	byNearRE      = regexp.MustCompile(`(?i)(?:by|before|no\s+later\s+than|deadline)\s*:?\s*(?:the\s+)?(?:(?:end|middle|beginning)\s+of\s+)?(?:[A-Za-z]+day,?\s+)?$`)
	abbrevRE      = regexp.MustCompile(`(?i)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|e\.g|i\.e|no|vs|cf)$`)
	refLineRE     = regexp.MustCompile(`(?i)\b(?:response|reply|replies|previous|earlier|your|referenced)\b`)
	reSubjectRE   = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*)*(?:re|aw|sv|antw|r)\s*(?:\[\d+\])?\s*:`)
	fwdSubjectRE  = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*)*(?:fwd?|fw|wg|tr|rv|enc)\s*:`)
	subjPrefixRE  = regexp.MustCompile(`(?i)^\s*(?:(?:\[[^\]]*\]|re|aw|sv|fwd?|fw|wg|tr)\s*:?\s*)+`)
	trackerSubjRE = regexp.MustCompile(`(?i)new\s+liaison\s+statement\s*,\s*["“]?(.+?)["”]?\s*$`)
	gpp3HeaderRE  = regexp.MustCompile(`(?im)^\s*(3GPP\s+TSG[^\n#]*?)\s+(?:Meeting|Mtg|#)[^\n]*$`)
	tdocRE        = regexp.MustCompile(`\b(?:S[1-6P]|R[1-6P]|C[1-6P]|RP|CP|SP|GP)-\d{6,7}\b`)
	ituIDRE       = regexp.MustCompile(`(?i)\b(?:SG\s?\d{1,2}\s?-\s?LS\s?\d{1,4}|COM\s?\d{1,2}\s?-\s?LS\s?\d{1,4}(?:-E)?|TD\s?\d{1,5}(?:\s?\((?:PLEN|GEN|WP\s?\d)/\d{1,2}\)|/(?:P|PLEN|GEN|WP\d)(?:/\d{1,2})?)?)\b`)
	ieeeIDRE      = regexp.MustCompile(`\b\d{1,2}-\d{2}/\d{3,4}r\d+\b`)
	lsMarkerRE    = regexp.MustCompile(`(?i)\bLIAISON\s+STATEMENT\b`)
	questionRE    = regexp.MustCompile(`(?i)\bQ(?:uestions?\s*\(?s?\)?)?\.?\s*(\d{1,2})/(\d{1,2})\b`)
	qNumRE        = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})\b`)
	studyGroupRE  = regexp.MustCompile(`(?i)\b(?:study\s+group|SG)\s?(\d{1,2})\b`)
	urlRE         = regexp.MustCompile(`https?://[^\s<>"()]+`)
	proseLSRE     = regexp.MustCompile(`(?i)\b(?:LS|liaison(?:\s+statement)?|liaison\s+letter|letter)\b`)
	attachPhrase  = regexp.MustCompile(`(?i)(please\s+find\s+(?:attached|enclosed|below)|attached\s+(?:is|please\s+find|you\s+will\s+find|are)|enclosed\s+(?:is|please\s+find)|(?:we|i)\s+(?:are\s+pleased\s+to\s+)?(?:send|forward|transmit|submit)|on\s+behalf\s+of|is\s+attached|sent\s+(?:to\s+you\s+)?(?:an?|the)\s+(?:new\s+)?(?:LS|liaison))`)
	proseFromToRE = regexp.MustCompile(`(?i)\b(?:LS|liaison(?:\s+statement)?|letter|reply)\s+from\s+(?:the\s+)?(.+?)\s+to\s+(?:the\s+)?(.+?)(?:\s+(?:on|about|regarding|concerning|re)\b|\s*[,.;:()\n]|\s+for\s+|\s+in\s+(?:response|reply)|$)`)
	subjFromToRE  = regexp.MustCompile(`(?i)^(.+?)\s+(?:reply\s+)?(?:LS|liaison(?:\s+statement)?)\b(?:\s+[A-Z]+-?\d[\w/-]*)?\s+to\s+(.+?)(?:\s*:\s*|\s+on\s+|\s+-\s+|$)`)
	purposeRE     = regexp.MustCompile(`(?i)\bfor\s+(?:your\s+)?(action|comments?|information|info|review|consideration|feedback|input)\b`)
	responseRE    = regexp.MustCompile(`(?i)\b(?:in\s+(?:response|reply)\s+to|(?:reply|response|answer)\s+to\s+(?:the\s+|your\s+|our\s+|an?\s+)?(?:IETF\s+|earlier\s+|previous\s+)?(?:LS|liaison|letter|statement))\b`)
	titleReplyRE  = regexp.MustCompile(`(?i)^\s*(?:reply|response|answer)(?:\s+LS)?\s+to\s+(.+)$`)
	ietfOrgRE     = regexp.MustCompile(`(?i)^\s*(?:the\s+)?(?:IETF|IAB|IESG|IRTF|IRSG|Internet\s+Engineering\s+Task\s+Force|Internet\s+Architecture\s+Board|Internet\s+Research\s+Task\s+Force)\b`)
	wgOnlyRE      = regexp.MustCompile(`^\s*[A-Za-z0-9]{2,12}(?:\s+(?:WG|working\s+group|RG|research\s+group))\s*$`)
	sdoPrefixRE   = regexp.MustCompile(`(?i)^\s*(?:ITU-[TRD]|ITU|3GPP|IEEE|ETSI|BBF|Broadband\s+Forum|MEF|ISO/IEC\s+JTC\s*1|ISO|IEC|W3C|GSMA|O-RAN|ONF|OIF|IETF)\b`)
	gppGroupRE    = regexp.MustCompile(`(?i)\b(?:TSG\s+)?(SA|RAN|CT|GERAN)\s*(?:WG\s*|Working\s+Group\s*)?(\d)?\b`)
	deadlineCueRE = regexp.MustCompile(`(?i)(?:\b(?:by|before|until|till|prior\s+to|no\s+later\s+than|not\s+later\s+than|due(?:\s+(?:by|on))?|deadline(?:\s+(?:is|of))?|in\s+time\s+for)\s*:?\s*(?:the\s+)?(?:(?:end|middle|beginning)\s+of\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?)$`)
	replyCueRE    = regexp.MustCompile(`(?i)\b(?:reply|replies|respond|response|responses|answer|feedback|comments?|input|deadline|views)\b`)
	beforeCueRE   = regexp.MustCompile(`(?i)\b(?:by|before|prior\s+to|no\s+later\s+than|not\s+later\s+than|until|in\s+time\s+for|ahead\s+of)\b`)
)

// view is the candidate statement: the original message once forwarding is
// peeled off.
type view struct {
	subject   string
	text      string // plain text of the original
	textWhere string // "html" when converted from HTML
	atts      []liaison.Attachment
	docx      []docText
	forwarded bool
}

// bodyText returns the text of a node: its plain parts, or its HTML parts
// converted when there is no plain text.
func bodyText(n *node) (string, string) {
	var parts []string
	for _, p := range n.plain {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, normText(p))
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "\n\n"), ""
	}
	for _, h := range n.html {
		if t := htmlToText(h); strings.TrimSpace(t) != "" {
			parts = append(parts, normText(t))
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "\n\n"), "html"
	}
	return "", ""
}

// allAttachments lists attachments of n and of messages inside it.
func allAttachments(n *node) []liaison.Attachment {
	out := append([]liaison.Attachment(nil), n.atts...)
	for _, c := range n.inner {
		out = append(out, allAttachments(c)...)
	}
	return out
}

func allDocx(n *node) []docText {
	out := append([]docText(nil), n.docx...)
	for _, c := range n.inner {
		out = append(out, allDocx(c)...)
	}
	return out
}

// originalView peels forwarding layers off n.
func originalView(n *node, subject string, depth int) view {
	text, where := bodyText(n)
	v := view{subject: subject, text: text, textWhere: where, atts: n.atts, docx: n.docx}
	if depth > 5 {
		return v
	}
	isRe := reSubjectRE.MatchString(subject)
	isFwd := fwdSubjectRE.MatchString(subject)
	if len(n.inner) > 0 && !isRe {
		inner := n.inner[0]
		in := originalView(inner, unfold(hget(inner.hdr, "Subject")), depth+1)
		if in.subject == "" {
			in.subject = subject
		}
		in.forwarded = true
		// Files attached beside the forwarded message travel with it.
		in.atts = append(append([]liaison.Attachment(nil), in.atts...), n.atts...)
		in.docx = append(append([]docText(nil), in.docx...), n.docx...)
		for _, more := range n.inner[1:] {
			in.atts = append(in.atts, allAttachments(more)...)
			in.docx = append(in.docx, allDocx(more)...)
		}
		return in
	}
	if f, ok := splitForward(text, !isRe || isFwd); ok && (!isRe || isFwd) {
		v.forwarded = true
		v.text = f.body
		if s := f.headers["subject"]; s != "" {
			v.subject = unfold(decodeWords(s))
		}
		// Peel a forward of a forward.
		if g, ok := splitForward(v.text, true); ok && strings.TrimSpace(g.before) == "" {
			v.text = g.body
			if s := g.headers["subject"]; s != "" {
				v.subject = unfold(decodeWords(s))
			}
		}
		return v
	}
	if isRe {
		v.text = ownText(text)
	}
	for _, c := range n.inner {
		v.atts = append(v.atts, allAttachments(c)...)
	}
	return v
}

// filler records each field's value and source, keeping the first (highest
// precedence) value.
type filler struct{ x *liaison.Extraction }

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

func (f filler) deadline(d liaison.Date, where, detail string) {
	if !f.x.Deadline.IsZero() || !d.Valid() {
		return
	}
	f.x.Deadline = d
	f.x.Sources["deadline"] = liaison.Source{Where: where, Detail: detail}
}

// sheet is one labelled block (body or .docx) and its recognised shape.
type sheet struct {
	shape  string // "tracker", "itu", "3gpp" or ""
	fs     fieldSet
	text   string
	where  string // "tracker", "itu", "3gpp", or "docx"/"pdf" for an attached document
	detail string // file name for an attached document
}

// fromFile reports whether the sheet was read from an attached document.
func (s sheet) fromFile() bool { return s.where == "docx" || s.where == "pdf" }

func detectShape(text, subject string, fs fieldSet) string {
	trackerish := fs.count("submitted", "respcontacts", "techcontacts", "purpose", "ref", "url", "deadline", "body")
	if trackerSubjRE.MatchString(subject) && (fs.has("title") || trackerish >= 1) {
		return "tracker"
	}
	if fs.has("title") && fs.count("submitted", "respcontacts", "techcontacts", "purpose") >= 2 {
		return "tracker"
	}
	// The "3GPP TSG ... Meeting #" line heads the sheet.
	if (fs.has("title") || fs.has("source")) && gpp3HeaderRE.MatchString(headOf(text, 4<<10)) {
		return "3gpp"
	}
	if fs.count("release", "workitem", "description", "actions", "nextmeeting") >= 1 && fs.has("title") && (fs.has("source") || fs.has("to")) {
		return "3gpp"
	}
	if fs.has("respcontacts") && fs.count("release", "workitem", "contact") >= 1 && fs.has("title") {
		return "3gpp"
	}
	itu := fs.count("action_to", "comment_to", "info_to", "approval", "question", "contact", "deadline")
	if itu >= 1 && (fs.has("source") || fs.has("title")) && (lsMarkerRE.MatchString(text) || itu >= 2) {
		return "itu"
	}
	return ""
}

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
	v := originalView(top, x.Subject, 0)
	if extractStatement(x, v) {
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

// extractStatement fills the statement fields of x from v and reports
// whether v is a liaison statement.
func extractStatement(x *liaison.Extraction, v view) bool {
	f := filler{x}
	// Cover sheets and the facts written in prose come first in a
	// statement: analyse the head of the text (bounding the regular
	// expression work on long mail) and keep the whole text as the body.
	full := v.text
	v.text = headOf(v.text, sheetScope)
	text := v.text
	var sheets []sheet
	bodyFS := newFieldSet(parseLabels(text))
	if shape := detectShape(text, v.subject, bodyFS); shape != "" {
		sheets = append(sheets, sheet{shape: shape, fs: bodyFS, text: text, where: shape})
	}
	for _, d := range v.docx {
		dt := headOf(normText(d.text), sheetScope)
		fs := newFieldSet(parseLabels(dt))
		if shape := detectShape(dt, "", fs); shape != "" {
			sheets = append(sheets, sheet{shape: shape, fs: fs, text: dt, where: d.where(), detail: d.name})
		}
	}
	// Prose evidence is only needed when no cover sheet was found (and it
	// is the most expensive test).
	if len(sheets) == 0 && !proseEvidence(v) {
		return false
	}
	// Free-form mail often still carries a few "Title: ... / To: ..." lines:
	// read them as labels (they beat sentences and the subject).
	if len(sheets) == 0 && bodyFS.has("title") && bodyFS.count("source", "to", "purpose", "deadline", "contact", "action_to", "info_to", "comment_to") >= 1 {
		sheets = append(sheets, sheet{shape: "prose", fs: bodyFS, text: text, where: "prose"})
	}
	if len(sheets) > 0 {
		x.Shape = sheets[0].shape
	} else {
		x.Shape = "prose"
	}
	for _, s := range sheets {
		fillTitleRef(f, s, v)
	}
	if len(sheets) == 0 {
		if t := titleFromSubject(v.subject); t != "" {
			f.str("title", &x.Title, t, "subject", "Subject")
		}
	}
	proseRef(f, v)
	for _, s := range sheets {
		fillFromSheet(f, s, v)
	}
	fillFromProse(f, v)

	// Body: the tracker's Body field, else the statement's text, else the
	// text of its cover document.
	if x.Body == "" {
		where := "prose"
		if len(sheets) > 0 && !sheets[0].fromFile() {
			where = sheets[0].where
		}
		if v.textWhere == "html" {
			where = "html"
		}
		f.str("body", &x.Body, full, where, "message body")
		for _, d := range v.docx {
			f.str("body", &x.Body, normText(d.text), d.where(), d.name)
		}
	}
	if len(v.atts) > 0 {
		x.Sources["attachments"] = liaison.Source{Where: "attachment-name", Detail: "MIME parts"}
	}

	// Identifiers of this statement.
	ids := collectIDs(x, v, sheets)
	f.list("other_ids", &x.OtherIDs, ids, "prose", "identifiers in subject, sheet and file names")
	if len(x.OtherIDs) > 0 {
		x.Sources["other_ids"] = idSource(v, sheets, x.OtherIDs[0])
	}

	// Direction.
	if x.FromOrgText != "" {
		d := liaison.Incoming
		if isIETFOrg(x.FromOrgText) {
			d = liaison.Outgoing
		}
		x.Direction = d
		x.Sources["direction"] = liaison.Source{Where: x.Sources["from_org_text"].Where, Detail: "from organization " + x.FromOrgText}
	} else {
		x.Direction = liaison.Incoming
		x.Sources["direction"] = liaison.Source{Where: "header", Detail: "default: sender is not an IETF body"}
	}
	if x.FromGroup == "" && x.FromOrgText != "" {
		f.str("from_group", &x.FromGroup, groupOf(x.FromOrgText), x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
	}
	if x.InResponseTo != "" && x.Purpose == "" {
		f.purpose(liaison.PurposeResponse, x.Sources["in_response_to"].Where, "in response to "+x.InResponseTo)
	}
	return true
}

// proseEvidence reports whether free-form mail carries a statement.
func proseEvidence(v view) bool {
	own := v.text
	subjLS := proseLSRE.MatchString(v.subject) && !reSubjectRE.MatchString(v.subject) || trackerSubjRE.MatchString(v.subject)
	bodyLS := proseLSRE.MatchString(own)
	attach := attachPhrase.FindStringIndex(own)
	lsFile := false
	for _, a := range v.atts {
		if looksLikeLSFile(a.Name) {
			lsFile = true
		}
	}
	hasFiles := len(v.atts) > 0
	purpose := purposeRE.MatchString(own)
	switch {
	case attach != nil && bodyLS && (hasFiles || purpose || subjLS):
		return true
	case subjLS && (lsFile || purpose || attach != nil):
		return true
	case lsFile && (attach != nil || purpose) && bodyLS:
		return true
	case proseFromToRE.MatchString(own) && (purpose || hasFiles):
		return true
	}
	return false
}

func looksLikeLSFile(name string) bool {
	n := strings.ToLower(name)
	return lsFileRE.MatchString(n) || tdocRE.MatchString(name) || ituIDRE.MatchString(name)
}

// fillTitleRef fills the title and what the statement answers; it runs
// before purposes are decided, since answering makes a response.
func fillTitleRef(f filler, s sheet, v view) {
	x := f.x
	src := func(label string) (string, string) {
		if s.fromFile() {
			return s.where, s.detail + ": " + label
		}
		return s.where, label
	}
	if val, l := s.fs.get("title"); val != "" {
		w, d := src(l)
		f.str("title", &x.Title, oneLine(val), w, d)
	}
	if s.shape == "tracker" {
		if m := trackerSubjRE.FindStringSubmatch(v.subject); m != nil {
			f.str("title", &x.Title, m[1], "subject", "Subject")
		}
	}
	// In response to.
	if val, l := s.fs.get("ref"); val != "" && !isNone(val) {
		w, d := src(l)
		ref := val
		if s.shape == "tracker" {
			ref = strings.TrimSpace(urlRE.ReplaceAllString(ref, ""))
			ref = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(ref, "()"), "( )"))
		}
		f.str("in_response_to", &x.InResponseTo, oneLine(ref), w, d)
	}
	if x.InResponseTo == "" && x.Title != "" {
		if m := titleReplyRE.FindStringSubmatch(x.Title); m != nil {
			f.str("in_response_to", &x.InResponseTo, m[1], x.Sources["title"].Where, "Title: "+x.Title)
		}
	}
}

// fillFromSheet fills fields from one labelled sheet.
func fillFromSheet(f filler, s sheet, v view) {
	x := f.x
	src := func(label string) (string, string) {
		if s.fromFile() {
			return s.where, s.detail + ": " + label
		}
		return s.where, label
	}
	// Deadline.
	for _, fl := range s.fs.by["deadline"] {
		if d, ok := dates.Parse(fl.value); ok {
			w, dd := src(fl.label)
			f.deadline(d, w, dd)
		}
	}
	// URL.
	if val, l := s.fs.get("url"); val != "" {
		if u := urlRE.FindString(val); u != "" {
			w, d := src(l)
			f.str("url", &x.URL, strings.TrimRight(u, ".,;"), w, d)
		}
	}
	// Purpose.
	if val, l := s.fs.get("purpose"); val != "" {
		w, d := src(l)
		f.purpose(purposeOf(val), w, d)
	}
	action, al := s.fs.get("action_to")
	comment, cl := s.fs.get("comment_to")
	info, il := s.fs.get("info_to")
	switch {
	case action != "" && !isNone(action):
		w, d := src(al)
		f.purpose(liaison.PurposeAction, w, d)
	case comment != "" && !isNone(comment):
		w, d := src(cl)
		f.purpose(liaison.PurposeComment, w, d)
	}
	if s.shape == "3gpp" {
		if val, l := s.fs.get("actions"); val != "" {
			w, d := src(l)
			if p := gppActionPurpose(val); p != "" {
				if x.InResponseTo != "" && p == liaison.PurposeInfo {
					p = liaison.PurposeResponse
				}
				f.purpose(p, w, d)
			}
		}
	}
	if x.InResponseTo != "" {
		w, d := src("reply")
		if sw, ok := x.Sources["in_response_to"]; ok {
			w, d = sw.Where, sw.Detail
		}
		f.purpose(liaison.PurposeResponse, w, d)
	}
	if info != "" && !isNone(info) {
		w, d := src(il)
		f.purpose(liaison.PurposeInfo, w, d)
	}

	// From organization and group.
	switch s.shape {
	case "prose":
		for _, key := range []string{"source", "from"} {
			if val, l := s.fs.get(key); val != "" {
				org, _ := trackerParty(val)
				if i := strings.LastIndex(org, "("); i > 0 && strings.Contains(org[i:], "@") {
					org = strings.TrimSpace(org[:i])
				}
				w, d := src(l)
				f.str("from_org_text", &x.FromOrgText, cleanParty(org), w, d)
				break
			}
		}
	case "tracker":
		if val, l := s.fs.get("from"); val != "" {
			org, group := trackerParty(val)
			// "3GPP TSG SA WG2 (Maurice Pope <m@example>)": the sender's
			// contact in parentheses is not part of the organization.
			if i := strings.LastIndex(org, "("); i > 0 && strings.Contains(org[i:], "@") {
				org = strings.TrimSpace(org[:i])
			}
			w, d := src(l)
			f.str("from_org_text", &x.FromOrgText, org, w, d)
			_ = group
		}
	case "3gpp":
		if val, l := s.fs.get("source"); val != "" {
			w, d := src(l)
			org := oneLine(val)
			if !strings.Contains(strings.ToUpper(org), "3GPP") {
				if m := gpp3HeaderRE.FindStringSubmatch(s.text); m != nil && sameGPPGroup(m[1], org) {
					org = strings.TrimSpace(m[1])
					d += " + header line"
				} else {
					org = "3GPP " + org
				}
			}
			f.str("from_org_text", &x.FromOrgText, org, w, d)
		}
		if m := gpp3HeaderRE.FindStringSubmatch(s.text); m != nil {
			w, _ := src("")
			f.str("from_org_text", &x.FromOrgText, strings.TrimSpace(m[1]), w, "header line")
		}
		if x.FromOrgText != "" {
			if g := gppGroup(x.FromOrgText); g != "" {
				f.str("from_group", &x.FromGroup, g, x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
			}
		}
	case "itu":
		if val, l := s.fs.get("source"); val != "" {
			w, d := src(l)
			f.str("from_org_text", &x.FromOrgText, oneLine(val), w, d)
		}
		var qs []string
		if val, l := s.fs.get("question"); val != "" {
			for _, m := range qNumRE.FindAllStringSubmatch(firstLine(val), -1) {
				qs = appendUniq(qs, "Q"+m[1]+"/"+m[2])
			}
			if len(qs) > 0 {
				w, d := src(l)
				f.str("from_group", &x.FromGroup, strings.Join(qs, ", "), w, d)
			}
		}
		if x.FromGroup == "" {
			if m := questionRE.FindStringSubmatch(x.FromOrgText); m != nil {
				f.str("from_group", &x.FromGroup, "Q"+m[1]+"/"+m[2], x.Sources["from_org_text"].Where, "derived from "+x.FromOrgText)
			}
		}
		if x.FromOrgText == "" {
			if m := studyGroupRE.FindStringSubmatch(s.text); m != nil {
				w, _ := src("")
				f.str("from_org_text", &x.FromOrgText, "ITU-T SG"+m[1], w, "study group in header")
			}
		}
	}

	// Addressees.
	switch s.shape {
	case "itu":
		var to, cc []string
		lbl := ""
		for _, k := range []string{"action_to", "comment_to"} {
			for _, fl := range s.fs.by[k] {
				if !isNone(fl.value) {
					to = append(to, splitParties(fl.value)...)
					if lbl == "" {
						lbl = fl.label
					}
				}
			}
		}
		for _, fl := range s.fs.by["info_to"] {
			if !isNone(fl.value) {
				cc = append(cc, splitParties(fl.value)...)
			}
		}
		if len(to) == 0 {
			to, cc = cc, nil
			lbl = il
		}
		w, d := src(lbl)
		f.list("to_text", &x.ToText, to, w, d)
		w, d = src(il)
		f.list("cc_text", &x.CcText, cc, w, d)
	default:
		if val, l := s.fs.get("to"); val != "" {
			w, d := src(l)
			var to []string
			for _, p := range splitParties(val) {
				if s.shape == "tracker" {
					p, _ = trackerParty(p)
				}
				to = appendUniq(to, p)
			}
			f.list("to_text", &x.ToText, to, w, d)
		}
		if val, l := s.fs.get("cc"); val != "" && !isNone(val) {
			w, d := src(l)
			var parts []string
			if s.shape == "tracker" {
				for _, c := range parseContacts(val) {
					if c.Email != "" {
						parts = append(parts, c.String())
					} else {
						parts = append(parts, c.Name)
					}
				}
				if len(parseContacts(val)) == 0 {
					parts = splitParties(val)
				}
			} else {
				parts = splitParties(val)
			}
			f.list("cc_text", &x.CcText, parts, w, d)
		}
	}

	// Contacts.
	if val, l := s.fs.get("respcontacts"); val != "" {
		w, d := src(l)
		f.contacts("response_contacts", &x.ResponseContacts, parseContacts(val), w, d)
	}
	if val, l := s.fs.get("techcontacts"); val != "" {
		w, d := src(l)
		f.contacts("technical_contacts", &x.TechnicalContacts, parseContacts(val), w, d)
	}
	var cs []liaison.Contact
	cl2 := ""
	for _, fl := range s.fs.by["contact"] {
		cs = append(cs, parseContacts(fl.value)...)
		if cl2 == "" {
			cl2 = fl.label
		}
	}
	if len(cs) > 0 {
		w, d := src(cl2)
		f.contacts("technical_contacts", &x.TechnicalContacts, dedupContacts(cs), w, d)
		if s.shape == "itu" {
			// ITU sheets name one contact for everything, replies included.
			f.contacts("response_contacts", &x.ResponseContacts, dedupContacts(cs), w, d)
		}
	}

	// The tracker's own Body field.
	if s.shape == "tracker" {
		if val, l := s.fs.get("body"); val != "" {
			w, d := src(l)
			f.str("body", &x.Body, val, w, d)
		}
	}
}

// gppActionPurpose reads the "Actions" section of a 3GPP sheet.
func gppActionPurpose(s string) liaison.Purpose {
	m := actionLineRE.FindStringSubmatch(s)
	if m == nil {
		if asksRE.MatchString(s) {
			return liaison.PurposeAction
		}
		return ""
	}
	a := strings.TrimSpace(m[1])
	if isNone(firstLine(a)) || noActionRE.MatchString(a) {
		return liaison.PurposeInfo
	}
	return liaison.PurposeAction
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

// trackerParty splits a tracker From/To value "Name <email> (Group)" into
// the group text (or the value when there is no parenthesis).
func trackerParty(v string) (string, string) {
	v = oneLine(v)
	if i := strings.LastIndex(v, "("); i >= 0 && strings.HasSuffix(v, ")") {
		inner := strings.TrimSpace(v[i+1 : len(v)-1])
		if inner != "" && !strings.Contains(inner, "@") {
			return inner, strings.TrimSpace(v[:i])
		}
		// "Group name (list@example)": keep as written.
		return v, ""
	}
	if strings.Contains(v, "@") {
		// "Name <email>" with no group: keep the name.
		return strings.TrimSpace(emailRE.ReplaceAllString(strings.NewReplacer("<", "", ">", "").Replace(v), "")), ""
	}
	return v, ""
}

// splitParties splits an addressee list at commas, semicolons and line
// ends, outside parentheses. " and " is not split: group names contain it.
func splitParties(v string) []string {
	var out []string
	depth := 0
	start := 0
	emit := func(s string) {
		s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ",;"))
		s = strings.TrimSpace(s)
		if s != "" && !isNone(s) {
			out = appendUniq(out, s)
		}
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ',', ';', '\n':
			if depth == 0 {
				emit(v[start:i])
				start = i + 1
			}
		}
	}
	emit(v[start:])
	return out
}

func appendUniq(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// isIETFOrg reports whether an organization text names an IETF body.
func isIETFOrg(s string) bool {
	if ietfOrgRE.MatchString(s) {
		return true
	}
	return wgOnlyRE.MatchString(s) && !sdoPrefixRE.MatchString(s)
}

// gppGroup turns "3GPP TSG SA WG2" into "SA2", "CT WG4" into "CT4", "TSG SA"
// into "SA".
func gppGroup(s string) string {
	m := gppGroupRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return strings.ToUpper(m[1]) + m[2]
}

func sameGPPGroup(a, b string) bool {
	ga, gb := gppGroup(a), gppGroup(b)
	return ga != "" && ga == gb
}

// groupOf derives the sending group from an organization text: the ITU-T
// question, the 3GPP group, or what follows the organization's name.
func groupOf(org string) string {
	if m := questionRE.FindStringSubmatch(org); m != nil {
		return "Q" + m[1] + "/" + m[2]
	}
	if strings.Contains(strings.ToUpper(org), "3GPP") {
		return gppGroup(org)
	}
	if loc := sdoPrefixRE.FindStringIndex(org); loc != nil {
		rest := strings.TrimSpace(strings.Trim(strings.TrimSpace(org[loc[1]:]), "-/,"))
		if m := studyGroupRE.FindStringSubmatch(rest); m != nil && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(org)), "ITU") {
			return "SG" + m[1]
		}
		return rest
	}
	return ""
}

var (
	thanksRE   = regexp.MustCompile(`(?is)\bthanks?\b.{0,80}?\bfor\s+(?:its|your|their|the)\s+(?:recent\s+)?(?:LS|liaison(?:\s+statement)?|letter|reply)\s*(?:\(([^)\n]{2,60})\)\s*)?(?:"([^"]{3,200})"|“([^”]{3,200})”|(on\s+[^.("\n]{3,150}))`)
	lsrTitleRE = regexp.MustCompile(`(?i)^\s*LS/r\s+(.+?)(?:\s*\([^)]*\))?\s*$`)
)

// proseScope is the part of a text searched for facts written in prose:
// statements state them up front, and the cap bounds the work on long mail.
func proseScope(s string) string { return headOf(s, 8<<10) }

// sheetScope bounds the text searched for cover-sheet labels and sections
// (a 3GPP "Actions" section can follow pages of description).
const sheetScope = 64 << 10

// headOf returns at most the first n bytes of s (cut at a rune boundary).
func headOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return trunc(s, n)
}

// proseRef finds what the statement answers in its title and sentences.
func proseRef(f filler, v view) {
	x := f.x
	if x.InResponseTo == "" && x.Title != "" {
		if m := lsrTitleRE.FindStringSubmatch(x.Title); m != nil {
			ref := m[1]
			if strings.HasPrefix(strings.ToLower(ref), "on ") {
				ref = "LS " + ref
			}
			if t := thanksRE.FindStringSubmatch(v.text); t != nil {
				if q := firstNonEmpty(t[2], t[3]); q != "" {
					ref = oneLine(q)
				}
			}
			f.str("in_response_to", &x.InResponseTo, ref, x.Sources["title"].Where, "Title: "+x.Title)
		}
		if m := titleReplyRE.FindStringSubmatch(x.Title); m != nil {
			f.str("in_response_to", &x.InResponseTo, m[1], x.Sources["title"].Where, "Title: "+x.Title)
		}
	}
	if x.InResponseTo != "" {
		return
	}
	text := proseScope(v.text)
	if mentionsReply(text) { // responseRE needs one of these words
		if loc := responseRE.FindStringIndex(text); loc != nil {
			ref := refAfter(text[loc[1]:])
			f.str("in_response_to", &x.InResponseTo, ref, "prose", strings.TrimSpace(text[loc[0]:loc[1]]))
			return
		}
	}
	if m := titleReplyRE.FindStringSubmatch(titleFromSubject(v.subject)); m != nil {
		f.str("in_response_to", &x.InResponseTo, m[1], "subject", "Subject")
	}
}

// mentionsReply is a cheap test that rules responseRE out.
func mentionsReply(text string) bool {
	l := strings.ToLower(text)
	return strings.Contains(l, "respon") || strings.Contains(l, "reply") || strings.Contains(l, "answer")
}

// fillFromProse fills what the sheets left empty from sentences, the
// subject and the attachment names.
func fillFromProse(f filler, v view) {
	x := f.x
	text := proseScope(v.text)
	subject := strings.TrimSpace(v.subject)
	// From / To (the filler keeps what a sheet found: skip the costly
	// pattern when there is nothing left to fill).
	if x.FromOrgText == "" || len(x.ToText) == 0 {
		if m := proseFromToRE.FindStringSubmatch(text); m != nil {
			f.str("from_org_text", &x.FromOrgText, cleanParty(m[1]), "prose", "LS from ... to ...")
			f.list("to_text", &x.ToText, splitParties(cleanParty(m[2])), "prose", "LS from ... to ...")
		}
	}
	clean := subjPrefixRE.ReplaceAllString(subject, "")
	if m := proseFromToRE.FindStringSubmatch(clean); m != nil {
		f.str("from_org_text", &x.FromOrgText, cleanParty(m[1]), "subject", "Subject")
		f.list("to_text", &x.ToText, splitParties(cleanParty(m[2])), "subject", "Subject")
	} else if m := subjFromToRE.FindStringSubmatch(clean); m != nil {
		f.str("from_org_text", &x.FromOrgText, cleanParty(m[1]), "subject", "Subject")
		f.list("to_text", &x.ToText, splitParties(cleanParty(m[2])), "subject", "Subject")
	}
	// Purpose.
	if m := purposeRE.FindStringSubmatch(text); m != nil {
		f.purpose(purposeOf(m[1]), "prose", strings.TrimSpace(m[0]))
	}
	if x.InResponseTo != "" {
		f.purpose(liaison.PurposeResponse, x.Sources["in_response_to"].Where, "in response to "+x.InResponseTo)
	}
	if m := purposeRE.FindStringSubmatch(subject); m != nil {
		f.purpose(purposeOf(m[1]), "subject", "Subject")
	}
	// Deadline.
	if x.Deadline.IsZero() { // a labelled deadline wins over sentences
		if d, detail, ok := proseDeadline(text); ok {
			f.deadline(d, "prose", detail)
		}
	}
	if d, detail, ok := proseDeadline(subject); ok {
		f.deadline(d, "subject", detail)
	}
	// Title from the subject.
	if t := titleFromSubject(subject); t != "" {
		f.str("title", &x.Title, t, "subject", "Subject")
	}
	if m := titleReplyRE.FindStringSubmatch(x.Title); m != nil {
		f.str("in_response_to", &x.InResponseTo, m[1], x.Sources["title"].Where, "Title: "+x.Title)
	}
	// URL.
	for _, u := range urlRE.FindAllString(text, -1) {
		if strings.Contains(u, "/liaison/") {
			f.str("url", &x.URL, strings.TrimRight(u, ".,;"), "prose", "tracker link")
		}
	}
	// Attachment names.
	for _, a := range v.atts {
		n := strings.TrimSuffix(a.Name, pathExt(a.Name))
		words := strings.NewReplacer("-", " ", "_", " ").Replace(n)
		if m := fileFromToRE.FindStringSubmatch(words); m != nil {
			f.str("from_org_text", &x.FromOrgText, m[1], "attachment-name", a.Name)
			f.list("to_text", &x.ToText, []string{m[2]}, "attachment-name", a.Name)
		}
	}
}

func pathExt(n string) string {
	if i := strings.LastIndexByte(n, '.'); i > 0 && len(n)-i <= 6 {
		return n[i:]
	}
	return ""
}

// cleanParty trims words that are not part of an organization name.
func cleanParty(s string) string {
	s = oneLine(s)
	s = strings.TrimSuffix(s, ",")
	return strings.TrimSpace(s)
}

// refAfter reads what a "in response to" phrase refers to: an identifier
// when one follows, else the words up to the end of the clause.
func refAfter(s string) string {
	s = strings.TrimSpace(s)
	clause := s
	if i := strings.IndexAny(clause, ".;\n"); i >= 0 {
		// Keep dots inside identifiers like "802.1".
		for i >= 0 && i+1 < len(clause) && clause[i] == '.' && clause[i+1] != ' ' && clause[i+1] != '\n' {
			j := strings.IndexAny(clause[i+1:], ".;\n")
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i >= 0 {
			clause = clause[:i]
		}
	}
	for _, re := range []*regexp.Regexp{tdocRE, ituIDRE} {
		if id := re.FindString(clause); id != "" {
			return id
		}
	}
	clause = strings.TrimSpace(strings.Trim(clause, ",:"))
	if len(clause) > 200 {
		clause = trunc(clause, 200)
	}
	return clause
}

var titleNoiseRE = regexp.MustCompile(`(?i)^(?:(?:new|incoming|outgoing)\s+)?(?:LS|liaison(?:\s+statement)?)\s*[:\-–]\s*`)

// titleFromSubject makes a title out of a subject: reply and forward
// prefixes, list tags and "LS:" labels dropped; "X LS to Y: title" keeps the
// title.
func titleFromSubject(subject string) string {
	s := subjPrefixRE.ReplaceAllString(subject, "")
	if m := trackerSubjRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	s = titleNoiseRE.ReplaceAllString(s, "")
	if i := strings.Index(s, ": "); i > 0 && proseLSRE.MatchString(s[:i]) {
		s = s[i+2:]
	}
	return strings.TrimSpace(s)
}

// proseDeadline finds a reply deadline in sentences.
func proseDeadline(text string) (liaison.Date, string, bool) {
	for _, m := range dates.FindAll(text) {
		// The sentence before the date.
		start := m.Start - 200
		if start < 0 {
			start = 0
		}
		pre := text[start:m.Start]
		if i := strings.LastIndex(pre, "\n\n"); i >= 0 {
			pre = pre[i+2:]
		}
		if i := lastSentenceEnd(pre); i >= 0 {
			pre = pre[i+1:]
		}
		near := strings.TrimRight(pre, " \t\n(")
		near = strings.TrimRight(regexp.MustCompile(`(?i)(?:[A-Z][a-z]+,\s*)?$`).ReplaceAllString(near, ""), " \t\n(,")
		label := oneLine(pre)
		if notDeadlineRE.MatchString(pre) && !replyCueRE.MatchString(pre) {
			continue
		}
		if deadlineCueRE.MatchString(pre) || deadlineCueRE.MatchString(near+" ") {
			if replyCueRE.MatchString(pre) || byNearRE.MatchString(pre) {
				return m.Date, trunc(label+" "+text[m.Start:m.End], 120), true
			}
		}
		if replyCueRE.MatchString(pre) && beforeCueRE.MatchString(pre) {
			return m.Date, trunc(label+" "+text[m.Start:m.End], 120), true
		}
	}
	return liaison.Date{}, "", false
}

func lastSentenceEnd(s string) int {
	for i := len(s) - 2; i >= 0; i-- {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && (s[i+1] == ' ' || s[i+1] == '\n') {
			// "15 Mar. 2027" and "e.g." are not sentence ends.
			if i >= 3 && abbrevRE.MatchString(s[:i]) {
				continue
			}
			return i
		}
	}
	return -1
}

// collectIDs gathers the identifiers of the statement from its subject,
// sheets, text header and attachment names, leaving out those that name the
// statement it answers.
func collectIDs(x *liaison.Extraction, v view, sheets []sheet) []string {
	var ids []string
	add := func(s string) {
		up := strings.ToUpper(s)
		for _, re := range []*regexp.Regexp{tdocRE, ituIDRE, ieeeIDRE} {
			if !mayHoldID(re, up) {
				continue
			}
			for _, id := range re.FindAllString(s, -1) {
				id = oneLine(id)
				if x.InResponseTo != "" && strings.Contains(normID(x.InResponseTo), normID(id)) {
					continue
				}
				dup := false
				for _, have := range ids {
					if normID(have) == normID(id) {
						dup = true
					}
				}
				if !dup {
					ids = append(ids, id)
				}
			}
		}
	}
	add(v.subject)
	add(x.Title)
	for _, s := range sheets {
		add(headerLines(s.text, s.fs))
		// The tracker lists the statement's documents by title ("SG15-LS85",
		// "S2-2311234"); a 3GPP sheet's Attachments are other tdocs.
		if val, _ := s.fs.get("attachments"); val != "" && s.shape == "tracker" {
			add(urlRE.ReplaceAllString(val, " "))
		}
	}
	if len(sheets) == 0 || sheets[0].fromFile() {
		add(headerLines(v.text, fieldSet{}))
		add(proseIDs(proseScope(v.text)))
	}
	for _, a := range v.atts {
		add(a.Name)
	}
	sort.SliceStable(ids, func(i, j int) bool { return false })
	return ids
}

// mayHoldID is a cheap test that rules out an identifier pattern on text
// (upper-cased) that lacks the characters every match contains.
func mayHoldID(re *regexp.Regexp, up string) bool {
	switch re {
	case tdocRE:
		return strings.Contains(up, "-")
	case ituIDRE:
		return strings.Contains(up, "LS") || strings.Contains(up, "TD")
	case ieeeIDRE:
		return strings.Contains(up, "/")
	}
	return true
}

// proseIDs returns the sentences of text that do not refer to earlier
// documents.
func proseIDs(text string) string {
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		if refLineRE.MatchString(l) {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

func normID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// headerLines returns the lines of a sheet before its first label, where
// documents carry their own numbers.
func headerLines(text string, fs fieldSet) string {
	lines := strings.Split(text, "\n")
	end := len(lines)
	if len(fs.all) > 0 {
		end = fs.all[0].line
	}
	if end > 25 {
		end = 25
	}
	// A sheet's header is short; a body without line breaks is not.
	return headOf(strings.Join(lines[:end], "\n"), 4<<10)
}

func idSource(v view, sheets []sheet, id string) liaison.Source {
	if strings.Contains(normID(v.subject), normID(id)) {
		return liaison.Source{Where: "subject", Detail: "Subject"}
	}
	for _, a := range v.atts {
		if strings.Contains(normID(a.Name), normID(id)) {
			return liaison.Source{Where: "attachment-name", Detail: a.Name}
		}
	}
	for _, s := range sheets {
		if strings.Contains(normID(s.text), normID(id)) {
			if s.fromFile() {
				return liaison.Source{Where: s.where, Detail: s.detail + ": header"}
			}
			return liaison.Source{Where: s.where, Detail: "header"}
		}
	}
	return liaison.Source{Where: "prose", Detail: "message body"}
}

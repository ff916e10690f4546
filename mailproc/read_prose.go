package mailproc

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/dates"
)

// proseReader reads letters: the facts are in sentences ("Please find
// attached an LS from X to Y on Z, for action, reply requested by ..."), the
// subject and the attachment names. A letter that carries a few labelled
// lines (Title, From, To, For) is a labelled block this reader recognises;
// the sentence rules (readSentences) then fill whatever the blocks of any
// layout left empty.
type proseReader struct{}

var (
	lsFileRE      = regexp.MustCompile(`(?i)(^|[^a-z])(ls|liaison)([^a-z]|$)`)
	fileFromToRE  = regexp.MustCompile(`(?i)\b(?:LS|liaison)\s+from\s+(.+?)\s+to\s+(.+)$`)
	notDeadlineRE = regexp.MustCompile(`(?i)(?:date\s+of\s+(?:the\s+)?next|next\s+meetings?\s*:|submission\s+date|submitted|dated|sent\s+on|of\s+$)`)
	byNearRE      = regexp.MustCompile(`(?i)(?:by|before|no\s+later\s+than|deadline)\s*:?\s*(?:the\s+)?(?:(?:end|middle|beginning)\s+of\s+)?(?:[A-Za-z]+day,?\s+)?$`)
	abbrevRE      = regexp.MustCompile(`(?i)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|e\.g|i\.e|no|vs|cf)$`)
	reSubjectRE   = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*)*(?:re|aw|sv|antw|r|rif|odp|回复|答复|回覆|返信)\s*(?:\[\d+\])?\s*[:：]`)
	fwdSubjectRE  = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*)*(?:fwd?|fw|wg|tr|rv|enc|i|vs|vb|doorst|转发|轉寄|転送)\s*[:：]`)
	subjPrefixRE  = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*|(?:re|aw|sv|fwd?|fw|wg|tr|i|r|rv|enc|vs|antw|转发|轉寄|転送|回复|答复|回覆|返信)\s*:\s*)+`)
	urlRE         = regexp.MustCompile(`https?://[^\s<>"()]+`)
	proseLSRE     = regexp.MustCompile(`(?i)\b(?:LS|liaison(?:\s+statement)?|liaison\s+letter|letter)\b`)
	attachPhrase  = regexp.MustCompile(`(?i)(please\s+(?:find|see)\s+(?:the\s+)?(?:attached|enclosed|below)|attached\s+(?:is|please\s+find|you\s+will\s+find|are)|enclosed\s+(?:is|please\s+find)|(?:we|i)\s+(?:are\s+pleased\s+to\s+)?(?:send|forward|transmit|submit)|on\s+behalf\s+of|is\s+attached|sent\s+(?:to\s+you\s+)?(?:an?|the)\s+(?:new\s+)?(?:LS|liaison))`)
	proseFromToRE = regexp.MustCompile(`(?i)\b(?:LS|liaison(?:\s+statement)?|letter|reply|response)\s+(?:from|of)\s+(?:the\s+)?(.+?)\s+to\s+(?:the\s+)?(.+?)(?:\s+(?:on|about|regarding|concerning|re)\b|\s*[,.;:()\n]|\s+for\s+|\s+in\s+(?:response|reply)|$)`)
	subjFromToRE  = regexp.MustCompile(`(?i)^(.+?)\s+(?:reply\s+)?(?:LS|liaison(?:\s+statement|\s+letter)?|letter)\b(?:\s+[A-Z]+-?\d[\w/-]*)?\s+to\s+(?:the\s+)?(.+?)(?:\s*:\s*|\s+on\s+|\s+-\s+|$)`)
	purposeRE     = regexp.MustCompile(`(?i)\bfor\s+(?:your\s+)?(action|comments?|information|info|review|consideration|feedback|input)\b`)
	responseRE    = regexp.MustCompile(`(?i)\b(?:in\s+(?:response|reply)\s+to|(?:reply|response|answer)\s+to\s+(?:the\s+|your\s+|our\s+|an?\s+)?(?:IETF\s+|earlier\s+|previous\s+)?(?:LS|liaison|letter|statement))\b`)
	deadlineCueRE = regexp.MustCompile(`(?i)(?:\b(?:by|before|until|till|prior\s+to|no\s+later\s+than|not\s+later\s+than|due(?:\s+(?:by|on))?|deadline(?:\s+for\s+\w+(?:\s+\w+)?)?(?:\s+(?:is|of|will\s+be))?|in\s+time\s+for)\s*:?\s*(?:the\s+)?(?:(?:end|middle|beginning)\s+of\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?)$`)
	replyCueRE    = regexp.MustCompile(`(?i)\b(?:reply|replies|respond|response|responses|answer|feedback|comments?|input|deadline|views)\b`)
	beforeCueRE   = regexp.MustCompile(`(?i)\b(?:by|before|prior\s+to|no\s+later\s+than|not\s+later\s+than|until|in\s+time\s+for|ahead\s+of)\b`)
	thanksRE      = regexp.MustCompile(`(?is)\bthanks?\b.{0,80}?\bfor\s+(?:its|your|their|the)\s+(?:recent\s+)?(?:LS|liaison(?:\s+statement)?|letter|reply)\s*(?:\(([^)\n]{2,60})\)\s*)?(?:"([^"]{3,200})"|“([^”]{3,200})”|(on\s+[^.("\n]{3,150}))`)
	lsrTitleRE    = regexp.MustCompile(`(?i)^\s*LS/r\s+(.+?)(?:\s*\([^)]*\))?\s*$`)
	titleNoiseRE  = regexp.MustCompile(`(?i)^(?:(?:new|incoming|outgoing)\s+)?(?:LS|liaison(?:\s+statement)?)\s*[:\-–]\s*`)
	trailNameRE   = regexp.MustCompile(`(?i)(?:[A-Z][a-z]+,\s*)?$`)
)

func (proseReader) shape() liaison.Shape { return liaison.ShapeProse }

// recognise reports whether a letter's labelled lines are worth reading as
// labels: a Title and one more fact.
func (proseReader) recognise(b *block, _ string) bool {
	return (b.fs.has(keyTitle) || b.fs.has(keyTitleAlt)) && b.fs.count(keySource, keyFrom, keyTo, keyPurpose, keyDeadline, keyContact, keyActionTo, keyInfoTo, keyCommentTo) >= 1
}

func (proseReader) readTitle(f filler, b *block, _ view) {
	readTitleLabel(f, b)
	// A letter's "Subject:" line is its title.
	if val, l := b.fs.get(keyTitleAlt); val != "" {
		w, d := b.src(l)
		f.str("title", &f.x.Title, oneLine(val), w, d)
	}
	readRef(f, b, keepParty)
	refFromTitle(f)
}

func (proseReader) readFields(f filler, b *block) {
	x := f.x
	readDeadline(f, b)
	readURL(f, b)
	readPurposeLabels(f, b)
	readResponseOrInfo(f, b)
	for _, k := range []key{keySource, keyFrom} {
		if val, l := b.fs.get(k); val != "" {
			if org, _ := trackerParty(val); !looksLikePerson(org) {
				w, d := b.src(l)
				f.str("from_org_text", &x.FromOrgText, cleanParty(org), w, d)
			}
			break
		}
	}
	readToCc(f, b, keepParty, splitParties)
	readContacts(f, b, false)
}

// proseEvidence reports whether free-form mail carries a statement.
func proseEvidence(v view) bool {
	own := v.text
	// A reply's subject ("Re: New Liaison Statement, ...") names the
	// statement it answers, not a new one.
	subjLS := !reSubjectRE.MatchString(v.subject) && (proseLSRE.MatchString(v.subject) || trackerSubjRE.MatchString(v.subject))
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
	case subjLS && (lsFile || purpose || attach != nil || requestRE.MatchString(own) || informRE.MatchString(own)):
		return true
	case lsFile && (attach != nil || purpose) && bodyLS:
		return true
	case proseFromToRE.MatchString(own) && (purpose || hasFiles):
		return true
	case repliesToDocument(v.subject):
		return true
	}
	return false
}

// informRE finds a writer informing the reader ("would like to inform the
// IETF ...", "is pleased to share ..."): with a liaison subject, a letter.
var informRE = regexp.MustCompile(`(?i)\b(?:would\s+like\s+to|wishes\s+to|wish\s+to|is\s+pleased\s+to|are\s+pleased\s+to|hereby)\s+(?:inform|bring|draw|share|advise|notify|update)`)

// repliesToDocument reports whether a subject answers a peer's document by
// its number alone ("Reply to SG13-LS88", "Response to S2-2701234"), as
// the IETF's replies often do.
func repliesToDocument(subject string) bool {
	if reSubjectRE.MatchString(subject) {
		return false
	}
	m := titleReplyRE.FindStringSubmatch(titleFromSubject(subject))
	return m != nil && len(PeerIDs(m[1])) > 0
}

func looksLikeLSFile(name string) bool {
	n := strings.ToLower(name)
	return lsFileRE.MatchString(n) || tdocRE.MatchString(name) || ituIDRE.MatchString(name)
}

// proseScope is the part of a text searched for facts written in prose:
// statements state them up front, and the cap bounds the work on long mail.
func proseScope(s string) string { return headOf(s, 8<<10) }

// headOf returns at most the first n bytes of s, cut at a rune boundary
// (a slice of s: nothing is copied).
func headOf(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// readProseRef finds what the statement answers in its title and sentences.
func readProseRef(f filler, v view) {
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
	for _, p := range append([]passage{{text, "prose", ""}}, docPassages(v)...) {
		if readReference(f, p) {
			return
		}
	}
	if m := titleReplyRE.FindStringSubmatch(titleFromSubject(v.subject)); m != nil {
		f.str("in_response_to", &x.InResponseTo, m[1], "subject", "Subject")
	}
}

var (
	// refPhraseRE reads a reference to an earlier statement written in
	// prose: thanks for one ("thanks IETF LAMPS for its liaison on ..."),
	// or a follow-up ("Following our liaison LIAISE-512", "with
	// reference to your letters of 4 and 19 April").
	refPhraseRE = regexp.MustCompile(`(?i)\b(?:thanks?\b[^.]{0,80}?\bfor|thank\s+you\s+for|(?:following|further\s+to|with\s+reference\s+to|in\s+follow[- ]up\s+to|referring\s+to|as\s+announced\s+in|as\s+described\s+in)(?:\s+up\s+on)?|\bsent\s+(?:you|the\s+IETF|IETF\s+\w+))\s+(your|our|its|their|the)\s+(?:recent\s+|previous\s+|earlier\s+|last\s+)?(liaisons?(?:\s+statements?)?|LSs?|letters?|repl(?:y|ies))\b`)
	// liaisonIDRE finds an identifier right after a reference: a peer
	// document number, an IETF statement id (LS-2026-0031) or a
	// liaison number (LIAISE-512).
	liaisonIDRE = regexp.MustCompile(`\b(?:LS-\d{4}-\d{3,5}|[A-Z][A-Z0-9]{1,12}-\d{2,6}[a-z]?)\b`)
	refOfRE     = regexp.MustCompile(`(?i)^\s+(?:dated\s+|of\s+)([^.;\n]*?\d{4})`)
	refQuoteRE  = regexp.MustCompile(`^\s*(?:\(([^)\n]{2,60})\)\s*)?(?:"([^"]{3,200})"|“([^”]{3,200})”)`)
	refOnRE     = regexp.MustCompile(`(?i)^\s+(on\s+[^.(\n]{3,150})`)
)

// refScope bounds the text searched for a reference written in prose.
const refScope = 3 << 10

// refStems are stems every refPhraseRE phrase holds near its start, in the
// cases they are written in (no lower-cased copy of the text needed);
// findNear tries the pattern from a little before each (see refBack).
var refStems = [...]string{"thank", "Thank", "following", "Following", "urther to", "eference to", "eferring to",
	"announced in", "described in", "sent you", "sent the IETF", "sent IETF"}

// readReference fills what the statement refers to from a prose
// reference: the identifier named with it, else the dates ("your letters
// of 4 and 19 April 2027"), a quoted title or the subject ("LS on ...").
// A reference to the sender's own earlier statement is a follow-up: it is
// recorded, but does not make the statement a response.
func readReference(f filler, p passage) bool {
	// A statement says what it answers in its first paragraphs.
	text := headOf(p.text, refScope)
	m := findNear(text, refStems[:], refPhraseRE, 320, 20)
	if m == nil {
		return false
	}
	owner := strings.ToLower(text[m[2]:m[3]])
	noun := text[m[4]:m[5]]
	tail := p.text[m[1]:min(len(p.text), m[1]+240)]
	if i := strings.Index(tail, "\n\n"); i >= 0 {
		tail = tail[:i]
	}
	clause := tail
	if i := sentenceEnd(tail, 0); i < len(tail) {
		clause = tail[:i]
	}
	ref := ""
	switch {
	case liaisonIDRE.MatchString(clause) || len(PeerIDs(clause)) > 0:
		ids := PeerIDs(clause)
		if id := liaisonIDRE.FindString(clause); id != "" && (len(ids) == 0 || strings.Index(clause, id) < strings.Index(clause, ids[0])) {
			ref = id
		} else {
			ref = ids[0]
		}
	case refOfRE.MatchString(clause):
		ref = owner + " " + noun + " of " + oneLine(refOfRE.FindStringSubmatch(clause)[1])
	case refQuoteRE.MatchString(clause):
		q := refQuoteRE.FindStringSubmatch(clause)
		ref = oneLine(firstNonEmpty(q[2], q[3]))
	case refOnRE.MatchString(clause):
		ref = "LS " + oneLine(refOnRE.FindStringSubmatch(clause)[1])
	default:
		return false
	}
	w, d := p.src(oneLine(text[m[0]:m[1]]))
	f.str("in_response_to", &f.x.InResponseTo, ref, w, d)
	f.st.ownRef = owner == "our"
	return true
}

// mentionsReply is a cheap test that rules responseRE out: the words it
// needs, in the cases they are written in.
func mentionsReply(text string) bool {
	for _, k := range [...]string{"respon", "Respon", "RESPON", "reply", "Reply", "REPLY", "answer", "Answer", "ANSWER"} {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

// readSentences fills what the blocks left empty from sentences, the
// subject, the attached documents' text and the attachment names. Explicit
// phrases come first ("LS from X to Y", the subject), then the documents'
// own letterheads, then first sentences and signatures, the mail text
// before its documents.
func readSentences(f filler, v view) {
	x := f.x
	mail := passage{proseScope(v.text), "prose", ""}
	docs := docPassages(v)
	subject := strings.TrimSpace(v.subject)
	readFromTo(f, mail)
	readSubjectParties(f, subject)
	for _, d := range docs {
		readFromTo(f, d)
		readLetterhead(f, d)
	}
	for _, p := range append([]passage{mail}, docs...) {
		readFirstSentence(f, p)
		readSignature(f, p)
	}
	for _, p := range append([]passage{mail}, docs...) {
		readAddressee(f, p)
	}
	// Purpose.
	for _, p := range append([]passage{mail}, docs...) {
		readPurposePhrase(f, p)
	}
	for _, p := range append([]passage{mail}, docs...) {
		readRequestPurpose(f, p)
	}
	if f.answers() {
		f.purpose(liaison.PurposeResponse, x.Sources["in_response_to"].Where, "in response to "+x.InResponseTo)
	}
	if m := purposeRE.FindStringSubmatch(subject); m != nil {
		f.purpose(purposeOf(m[1]), "subject", "Subject")
	}
	// Deadline: a labelled deadline wins over sentences; none is the
	// IETF's when only others are asked to act.
	if x.Deadline.IsZero() && !f.st.othersAct {
		if d, detail, ok := proseDeadline(mail.text); ok {
			f.deadline(d, "prose", detail)
		}
	}
	if d, detail, ok := proseDeadline(subject); ok && !f.st.othersAct {
		f.deadline(d, "subject", detail)
	}
	for _, p := range docs {
		if !x.Deadline.IsZero() || f.st.othersAct {
			break
		}
		if d, detail, ok := proseDeadline(p.text); ok {
			w, dd := p.src(detail)
			f.deadline(d, w, dd)
		}
	}
	// Title from the subject.
	if t := titleFromSubject(subject); t != "" {
		f.str("title", &x.Title, t, "subject", "Subject")
	}
	if m := titleReplyRE.FindStringSubmatch(x.Title); m != nil {
		f.str("in_response_to", &x.InResponseTo, m[1], x.Sources["title"].Where, "Title: "+x.Title)
	}
	// URL.
	for _, u := range urlRE.FindAllString(mail.text, -1) {
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

// docPassages are the texts of the attached documents, each cut to the
// scope sentences are read in.
func docPassages(v view) []passage {
	var out []passage
	for _, d := range v.docx {
		out = append(out, passage{proseScope(normText(d.text)), d.where(), d.name})
	}
	return out
}

// readFromTo fills the sender and addressees from "LS from X to Y".
func readFromTo(f filler, p passage) {
	x := f.x
	// The filler keeps what a sheet found: skip the costly pattern when
	// there is nothing left to fill.
	if x.FromOrgText != "" && len(x.ToText) > 0 {
		return
	}
	loc := proseFromToRE.FindStringSubmatchIndex(p.text)
	if loc == nil {
		return
	}
	from, to := p.text[loc[2]:loc[3]], p.text[loc[4]:loc[5]]
	// "to the IETF\nint-area@ietf.example list": a party broken across a
	// line goes on when the next line continues the sentence.
	if rest := p.text[loc[5]:]; strings.HasPrefix(rest, "\n") && len(rest) > 1 && (unicode.IsLower(rune(rest[1])) || unicode.IsDigit(rune(rest[1]))) {
		more := rest[1:]
		if i := strings.IndexAny(more, ",;:()\n"); i >= 0 {
			more = more[:i]
		}
		if i := strings.Index(more, ". "); i >= 0 {
			more = more[:i]
		}
		more = strings.TrimSuffix(more, ".")
		to += " " + more
	}
	w, d := p.src("LS from ... to ...")
	f.str("from_org_text", &x.FromOrgText, cleanParty(from), w, d)
	if to = cleanParty(to); !isDocumentID(to) {
		f.list("to_text", &x.ToText, splitParties(to), w, d)
	}
}

// liaisonToRE reads a subject "Liaison to <party> regarding <topic>".
var liaisonToRE = regexp.MustCompile(`(?i)^(?:LS|liaison(?:\s+statement|\s+letter)?)\s+to\s+(?:the\s+)?(.+?)\s+(?:on|regarding|about|concerning|re)\b`)

// readSubjectParties fills the sender and addressees from a subject "LS
// from X to Y", "X LS to Y: title" or "Liaison to Y regarding ...".
func readSubjectParties(f filler, subject string) {
	x := f.x
	clean := subjPrefixRE.ReplaceAllString(subject, "")
	if m := proseFromToRE.FindStringSubmatch(clean); m != nil {
		f.str("from_org_text", &x.FromOrgText, cleanParty(m[1]), "subject", "Subject")
		if to := cleanParty(m[2]); !isDocumentID(to) {
			f.list("to_text", &x.ToText, splitParties(to), "subject", "Subject")
		}
	} else if m := subjFromToRE.FindStringSubmatch(clean); m != nil {
		f.str("from_org_text", &x.FromOrgText, cleanParty(m[1]), "subject", "Subject")
		f.list("to_text", &x.ToText, splitParties(cleanParty(m[2])), "subject", "Subject")
	} else if m := liaisonToRE.FindStringSubmatch(clean); m != nil {
		f.list("to_text", &x.ToText, splitParties(cleanParty(m[1])), "subject", "Subject")
	}
}

// isDocumentID reports whether a party is only a document number
// ("S2-2701234"): "the response of X to S2-2701234" names no addressee.
func isDocumentID(s string) bool {
	ids := PeerIDs(s)
	return len(ids) == 1 && NormID(ids[0]) == NormID(s)
}

// readPurposePhrase fills the purpose from "for action", "for
// information", ... in a passage. A phrase inside quotation marks is part
// of a quoted title ("our LS \"For action: ...\""), not this letter's
// purpose. When the letter gives several addressees each a purpose ("to
// CEN-CENELEC for action, and to the IETF LAMPS WG for information"), the
// IETF's is the purpose, and a deadline is the others'.
func readPurposePhrase(f filler, p passage) {
	if f.x.Purpose != "" {
		return
	}
	quoted := quotedSpans(p.text)
	var first, ietf []int
	others := false
	prev := 0
	for _, m := range purposeRE.FindAllStringSubmatchIndex(p.text, 8) {
		if inSpans(quoted, m[0]) {
			continue
		}
		clause := p.text[max(prev, sentenceStart(p.text, m[0]), m[0]-120):m[0]]
		prev = m[1]
		switch {
		case first == nil:
			first = m
		}
		if ietfPartyRE.MatchString(clause) {
			if ietf == nil {
				ietf = m
			}
		} else if purposeOf(p.text[m[2]:m[3]]) != liaison.PurposeInfo {
			others = true
		}
	}
	m := first
	if ietf != nil {
		m = ietf
	}
	if m == nil {
		return
	}
	pur := purposeOf(p.text[m[2]:m[3]])
	if ietf != nil && pur == liaison.PurposeInfo && others {
		f.st.othersAct = true
	}
	w, d := p.src(strings.TrimSpace(p.text[m[0]:m[1]]))
	f.purpose(pur, w, d)
}

// ietfPartyRE finds the IETF among a letter's addressees.
var ietfPartyRE = regexp.MustCompile(`\b(?:IETF|IAB|IESG|IRTF)\b`)

// quotedSpans returns the [start, end) spans of text in quotation marks.
func quotedSpans(text string) [][]int {
	if !strings.ContainsAny(text, "\"“") {
		return nil
	}
	return quotedRE.FindAllStringIndex(text, -1)
}

// quotedRE finds a quotation, which may wrap onto a second line.
var quotedRE = regexp.MustCompile(`"[^"\n]{1,200}(?:\n[^"\n]{1,200})?"|“[^”]{1,200}”`)

func inSpans(spans [][]int, i int) bool {
	for _, s := range spans {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}

var (
	// requestRE finds a request in a letter that states no purpose: "we
	// ask", "MEF requests ... to", "would appreciate", "comments are
	// requested".
	requestRE = regexp.MustCompile(`(?i)\b(?:would\s+(?:appreciate|welcome|be\s+grateful\s+for)|(?:asks|requests|invites|(?:kindly|we|I)\s+(?:ask|request|invite)s?)\s+(?:the\s+)?[A-Za-z0-9][^\s.]*(?:\s+[^\s.]+){0,6}?\s+(?:to|for|whether|if)\s|(?:is|are)\s+(?:kindly\s+)?requested|(?:comments|feedback|input|views)\b[^.]{0,60}?\b(?:are|is)\s+(?:most\s+|very\s+)?welcome|please\s+(?:reply|respond|provide|review|comment|answer|confirm|indicate))`)
	// negationRE marks a sentence that requests nothing.
	negationRE = regexp.MustCompile(`(?i)\b(?:no|not|nothing|none|neither)\b`)
	// noteWordRE are the words of a request to take note: information.
	noteWordRE = regexp.MustCompile(`(?i)\b(?:take\s+(?:due\s+)?note|to\s+note\b|be\s+(?:informed|aware)|for\s+(?:your\s+)?(?:information|awareness))`)
	// commentWordRE are the words of a request for comments.
	commentWordRE = regexp.MustCompile(`(?i)\b(?:comments?|comment\s+on|review|feedback|remarks)\b`)
)

// readRequestPurpose fills the purpose of a letter that states none but
// asks something: comments ("would appreciate your comments") make it for
// comment, any other request (a question, an answer by a date) for action.
func readRequestPurpose(f filler, p passage) {
	if f.x.Purpose != "" {
		return
	}
	for _, loc := range requestRE.FindAllStringIndex(p.text, 8) {
		sentence := p.text[sentenceStart(p.text, loc[0]):sentenceEnd(p.text, loc[1])]
		if negationRE.MatchString(sentence) {
			continue // "No further action is requested."
		}
		pur := liaison.PurposeAction
		switch {
		case noteWordRE.MatchString(sentence):
			pur = liaison.PurposeInfo // "invites the IETF to take note of ..."
		case commentWordRE.MatchString(sentence):
			pur = liaison.PurposeComment
		}
		w, d := p.src(trunc(oneLine(sentence), 100))
		f.purpose(pur, w, d)
		return
	}
}

// sentenceStart and sentenceEnd bound the sentence around byte i.
func sentenceStart(s string, i int) int {
	if j := lastSentenceEnd(s[:i]); j >= 0 {
		return j + 1
	}
	if j := strings.LastIndex(s[:i], "\n\n"); j >= 0 {
		return j + 2
	}
	return 0
}

func sentenceEnd(s string, i int) int {
	for j := i; j < len(s); j++ {
		if (s[j] == '.' || s[j] == '?' || s[j] == '!') && (j+1 == len(s) || s[j+1] == ' ' || s[j+1] == '\n') {
			return j + 1
		}
		if s[j] == '\n' && j+1 < len(s) && s[j+1] == '\n' {
			return j
		}
	}
	return len(s)
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

// titleFromSubject makes a title out of a subject: reply and forward
// prefixes, list tags and "LS:" labels dropped; "X LS to Y: title" keeps the
// title.
func titleFromSubject(subject string) string {
	s := subjPrefixRE.ReplaceAllString(subject, "")
	if m := trackerSubjRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	// "LS from X to Y on Z": the parties are not the title.
	if m := lsFromOnRE.FindStringSubmatch(s); m != nil {
		s = m[1] + " " + m[2]
	}
	s = titleNoiseRE.ReplaceAllString(s, "")
	if i := strings.Index(s, ": "); i > 0 && proseLSRE.MatchString(s[:i]) {
		s = s[i+2:]
	}
	// A trailing purpose, tag or document number is the subject's, not
	// the title's: "(for information)", "[SG13-LS88]", "(S2-2701234)".
	for {
		t := strings.TrimSpace(titleTailRE.ReplaceAllStringFunc(s, func(tail string) string {
			tail = strings.TrimSpace(tail)
			inner := strings.Trim(tail, "()[]")
			bracketTag := tail[0] == '[' && !strings.ContainsAny(inner, " \t")
			if bracketTag || purposeRE.MatchString(inner) || isDocumentID(inner) {
				return ""
			}
			return tail
		}))
		if t == s || t == "" {
			break
		}
		s = t
	}
	return strings.TrimSpace(s)
}

var (
	// lsFromOnRE reads "LS from X [to Y] on Z": the noun as written, then
	// "on Z".
	lsFromOnRE = regexp.MustCompile(`(?i)^(LS|liaison(?:\s+statement)?)\s+from\s+[^:]+?\s+((?:on|regarding|concerning|about)\s+.+)$`)
	// titleTailRE is a parenthesised or bracketed tail of a subject.
	titleTailRE = regexp.MustCompile(`\s*(?:\([^()]*\)|\[[^\[\]]*\])\s*$`)
)

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
		near = strings.TrimRight(trailNameRE.ReplaceAllString(near, ""), " \t\n(,")
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

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
	readCopyPurpose(f, b)
	readIETFPurposePhrase(f, passage{b.text, b.where, b.detail})
	readResponseOrInfo(f, b)
	for _, k := range []key{keySource, keyFrom} {
		if val, l := b.fs.get(k); val != "" {
			if org, groups, ok := roleSenders(val); ok {
				w, d := b.src(l)
				f.str("from_org_text", &x.FromOrgText, org, w, d+": the senders' roles")
				f.str("from_group", &x.FromGroup, groups, w, d+": the senders' roles")
				break
			}
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
	ref, ok := titleAnswers(titleFromSubject(subject))
	return ok && len(PeerIDs(ref)) > 0
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
	// Where replies go, when no layout said.
	for _, p := range append([]passage{mail}, docs...) {
		if len(x.ResponseContacts) > 0 {
			break
		}
		if cs, detail := proseReplyTo(p.text); len(cs) > 0 {
			w, d := p.src(detail)
			f.contacts("response_contacts", &x.ResponseContacts, cs, w, d)
		}
	}
	// Title from the subject.
	if t := titleFromSubject(subject); t != "" {
		f.str("title", &x.Title, t, "subject", "Subject")
	}
	if ref, ok := titleAnswers(x.Title); ok {
		f.str("in_response_to", &x.InResponseTo, ref, x.Sources["title"].Where, "Title: "+x.Title)
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

var (
	// replyToRE asks for replies to be sent somewhere: "Please send any
	// reply to", "Replies should be addressed to", "please address it
	// to" (it: the response asked for just before).
	replyToRE = regexp.MustCompile(`(?i)\b(?:(?:send|address|direct|return|forward|submit)\s+(?:(?:any|your|the|a|all)\s+)?(?:(?:reply|replies|response|responses|answer|answers|comments?|feedback|it|them)\b)(?:\s+(?:LS|liaison(?:\s+statements?)?|letters?))?\s+to|(?:reply|replies|response|responses|answer|answers|comments?|feedback)\s+(?:should|can|may|are\s+to|is\s+to)\s+be\s+(?:sent|addressed|directed|returned)\s+to)\b`)
	// replyItRE is a replyToRE match that says "it" or "them" rather than
	// what is sent.
	replyItRE = regexp.MustCompile(`(?i)\s(?:it|them)\s`)
)

// proseReplyTo reads where a letter asks replies to go: the addresses
// that follow the request in its sentence. A request that says "it"
// counts only after a sentence that asks for a response.
func proseReplyTo(text string) ([]liaison.Contact, string) {
	for _, loc := range replyToRE.FindAllStringIndex(text, 8) {
		cue := text[loc[0]:loc[1]]
		if replyItRE.MatchString(cue) && !replyCueRE.MatchString(text[max(0, loc[0]-200):loc[0]]) {
			continue
		}
		rest := text[loc[1]:min(len(text), loc[1]+300)]
		if i := strings.Index(rest, "\n\n"); i >= 0 {
			rest = rest[:i]
		}
		if i := sentenceEndRE.FindStringIndex(rest); i != nil {
			rest = rest[:i[0]+1]
		}
		var cs []liaison.Contact
		prev := 0
		for _, m := range emailRE.FindAllStringIndex(rest, -1) {
			c := liaison.Contact{Email: strings.TrimRight(rest[m[0]:m[1]], ".")}
			// "Kathleen Moriarty <kathleen@example.com>": the name
			// written right before the bracket.
			if n := angleNameRE.FindStringSubmatch(rest[prev:m[0]]); n != nil {
				c.Name = n[1]
			}
			cs = append(cs, c)
			prev = m[1]
		}
		if len(cs) > 0 {
			return dedupContacts(cs), oneLine(cue + rest)
		}
	}
	return nil, ""
}

// angleNameRE is a name of capitalised words right before "<address".
var angleNameRE = regexp.MustCompile(`(?:^|[\s:,;])((?:\p{Lu}[\p{L}'.-]*\s+){0,3}\p{Lu}[\p{L}'.-]*)\s*<$`)

// sentenceEndRE ends a sentence: a full stop, then white space and no
// more of an address.
var sentenceEndRE = regexp.MustCompile(`[.!?]\s`)

// readHeadingTitle fills the title of a letter whose subject only says
// who wrote to whom: the heading under the letter's labels, in the mail
// or in a document.
func readHeadingTitle(f filler, v view) {
	if !fromToOnly(v.subject) {
		return
	}
	for _, p := range append([]passage{{proseScope(v.text), "prose", ""}}, docPassages(v)...) {
		if t := headingTitle(p.text); t != "" {
			w, d := p.src("the heading under the labels")
			f.str("title", &f.x.Title, t, w, d)
			return
		}
	}
}

// fromToOnlyRE is a subject that names the sender and the addressee and
// nothing else ("Liaison statement from the IETF CODEC WG to ITU-T SG16").
var fromToOnlyRE = regexp.MustCompile(`(?i)^\s*(?:(?:fwd?|fw|re)\s*:\s*)*(?:an?\s+|the\s+|new\s+)?(?:LS|liaison(?:\s+statement|\s+letter)?|letter)\s+from\s+[^:]+?\s+to\s+([^:]+)$`)

// topicRE introduces a subject's topic after its addressee ("... to IETF
// CCAMP on OTN YANG").
var topicRE = regexp.MustCompile(`(?i)\s(?:on|about|regarding|concerning|re|for)\s|\s[-–]\s`)

// fromToOnly reports whether a subject only names who wrote to whom.
func fromToOnly(subject string) bool {
	m := fromToOnlyRE.FindStringSubmatch(subject)
	return m != nil && !topicRE.MatchString(m[1])
}

// headingTitle finds a letter's title written as a heading under its
// labels: after a run of at least two labelled lines (To, For, Source,
// Date...), the first line that stands alone between blank lines, is not
// a sentence, a greeting or a label, and has two words or more.
func headingTitle(text string) string {
	lines := strings.Split(headOf(text, 4<<10), "\n")
	labels, i := 0, 0
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		switch {
		case t == "" && labels >= 2:
			goto heading
		case t == "":
			labels = 0
		case isLabelLine(t):
			labels++
		case labels > 0 && (lines[i][0] == ' ' || lines[i][0] == '\t'):
			// a label's value going on
		default:
			labels = 0
		}
	}
	return ""
heading:
	for ; i < len(lines) && strings.TrimSpace(lines[i]) == ""; i++ {
	}
	if i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) != "" {
		return ""
	}
	t := strings.TrimSpace(lines[i])
	if len(t) < 8 || len(t) > 150 || strings.ContainsAny(t[len(t)-1:], ".:,;!?") || isLabelLine(t) ||
		len(strings.Fields(t)) < 2 || greetingRE.MatchString(t) {
		return ""
	}
	return t
}

// greetingRE is a letter's greeting line.
var greetingRE = regexp.MustCompile(`(?i)^(?:dear|hello|hi|greetings|to whom)\b`)

// personsSepRE separates the people a From line names together.
var personsSepRE = regexp.MustCompile(`\s+(?:and|&)\s+|\s*/\s*`)

// looksLikePersons reports whether s names one person or several joined
// by "and", "&" or "/" ("Kathleen Moriarty and Eric Rescorla").
func looksLikePersons(s string) bool {
	for _, p := range personsSepRE.Split(s, -1) {
		if !looksLikePerson(strings.TrimSpace(p)) {
			return false
		}
	}
	return s != ""
}

var (
	// roleRE finds a sender's role in parentheses ("Adrian Farrel (IETF
	// liaison to SG15, CCAMP WG chair)").
	roleRE = regexp.MustCompile(`\(([^()]{2,160})\)`)
	// roleWordRE are the words of a role that are not its group.
	roleWordRE = regexp.MustCompile(`(?i)\b(?:co-?)?(?:chairs?|chairman|chairwoman|vice-chairs?|directors?|ADs?|secretar(?:y|ies)|convenors?|rapporteurs?|editors?|liaison(?:\s+(?:manager|officer|representative))?(?:\s+(?:to|with)\s+[^,;()]+)?)\b`)
)

// roleSenders reads a letter's From that lists people with their roles
// ("Adrian Farrel (IETF liaison to SG15, CCAMP WG chair) / Loa Andersson
// (IETF MPLS WG chairs) / Ross Callon (IETF Routing Area Director)", or
// "Kathleen Moriarty and Eric Rescorla, IETF Security Area Directors"):
// the organization is the one the roles name ("IETF"), the groups those
// the roles hold ("CCAMP WG, MPLS WG, Routing Area"). ok is false unless
// the value starts with people and a role names an organization.
func roleSenders(val string) (org, groups string, ok bool) {
	v := oneLine(val)
	outside := roleRE.ReplaceAllString(v, ",")
	parts := strings.Split(outside, ",")
	if !looksLikePersons(strings.TrimSpace(parts[0])) {
		return "", "", false
	}
	// The roles: in parentheses after each person, else after the
	// persons, past a comma ("Kathleen Moriarty and Eric Rescorla, IETF
	// Security Area Directors").
	var roles []string
	for _, m := range roleRE.FindAllStringSubmatch(v, -1) {
		roles = append(roles, m[1])
	}
	if len(roles) == 0 && len(parts) > 1 {
		roles = []string{strings.Join(parts[1:], ",")}
	}
	var gs []string
	for _, role := range roles {
		for _, piece := range strings.Split(role, ",") {
			piece = strings.TrimSpace(piece)
			if loc := sdoPrefixRE.FindStringIndex(piece); loc != nil {
				if org == "" {
					org = strings.TrimSpace(piece[loc[0]:loc[1]])
				}
				piece = piece[loc[1]:]
			} else if org == "" {
				continue // a role of no organization yet named
			}
			g := oneLine(roleWordRE.ReplaceAllString(piece, " "))
			if g != "" && !strings.EqualFold(g, "WG") {
				gs = appendUniq(gs, g)
			}
		}
	}
	if org == "" {
		return "", "", false
	}
	return org, strings.Join(gs, ", "), true
}

package mailproc

// The prose reader's rules for what a statement answers or follows up:
// a "Reply to ..." title, "in response to ...", thanks for an earlier
// statement, "following our liaison ...".

import (
	"regexp"
	"strings"
)

// readProseRef finds what the statement answers in its title and sentences.
func readProseRef(f filler, v view) {
	x := f.x
	if x.InResponseTo == "" && x.Title != "" {
		refFromTitle(f)
	}
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
		if ref, ok := titleAnswers(x.Title); ok {
			f.str("in_response_to", &x.InResponseTo, ref, x.Sources["title"].Where, "Title: "+x.Title)
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
	if ref, ok := titleAnswers(titleFromSubject(v.subject)); ok {
		f.str("in_response_to", &x.InResponseTo, ref, "subject", "Subject")
	}
}

var (
	// refPhraseRE reads a reference to an earlier statement written in
	// prose: thanks for one ("thanks IETF LAMPS for its liaison on ...",
	// "thanks SG13 for the information in its liaison statement SG13-LS217"),
	// or a follow-up ("Following our liaison LIAISE-512", "with
	// reference to your letters of 4 and 19 April").
	refPhraseRE = regexp.MustCompile(`(?i)\b(?:thanks?\b[^.]{0,80}?\bfor(?:\s+(?:the\s+)?information\s+(?:(?:provided|given|shared)\s+)?in)?|thank\s+you\s+for|(?:following|further\s+to|with\s+reference\s+to|in\s+follow[- ]up\s+to|referring\s+to|as\s+announced\s+in|as\s+described\s+in)(?:\s+up\s+on)?|\bsent\s+(?:you|the\s+IETF|IETF\s+\w+))\s+(?:(your|our|its|their|the)\s+)?(?:recent\s+|previous\s+|earlier\s+|last\s+)?(liaisons?(?:\s+statements?)?|LSs?|letters?|repl(?:y|ies))\b`)
	// liaisonIDRE finds an identifier right after a reference: a peer
	// document number, an IETF statement id (LS-2026-0031) or a
	// liaison number (LIAISE-512).
	liaisonIDRE  = regexp.MustCompile(`\b(?:LS-\d{4}-\d{3,5}|[A-Z][A-Z0-9]{1,12}-\d{2,6}[a-z]?)\b`)
	datedQuoteRE = regexp.MustCompile(`(?i)^\s+(?:dated\s+|of\s+)[^"“.;\n]{1,40}?\s*(?:"([^"]{3,200})"|“([^”]{3,200})”)`)
	refOfRE      = regexp.MustCompile(`(?i)^\s+(?:dated\s+|of\s+)([^.;\n]*?\d{4})`)
	refQuoteRE   = regexp.MustCompile(`(?i)^\s*(?:(?:statement|response|reply)\s+)?(?:(?:titled|entitled|named|called)\s+)?(?:\(([^)\n]{2,60})\)\s*)?(?:"([^"]{3,200})"|“([^”]{3,200})”)`)
	refOnRE      = regexp.MustCompile(`(?i)^\s+(on\s+[^.(\n]{3,150})`)
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
// A reference to the sender's own earlier statement (a follow-up), or to
// one a third party sent the sender, is recorded, but does not make the
// statement a response.
func readReference(f filler, p passage) bool {
	// A statement says what it answers in its first paragraphs.
	text := headOf(p.text, refScope)
	m := findNear(text, refStems[:], refPhraseRE, 320, 20)
	if m == nil {
		return false
	}
	// The phrase up to the owner ("its", "your"), or up to the noun when
	// it has none ("thanks the ITU-T for liaison statement COM 16 – LS
	// 124").
	owner, phraseEnd := "", m[4]
	if m[2] >= 0 {
		owner, phraseEnd = strings.ToLower(text[m[2]:m[3]]), m[2]
	}
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
	case datedQuoteRE.MatchString(clause):
		// "your liaisons dated May 18, 2017 “Liaison on X” and ...": the
		// title says more than the date.
		q := datedQuoteRE.FindStringSubmatch(clause)
		ref = oneLine(firstNonEmpty(q[1], q[2]))
	case refOfRE.MatchString(clause):
		ref = strings.TrimSpace(owner + " " + noun + " of " + oneLine(refOfRE.FindStringSubmatch(clause)[1]))
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
	f.st.foreignRef = owner == "our" || thanksThirdParty(text[m[0]:phraseEnd])
	return true
}

// thanksThirdParty reports whether a phrase of thanks ("thanks ITU-T SG13
// for the information in") thanks another organization than the IETF: the
// statement it refers to was sent to the writer, not to the IETF.
func thanksThirdParty(phrase string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(phrase), "thanks ")
	if !ok {
		return false
	}
	rest = phrase[len(phrase)-len(rest):]
	return sdoPrefixRE.MatchString(rest) && !ietfPartyRE.MatchString(rest)
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
		if ids := findIDs(re, clause); len(ids) > 0 {
			return ids[0]
		}
	}
	clause = strings.TrimSpace(strings.Trim(clause, ",:"))
	if len(clause) > 200 {
		clause = trunc(clause, 200)
	}
	return clause
}

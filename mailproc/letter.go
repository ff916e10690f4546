package mailproc

import (
	"regexp"
	"strings"
	"unicode"
)

// The rules of the prose reader that find the parties of a letter where a
// careful reader finds them when no label names them: the sender in the
// letterhead, the first sentence ("The Metro Ethernet Forum (MEF) has
// approved ...") or the signature ("Chair, IEEE 802.11 Working Group"); the
// addressee in the salutation ("Dear 6MAN chairs"), in thanks ("ITU-T SG13
// thanks the IETF IPPM working group for ...") or in a request ("MEF
// requests the IETF OPSAWG to comment ...").

// passage is a text the sentence rules read: the mail text, or the text of
// an attached document.
type passage struct {
	text   string
	where  string // "prose" for the mail text, "docx" or "pdf" for a document
	detail string // the document's file name ("" for the mail text)
}

// src is the source of a value found in the passage by rule.
func (p passage) src(rule string) (string, string) {
	if p.detail != "" {
		return p.where, p.detail + ": " + rule
	}
	return p.where, rule
}

var (
	// orgWordRE finds the words that make a phrase an organization or a
	// group rather than a person or a thing.
	orgWordRE = regexp.MustCompile(`(?i)\b(?:forum|alliance|consortium|association|committee|council|institute|union|organi[sz]ation|society|federation|secretariat|study\s+group|working\s+group|work\s+area|task\s+force|task\s+group|group|WG|SG|TSG|TC|ISG|JTC|SC|RG|IETF|IAB|IESG|IRTF)\b|\bQ\d{1,2}/\d{1,2}\b|\bQuestion\s+\d`)
	// pronounRE starts phrases that refer to the writer or the text.
	pronounRE = regexp.MustCompile(`(?i)^(?:we|our|us|this|these|that|those|it|its|they|their|you|your|i|my|attached|the\s+attached|please|dear|as|in|on|at|for|following|further|with|thank)\b`)
	// firstSentenceRE reads "<Organization> (<abbreviation>) <verb> ..." at
	// the start of a paragraph; the verb is group 3.
	firstSentenceRE = regexp.MustCompile(`^(?:[Tt]he\s+)?([A-Z0-9][^\n.,;:!?]{1,90}?)\s+(?:\(([^()\n]{1,40})\)\s+)?(has|have|had|would|wishes|wish|is|are|was|hereby|kindly|thanks?|informs?|sends?|asks?|requests?|invites?|agreed|approved|decided|notes?|welcomes?|appreciates?|acknowledges?|plans?|intends?|forwards?|submits?|shares?|confirms?|completed|started|initiated|began|continues|seeks?)\b`)
	// speakingVerbRE are the verbs of a writer addressing the reader: only
	// they make "The IETF ... <verb>" the sender (an incoming letter often
	// starts a paragraph with what the IETF has done).
	speakingVerbRE = regexp.MustCompile(`^(?:would|wishes|wish|hereby|kindly|thanks?|informs?|sends?|asks?|requests?|invites?|welcomes?|appreciates?|acknowledges?|forwards?|submits?|shares?|confirms?|seeks?)$`)
	// closingRE is the line before a signature.
	closingRE = regexp.MustCompile(`(?i)^\s*(?:(?:best|kind|warm|with\s+kind|with\s+best)\s+regards|regards|sincerely|yours\s+(?:sincerely|faithfully|truly)|best\s+wishes|respectfully|cordially|thanks?(?:\s+you)?(?:\s+and\s+regards)?)\s*,?\s*$`)
	// signatureRoleRE reads "Chair, <organization>" or "<organization>
	// chair(s)" in a signature.
	signatureRoleRE  = regexp.MustCompile(`(?i)^\s*(?:(?:co-?|vice[- ]?)?chair(?:man|woman|person)?|convenor|rapporteur|secretary|liaison\s+(?:officer|manager|representative))\s*(?:,|of|-|–)\s*(?:the\s+)?(.{3,80}?)\s*$`)
	signatureChairRE = regexp.MustCompile(`(?i)^\s*(?:on\s+behalf\s+of\s+)?(?:the\s+)?(.{3,80}?)\s+(?:(?:co-?|vice[- ]?)?chairs?|co-?chairs|chairmen)\s*$`)
	onBehalfRE       = regexp.MustCompile(`(?i)^\s*(?:for\s+and\s+)?on\s+behalf\s+of\s+(?:the\s+)?(.{3,80}?)\s*$`)
	// salutationRE reads the addressee of "Dear <party>,".
	salutationRE     = regexp.MustCompile(`(?m)^[ \t]*Dear\s+(.{2,80}?)[ \t]*[,:]?[ \t]*$`)
	salutationTailRE = regexp.MustCompile(`(?i)\s+(?:chairs?|co-?chairs|colleagues|participants|members|experts|coordinators|managers|directors|ADs|delegates|all|friends|team|liaison)$`)
	salutationHeadRE = regexp.MustCompile(`(?i)^(?:(?:colleagues|members|friends|experts)\s+(?:of|from|in)\s+(?:the\s+)?|(?:the\s+)?)`)
	// thanksPartyRE reads "<sender> thanks <party> for ...".
	thanksPartyRE = regexp.MustCompile(`\bthanks?\s+(?:the\s+)?([A-Z0-9][^\n.,;:!?]{1,80}?)\s+for\b`)
	// requestPartyRE reads "<sender> asks <party> to ...".
	requestPartyRE = regexp.MustCompile(`\b(?:asks?|requests?|invites?|kindly\s+asks?)\s+(?:the\s+)?([A-Z0-9][^\n.,;:!?]{1,80}?)\s+to\b`)
	// acronymRE finds an upper-case acronym of two letters or more ("MEF",
	// "6MAN", "O-RAN").
	acronymRE = regexp.MustCompile(`\b[0-9]*[A-Z][A-Z0-9-]*[A-Z0-9]\b`)
	// groupNameRE finds a working group's short name as people write it:
	// an acronym, or a word with two capitals ("DetNet") or a digit
	// ("6man").
	groupNameRE = regexp.MustCompile(`\b(?:[0-9]+[A-Za-z]+|[A-Za-z]*[A-Z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b`)
	// genericHeadRE are letterhead lines that name no sender on their own.
	genericHeadRE = regexp.MustCompile(`(?i)^(?:international\s+telecommunication\s+union|telecommunication\s+standardi[sz]ation\s+sector|study\s+period|original\b|liaison(?:\s+statement|\s+letter)?$|ls$|english|page\s+\d)`)
)

// looksLikeOrg reports whether a phrase names an organization or a group:
// it starts with a known organization's name, carries a word such as
// Forum, Group or WG, or is an acronym.
func looksLikeOrg(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || pronounRE.MatchString(s) {
		return false
	}
	return sdoPrefixRE.MatchString(s) || orgWordRE.MatchString(s) || acronymRE.MatchString(s) && !looksLikePerson(s)
}

// nameParticles are the lower-case words of personal names.
var nameParticles = map[string]bool{"de": true, "da": true, "del": true, "della": true, "di": true, "van": true, "von": true, "der": true, "den": true, "le": true, "la": true, "du": true, "dos": true, "das": true, "bin": true, "al": true}

// techWordRE finds words of group and document names that are nobody's
// name ("Deterministic Networking", "Path Computation Element").
var techWordRE = regexp.MustCompile(`(?i)\b(?:network(?:s|ing)?|management|control|plane|routing|transport|security|services?|engineering|measurement|performance|protocols?|element|computation|path|traffic|mobility|label|switching|deterministic|operations|area|maintenance|model(?:s|ing|ling)?|architecture|signal(?:l)?ing|internet|data|distributed|mechanisms|discussion|list|access|wireless|optical|timing|synchroni[sz]ation|interface|systems?|standards?|technical|liaisons?|statements?|coordinators?|secretariat|support|team|office|directors?|chairs?)\b`)

// looksLikePerson reports whether a phrase reads like a person's name: two
// to five capitalised words (particles aside), no digits, no acronym and
// none of the words group names are made of.
func looksLikePerson(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 || orgWordRE.MatchString(s) || techWordRE.MatchString(s) {
		return false
	}
	for _, w := range words {
		if nameParticles[w] {
			continue
		}
		w = strings.Trim(w, ".,")
		rs := []rune(w)
		if len(rs) == 0 || !unicode.IsUpper(rs[0]) {
			return false
		}
		upper := 0
		for _, r := range rs {
			switch {
			case unicode.IsDigit(r):
				return false
			case unicode.IsUpper(r):
				upper++
			}
		}
		if upper > 1 && len(rs) > 1 && upper == len(rs) {
			return false // an acronym
		}
	}
	return true
}

// cleanOrg trims an organization as a sentence writes it: a leading
// "the", a trailing abbreviation or remark in parentheses.
func cleanOrg(s string) string {
	s = oneLine(s)
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "the "), "The "))
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	return strings.TrimSpace(strings.TrimRight(s, ",;:"))
}

// paragraphStarts returns the first line of each paragraph of text (after
// a blank line, or the text's start), a leading "Body:" label dropped. A
// paragraph that opens with a section heading ("1. Overall Description:")
// starts at the line after it.
func paragraphStarts(text string) []string {
	var out []string
	prevBlank, heading := true, false
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			prevBlank, heading = true, false
			continue
		}
		if prevBlank || heading {
			if rest, ok := strings.CutPrefix(t, "Body:"); ok {
				t = strings.TrimSpace(rest)
			}
			heading = prevBlank && sectionHeadingRE.MatchString(t)
			if !heading {
				out = append(out, t)
			}
		}
		prevBlank = false
	}
	return out
}

// sectionHeadingRE is a section heading on a line of its own ("1. Overall
// Description:", "Background:").
var sectionHeadingRE = regexp.MustCompile(`^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[A-Z][A-Za-z /&-]{0,48}:$`)

// readLetterhead fills the sender from a document's letterhead: its first
// short lines, before any label or sentence, that name an organization.
func readLetterhead(f filler, p passage) {
	if f.x.FromOrgText != "" {
		return
	}
	n := 0
	for _, l := range strings.Split(p.text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if n++; n > 4 || len(t) > 70 || isLabelLine(t) || strings.HasSuffix(t, ".") {
			return
		}
		if genericHeadRE.MatchString(t) || strings.HasPrefix(strings.ToLower(t), "dear ") {
			continue
		}
		if looksLikeOrg(t) {
			w, d := p.src("letterhead")
			f.str("from_org_text", &f.x.FromOrgText, cleanOrg(t), w, d)
			return
		}
	}
}

// readFirstSentence fills the sender from the first sentence of a
// paragraph that starts with an organization and a verb.
func readFirstSentence(f filler, p passage) {
	if f.x.FromOrgText != "" {
		return
	}
	for i, para := range paragraphStarts(p.text) {
		if i >= 8 {
			return
		}
		if label, _, ok := splitLabel(para); ok && labelOf(label) != "" {
			continue
		}
		m := firstSentenceRE.FindStringSubmatch(para)
		if m == nil || !looksLikeOrg(m[1]) || looksLikePerson(m[1]) {
			continue
		}
		if isIETFOrg(cleanOrg(m[1])) && !speakingVerbRE.MatchString(m[3]) {
			continue // "The IETF has published ...": what the IETF did, not who writes
		}
		w, d := p.src("first sentence")
		f.str("from_org_text", &f.x.FromOrgText, cleanOrg(m[1]), w, d)
		return
	}
}

// readSignature fills the sender from the signature: the lines after a
// closing ("Best regards,") that give a role in an organization ("Chair,
// IEEE 802.1 Working Group", "CCAMP co-chairs", "on behalf of ...").
func readSignature(f filler, p passage) {
	if f.x.FromOrgText != "" {
		return
	}
	lines := strings.Split(p.text, "\n")
	for i, l := range lines {
		if !closingRE.MatchString(l) {
			continue
		}
		for _, s := range lines[i+1 : min(len(lines), i+7)] {
			for _, re := range []*regexp.Regexp{signatureRoleRE, onBehalfRE, signatureChairRE} {
				if m := re.FindStringSubmatch(s); m != nil && looksLikeOrg(m[1]) {
					w, d := p.src("signature")
					f.str("from_org_text", &f.x.FromOrgText, cleanOrg(m[1]), w, d)
					return
				}
			}
		}
	}
}

// readAddressee fills the addressees from the salutation, from thanks or
// from a request, when nothing else named them.
func readAddressee(f filler, p passage) {
	x := f.x
	if len(x.ToText) > 0 {
		return
	}
	if m := salutationRE.FindStringSubmatch(p.text); m != nil {
		party := m[1]
		for {
			t := salutationTailRE.ReplaceAllString(party, "")
			if t == party {
				break
			}
			party = t
		}
		party = strings.TrimSpace(salutationHeadRE.ReplaceAllString(party, ""))
		if party != "" && (looksLikeOrg(party) || groupNameRE.MatchString(party)) && !looksLikePerson(party) {
			w, d := p.src("salutation")
			f.list("to_text", &x.ToText, []string{party}, w, d)
			return
		}
	}
	for _, r := range []struct {
		re   *regexp.Regexp
		rule string
	}{{thanksPartyRE, "thanks"}, {requestPartyRE, "request"}} {
		for _, m := range r.re.FindAllStringSubmatch(p.text, 4) {
			if party := cleanOrg(m[1]); looksLikeOrg(party) && !looksLikePerson(party) {
				w, d := p.src(r.rule)
				f.list("to_text", &x.ToText, []string{party}, w, d)
				return
			}
		}
	}
}

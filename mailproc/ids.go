package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

var (
	tdocRE   = regexp.MustCompile(`\b(?:S[1-6P]|R[1-6P]|C[1-6P]|RP|CP|SP|GP)-\d{6,7}(?:\b|_)`)
	ituIDRE  = regexp.MustCompile(`(?i)\b(?:(?:SG\s?\d{1,2}|COM\s?\d{1,2})\s?[-–—]\s?LS\s?\d{1,4}(?:\s?[-–—]\s?E)?\b|(?:SG\s?\d{1,2}\s?-\s?)?TD\s?\d{1,5}(?:R\d{1,2}|\s?Rev\.?\s?\d{1,2})?(?:\s?\((?:PLEN|GEN|WP\s?\d)/\d{1,2}\)|(?:/(?:P|PLEN|GEN|WP\d)(?:/\d{1,2})?)?\b))`)
	ieeeIDRE = regexp.MustCompile(`\b\d{1,2}-\d{2}/\d{3,4}r\d+\b`)
	// bbfIDRE and mefIDRE are the Broadband Forum's and the MEF's liaison
	// numbers ("LIAISE-439"; "L00265", "LS00307", also as a file name's
	// start: "LS00307_001_...").
	bbfIDRE = regexp.MustCompile(`\bLIAISE-\d{2,5}\b`)
	// isoIDRE is an ISO/IEC JTC 1 document number ("SC 29 N 10775",
	// "JTC 1/SC 6 N 8419", "SC 29/WG 11 N 11247").
	isoIDRE   = regexp.MustCompile(`\b(?:JTC\s?1\s?/\s?)?SC\s?\d{1,2}(?:\s?/\s?WG\s?\d{1,2})?\s?N\s?\d{3,6}\b`)
	mefIDRE   = regexp.MustCompile(`\bLS?0\d{4}(?:\b|_)`)
	refLineRE = regexp.MustCompile(`(?i)\b(?:response|reply|replies|previous|earlier|your|referenced)\b`)
)

// peerIDREs are the identifier patterns collectIDs uses.
var peerIDREs = []*regexp.Regexp{tdocRE, ituIDRE, ieeeIDRE, bbfIDRE, mefIDRE, isoIDRE}

// findIDs returns the matches of an identifier pattern in text, as
// written (a file name's separator after a number dropped:
// "SP-211633_rev02", "LS00307_001").
func findIDs(re *regexp.Regexp, text string) []string {
	ids := re.FindAllString(text, -1)
	for i, id := range ids {
		ids[i] = oneLine(strings.TrimSuffix(id, "_"))
	}
	return ids
}

// PeerIDs returns the document identifiers of peer organizations found in
// text (3GPP tdoc numbers such as S2-2701234, ITU-T LS and TD numbers such
// as SG15-LS45, TD 123 (PLEN/15) or SG15-TD29R1/PLEN, IEEE document numbers such as
// 1-27/0012r1, BBF and MEF liaison numbers such as LIAISE-439 and
// L00265), each once, in order of appearance. They are the same
// identifiers Parse puts in Extraction.OtherIDs, so a reply that cites a
// statement's identifier can be matched to it; compare them with NormID.
func PeerIDs(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, re := range peerIDREs {
		for _, id := range findIDs(re, text) {
			n := NormID(id)
			if !seen[n] {
				seen[n] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// NormID is the form identifiers are compared in: upper case, no white
// space ("SG15 - LS 45" and "sg15-LS45" are the same identifier).
func NormID(id string) string {
	return strings.ToUpper(dashes.Replace(strings.Join(strings.Fields(id), "")))
}

// dashes writes the dashes identifiers are typed with as hyphens
// ("COM 16 – LS 124 – E").
var dashes = strings.NewReplacer("–", "-", "—", "-", "‐", "-", "‑", "-")

// collectIDs gathers the identifiers of the statement from its subject,
// blocks, text header and attachment names, leaving out those that name
// the statement it answers.
func collectIDs(x *liaison.Extraction, v view, blocks []*block) []string {
	var ids []string
	addID := func(id string) {
		if x.InResponseTo != "" && strings.Contains(NormID(x.InResponseTo), NormID(id)) {
			return
		}
		for _, have := range ids {
			if NormID(have) == NormID(id) {
				return
			}
		}
		ids = append(ids, id)
	}
	add := func(s string) {
		up := strings.ToUpper(s)
		for _, re := range peerIDREs {
			if !mayHoldID(re, up) {
				continue
			}
			for _, id := range findIDs(re, s) {
				addID(id)
			}
		}
	}
	add(v.subject)
	add(x.Title)
	for _, b := range blocks {
		head := headerLines(b.text, b.fs)
		add(head)
		// A letterhead's own reference, in any organization's numbering
		// ("LIAISON STATEMENT    Ref: S2022004").
		for _, id := range ownRefs(head) {
			addID(id)
		}
		// The tracker lists the statement's documents by title ("SG15-LS85",
		// "S2-2311234"); a 3GPP sheet's Attachments are other tdocs.
		if b.shape() == liaison.ShapeTracker {
			add(urlRE.ReplaceAllString(trackerAttachments(b), " "))
		}
	}
	if len(blocks) == 0 || blocks[0].fromFile() {
		add(headerLines(v.text, fieldSet{}))
		add(proseIDs(proseScope(v.text)))
	}
	for _, a := range v.atts {
		add(a.Name)
	}
	return ids
}

// ownRefRE is a document's own reference in its letterhead: "Ref:",
// "Our ref.:", "Reference No:", "Document:", "LS number:" followed by one
// token with at least three
// digits (not "Your ref", which names the letter answered, nor a date or
// words).
var ownRefRE = regexp.MustCompile(`(?i)(?:^|[\t ]{2,}|\|\s*)(?:(?:our\s+)?ref(?:erence)?|doc(?:ument)?|(?:LS|liaison)\s+(?:no|number))\.?(?:\s+(?:no|number)\.?)?\s*:\s*([A-Z][A-Z0-9._/-]{2,40})(?:\s*$|[\t ]{2,}|\s+\|)`)

// ownRefDigitsRE is the run of digits a reference has.
var ownRefDigitsRE = regexp.MustCompile(`\d{3,}`)

// ownRefs returns the own references of a document's header lines.
func ownRefs(head string) []string {
	if !strings.Contains(head, ":") { // every label has its colon
		return nil
	}
	var out []string
	for _, l := range strings.Split(head, "\n") {
		for _, m := range ownRefRE.FindAllStringSubmatch(l, -1) {
			if id := strings.TrimRight(m[1], "./-_"); ownRefDigitsRE.MatchString(id) {
				out = append(out, id)
			}
		}
	}
	return out
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
	case bbfIDRE:
		return strings.Contains(up, "LIAISE-")
	case mefIDRE:
		return strings.Contains(up, "L0") || strings.Contains(up, "LS0")
	case isoIDRE:
		return strings.Contains(up, "SC")
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

// headerLines returns the lines of a block before its first label, where
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

// idSource says where the statement's first identifier was found.
func idSource(v view, blocks []*block, id string) liaison.Source {
	if strings.Contains(NormID(v.subject), NormID(id)) {
		return liaison.Source{Where: "subject", Detail: "Subject"}
	}
	for _, a := range v.atts {
		if strings.Contains(NormID(a.Name), NormID(id)) {
			return liaison.Source{Where: "attachment-name", Detail: a.Name}
		}
	}
	for _, b := range blocks {
		if strings.Contains(NormID(b.text), NormID(id)) {
			if b.fromFile() {
				return liaison.Source{Where: b.where, Detail: b.detail + ": header"}
			}
			return liaison.Source{Where: b.where, Detail: "header"}
		}
	}
	return liaison.Source{Where: "prose", Detail: "message body"}
}

package mailproc

// The prose reader's rules for the purpose of a letter: "for action" and
// the like (not inside quotations; the IETF's when several addressees
// have their own), and requests when no purpose is stated.

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// readPurposePhrase fills the purpose from "for action", "for
// information", ... in a passage. A phrase inside quotation marks is part
// of a quoted title ("our LS \"For action: ...\""), not this letter's
// purpose. When the letter gives several addressees each a purpose ("to
// CEN-CENELEC for action, and to the IETF LAMPS WG for information"), the
// IETF's is the purpose, and a deadline is the others'.
func readPurposePhrase(f filler, p passage) { purposePhrase(f, p, false) }

// readIETFPurposePhrase fills the purpose from a purpose phrase said of
// the IETF ("This liaison is copied to the IETF for information"): it
// beats what the letter's labels and references imply, such as a reply
// to another organization sent to the IETF for information.
func readIETFPurposePhrase(f filler, p passage) { purposePhrase(f, p, true) }

func purposePhrase(f filler, p passage, ietfOnly bool) {
	if f.x.Purpose != "" {
		return
	}
	// A purpose phrase quoted, or inside the name of the statement this
	// one answers ("Response to LS on call for comments on ..."), is that
	// statement's.
	quoted := append(quotedSpans(p.text), refSpans(p.text, f.x.InResponseTo)...)
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
	} else if ietfOnly {
		return
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

// refSpans are where text names ref, the statement answered, when ref
// is long enough to be a title.
func refSpans(text, ref string) [][]int {
	if len(ref) < 12 {
		return nil
	}
	var out [][]int
	for off := 0; ; {
		i := strings.Index(text[off:], ref)
		if i < 0 {
			return out
		}
		out = append(out, []int{off + i, off + i + len(ref)})
		off += i + len(ref)
	}
}

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
	// noteWordRE are the words of a request to take note, or to take
	// something into account: information.
	noteWordRE = regexp.MustCompile(`(?i)\b(?:take\s+(?:due\s+)?note|to\s+note\b|be\s+(?:informed|aware)|for\s+(?:your\s+)?(?:information|awareness)|take\s+(?:[^.]{0,60}?\s)?into\s+(?:account|consideration))`)
	// answerWordRE are the words of a request for answers: action, even
	// when they are called feedback ("feedback on the questions above").
	answerWordRE = regexp.MustCompile(`(?i)\b(?:questions?|answers?|confirm|clarif(?:y|ication)|whether|indicate)\b`)
	// commentWordRE are the words of a request for comments.
	commentWordRE = regexp.MustCompile(`(?i)\b(?:comments?|comment\s+on|review|feedback|remarks)\b`)
)

// requestPurpose is the purpose of a request: to take note or take
// something into account is information, to answer questions is action,
// to comment or review is comment, anything else is action.
func requestPurpose(request string) liaison.Purpose {
	switch {
	case noteWordRE.MatchString(request):
		return liaison.PurposeInfo
	case answerWordRE.MatchString(request):
		return liaison.PurposeAction
	case commentWordRE.MatchString(request):
		return liaison.PurposeComment
	}
	return liaison.PurposeAction
}

// readRequestPurpose fills the purpose of a letter that states none but
// asks something (see requestPurpose): "would appreciate your comments" is
// for comment, a question or an answer by a date for action.
func readRequestPurpose(f filler, p passage) {
	if f.x.Purpose != "" {
		return
	}
	for _, loc := range requestRE.FindAllStringIndex(p.text, 8) {
		sentence := p.text[sentenceStart(p.text, loc[0]):sentenceEnd(p.text, loc[1])]
		if negationRE.MatchString(sentence) {
			continue // "No further action is requested."
		}
		w, d := p.src(trunc(oneLine(sentence), 100))
		f.purpose(requestPurpose(sentence), w, d)
		return
	}
}

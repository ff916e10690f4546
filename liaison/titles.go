package liaison

import (
	"regexp"
	"strings"
)

var (
	titlePrefixRE = regexp.MustCompile(`(?i)^\s*(?:\[[^\]]*\]\s*|(?:re|aw|sv|fw|fwd|tr|wg)\s*:\s*|new\s+liaison\s+statement\s*,\s*|(?:ls|liaison\s+statement)\s+from\s+.{1,80}?\s+to\s+.{1,80}?\s*:\s*)`)
	lsOnRE        = regexp.MustCompile(`(?i)\b(?:ls|liaison(?:\s+statement)?)(?:/r)?\s+(?:from\s+.{1,80}?\s+to\s+.{1,80}?\s+)?(?:on|about|regarding|concerning)\s+`)
	replyToRE     = regexp.MustCompile(`(?i)^\s*(?:(?:reply|response|answer)(?:\s+ls)?\s+to\s+(?:the\s+|your\s+|our\s+)?|ls/r\s+)`)
	parenRE       = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)
	quoteRE       = regexp.MustCompile("[\"“”'‘’«»]")
)

// minTitleWords keeps very short titles ("LS", "Reply") out of the index:
// they would match unrelated statements.
const minTitleWords = 3

// NormTitle reduces a statement title, or a reference to one ("Reply to
// ITU-T SG15 LS on MPLS-TP OAM (SG15-LS31)", "Re: [LS-2026-0007] LS on
// ..."), to the form titles are compared in: reply and forward prefixes,
// "... LS on", parenthesised identifiers, quotes, case and punctuation
// removed. It returns "" when too little is left to compare.
func NormTitle(s string) string {
	s = strings.TrimSpace(s)
	for {
		loc := titlePrefixRE.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = s[loc[1]:]
	}
	if locs := lsOnRE.FindAllStringIndex(s, -1); len(locs) > 0 {
		s = s[locs[len(locs)-1][1]:]
	} else {
		s = replyToRE.ReplaceAllString(s, "")
	}
	s = parenRE.ReplaceAllString(s, " ")
	s = quoteRE.ReplaceAllString(s, "")
	n := NormalizeName(s)
	if len(strings.Fields(n)) < minTitleWords {
		return ""
	}
	return n
}

package mailproc

import (
	"regexp"
	"strings"
)

// Organizations and addressees as written in statements.

var (
	ietfOrgRE     = regexp.MustCompile(`(?i)^\s*(?:the\s+)?(?:IETF|IAB|IESG|IRTF|IRSG|Internet\s+Engineering\s+Task\s+Force|Internet\s+Architecture\s+Board|Internet\s+Research\s+Task\s+Force)\b`)
	wgOnlyRE      = regexp.MustCompile(`^\s*[A-Za-z0-9]{2,12}(?:\s+(?:WG|working\s+group|RG|research\s+group))\s*$`)
	acronymOnlyRE = regexp.MustCompile(`^[a-z][a-z0-9]{1,11}$`)
	genericOrgRE  = regexp.MustCompile(`(?i)^(?:forum|alliance|consortium|association|inc\.?|ltd\.?)\b\s*`)
	sdoPrefixRE   = regexp.MustCompile(`(?i)^\s*(?:ITU-[TRD]|ITU|3GPP|IEEE|ETSI|BBF|Broadband\s+Forum|MEF|ISO/IEC\s+JTC\s*1|ISO|IEC|W3C|GSMA|O-RAN|ONF|OIF|IETF)\b`)
)

// splitParties splits an addressee list at commas, semicolons and line
// ends, outside parentheses. " and " is not split: group names contain it.
// In a list written with commas, a line end is where a long line wraps
// ("..., the Routing Area, the\nSecurity Area"), unless the next line
// starts with an organization ("IETF OPSAWG\nIETF NETMOD, IETF TEAS").
func splitParties(v string) []string {
	var out []string
	depth := 0
	start := 0
	commas := strings.ContainsAny(v, ",;")
	emit := func(s string) {
		s = oneLine(strings.Trim(strings.TrimSpace(s), ",;"))
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
			if c == '\n' && commas && !sdoPrefixRE.MatchString(v[i+1:]) {
				continue // a wrapped line
			}
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

// isIETFOrg reports whether an organization text names an IETF body. A
// bare lower-case acronym ("teas", "ccamp") is how the tracker writes an
// IETF group; peers' groups are written "ITU-T-SG-15", "3GPP-TSGSA-WG2".
func isIETFOrg(s string) bool {
	if ietfOrgRE.MatchString(s) || acronymOnlyRE.MatchString(strings.TrimSpace(s)) {
		return true
	}
	return wgOnlyRE.MatchString(s) && !sdoPrefixRE.MatchString(s)
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
		// "MEF Forum", "O-RAN ALLIANCE Working Group 11": the word that
		// completes the organization's name is not a group.
		for r := genericOrgRE.ReplaceAllString(rest, ""); r != rest; r = genericOrgRE.ReplaceAllString(rest, "") {
			rest = r
		}
		if m := studyGroupRE.FindStringSubmatch(rest); m != nil && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(org)), "ITU") {
			return "SG" + m[1]
		}
		return rest
	}
	return ""
}

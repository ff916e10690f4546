package mailproc

import (
	"strings"
)

// normText normalises line ends and odd spaces.
func normText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\u200b", "")
	s = strings.ReplaceAll(s, "\ufeff", "")
	return s
}

// normForHash lower-cases, drops quote marks, forward markers and pseudo
// headers, and collapses all whitespace, so that copies of one text compare
// equal however they were forwarded.
func normForHash(s string) string {
	s = normText(s)
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimLeft(l, " \t>")
		if fwdMarkerRE.MatchString(t) || pseudoHdrRE.MatchString(t) && len(t) < 200 && b.Len() == 0 {
			continue
		}
		b.WriteString(t)
		b.WriteByte(' ')
	}
	return strings.ToLower(strings.Join(strings.Fields(b.String()), " "))
}

package mailproc

import (
	"regexp"
	"strings"
)

var (
	fwdMarkerRE  = regexp.MustCompile(`(?im)^[ \t>]*(?:-{2,}\s*(?:forwarded message|original message|forwarded by [^\n]*?|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}|begin forwarded message:|-{2,}\s*forwarded message\s*-*)[ \t]*$`)
	origMarkerRE = regexp.MustCompile(`(?im)^[ \t>]*-{2,}\s*original message\s*-{2,}[ \t]*$`)
	outlookSepRE = regexp.MustCompile(`(?m)^[ \t>]*_{10,}[ \t]*\n[ \t>]*(?:\*?From:|De :|Von:)`)
	quoteHdrRE   = regexp.MustCompile(`(?m)^[ \t]*(?:On|Le|Am|El)\s[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\s(?:wrote|a écrit|schrieb|escribió)\s*:[ \t]*$`)
	outlookHdrRE = regexp.MustCompile(`(?m)^[ \t]*\*?From:\*?[^\n]*\n[ \t]*\*?(?:Sent|Date):`)
	pseudoHdrRE  = regexp.MustCompile(`(?i)^[ \t>]*\*?(from|to|cc|bcc|date|sent|subject|reply-to|de|von|an|objet|betreff|envoyé|gesendet)\*?\s*:\s?(.*)$`)
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

// forwarded is an inline forwarded message found in a body.
type forwarded struct {
	before  string            // text written by the forwarder
	headers map[string]string // pseudo header of the original (lower-case keys)
	body    string            // the original's body
}

// splitForward finds an inline forwarded (or "Original Message") block. The
// "Original Message" form is taken only when allowOriginal is set, since
// Outlook also uses it for replies.
// mayHaveForwardMarker is a cheap test that rules out the forward-marker
// regular expression (costly on long text) for most mail.
func mayHaveForwardMarker(text string) bool {
	// Word stems without their first letter, in the two cases a marker is
	// written in ("Forwarded", "FORWARDED"): no lower-cased copy needed.
	for _, k := range []string{"orward", "ORWARD", "riginal", "RIGINAL", "eitergeleitet", "EITERGELEITET", "ransf", "RANSF", "eenviado", "EENVIADO"} {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

func splitForward(text string, allowOriginal bool) (forwarded, bool) {
	var loc []int
	var markers [][]int
	if mayHaveForwardMarker(text) {
		markers = fwdMarkerRE.FindAllStringIndex(text, -1)
	}
	for _, m := range markers {
		if !allowOriginal && origMarkerRE.MatchString(text[m[0]:m[1]]) {
			continue
		}
		loc = m
		break
	}
	if loc == nil && allowOriginal && strings.Contains(text, "__________") {
		if m := outlookSepRE.FindStringIndex(text); m != nil {
			nl := strings.IndexByte(text[m[0]:], '\n')
			loc = []int{m[0], m[0] + nl}
		}
	}
	if loc == nil {
		return forwarded{}, false
	}
	f := forwarded{before: text[:loc[0]], headers: map[string]string{}}
	rest := strings.TrimLeft(text[loc[1]:], "\n")
	lines := strings.Split(rest, "\n")
	i := 0
	last := ""
	for ; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(strings.TrimLeft(l, ">")) == "" {
			if len(f.headers) > 0 {
				i++
				break
			}
			continue
		}
		if m := pseudoHdrRE.FindStringSubmatch(l); m != nil {
			k := strings.ToLower(m[1])
			switch k {
			case "de", "von":
				k = "from"
			case "an":
				k = "to"
			case "objet", "betreff":
				k = "subject"
			case "envoyé", "gesendet", "sent":
				k = "date"
			}
			if _, dup := f.headers[k]; dup && k != "to" && k != "cc" {
				break // a second From: is content, not header
			}
			f.headers[k] = strings.TrimSpace(m[2])
			last = k
			continue
		}
		if last != "" && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) {
			f.headers[last] += " " + strings.TrimSpace(l)
			continue
		}
		break
	}
	if i > len(lines) {
		i = len(lines)
	}
	f.body = stripQuoteMarks(strings.Join(lines[i:], "\n"))
	return f, true
}

// ownText is the part of a reply its author wrote: everything before the
// first quote header ("On ... wrote:", an Outlook From/Sent block, an
// "Original Message" marker) or quoted ("> ") line block.
func ownText(text string) string {
	cut := len(text)
	for _, re := range []*regexp.Regexp{quoteHdrRE, outlookHdrRE, origMarkerRE, outlookSepRE} {
		if m := re.FindStringIndex(text); m != nil && m[0] < cut {
			cut = m[0]
		}
	}
	var out []string
	for _, l := range strings.Split(text[:cut], "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), ">") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// stripQuoteMarks removes one level of "> " when most lines carry it.
func stripQuoteMarks(s string) string {
	lines := strings.Split(s, "\n")
	n, q := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n++
		if strings.HasPrefix(strings.TrimLeft(l, " "), ">") {
			q++
		}
	}
	if n == 0 || q*10 < n*8 {
		return s
	}
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, ">") {
			t = strings.TrimPrefix(t[1:], " ")
			lines[i] = t
		}
	}
	return stripQuoteMarks(strings.Join(lines, "\n"))
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

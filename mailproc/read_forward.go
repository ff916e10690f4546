package mailproc

import (
	"regexp"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// The forwarded-message reader runs first: it peels forwarding layers off a
// message (a message/rfc822 part, or an inline "Forwarded message" block in
// any of the languages mail clients write it in) and hands the shape
// readers the original statement: its subject, text, attachments and
// documents.

var (
	fwdMarkerRE  = regexp.MustCompile(`(?im)^[ \t>]*(?:-{2,}\s*(?:forwarded message|original message|forwarded by [^\n]*?|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}|begin forwarded message:|-{2,}\s*forwarded message\s*-*)[ \t]*$`)
	origMarkerRE = regexp.MustCompile(`(?im)^[ \t>]*-{2,}\s*original message\s*-{2,}[ \t]*$`)
	outlookSepRE = regexp.MustCompile(`(?m)^[ \t>]*_{10,}[ \t]*\n[ \t>]*(?:\*?From:|De :|Von:)`)
	quoteHdrRE   = regexp.MustCompile(`(?m)^[ \t]*(?:On|Le|Am|El)\s[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\s(?:wrote|a écrit|schrieb|escribió)\s*:[ \t]*$`)
	outlookHdrRE = regexp.MustCompile(`(?m)^[ \t]*\*?From:\*?[^\n]*\n[ \t]*\*?(?:Sent|Date):`)
	pseudoHdrRE  = regexp.MustCompile(`(?i)^[ \t>]*\*?(from|to|cc|bcc|date|sent|subject|reply-to|de|von|an|objet|betreff|envoyé|gesendet)\*?\s*:\s?(.*)$`)
)

// view is the candidate statement: the original message once forwarding is
// peeled off.
type view struct {
	subject   string
	text      string // plain text of the original
	textWhere string // "html" when converted from HTML
	atts      []liaison.Attachment
	docx      []docText
	forwarded bool
}

// maxForwardDepth bounds how many forwarding layers are peeled.
const maxForwardDepth = 5

// readForwarded returns the original statement inside n, whose subject is
// subject: the first message/rfc822 part of a message that is not a reply,
// or an inline forwarded block, peeled recursively.
func readForwarded(n *node, subject string) view { return originalView(n, subject, 0) }

func originalView(n *node, subject string, depth int) view {
	text, where := bodyText(n)
	v := view{subject: subject, text: text, textWhere: where, atts: n.atts, docx: n.docx}
	if depth > maxForwardDepth {
		return v
	}
	isRe := reSubjectRE.MatchString(subject)
	isFwd := fwdSubjectRE.MatchString(subject)
	if len(n.inner) > 0 && !isRe {
		inner := n.inner[0]
		in := originalView(inner, unfold(hget(inner.hdr, "Subject")), depth+1)
		if in.subject == "" {
			in.subject = subject
		}
		in.forwarded = true
		// Files attached beside the forwarded message travel with it.
		in.atts = append(append([]liaison.Attachment(nil), in.atts...), n.atts...)
		in.docx = append(append([]docText(nil), in.docx...), n.docx...)
		for _, more := range n.inner[1:] {
			in.atts = append(in.atts, allAttachments(more)...)
			in.docx = append(in.docx, allDocx(more)...)
		}
		return in
	}
	if f, ok := splitForward(text, !isRe || isFwd); ok && (!isRe || isFwd) {
		v.forwarded = true
		v.text = f.body
		if s := f.headers["subject"]; s != "" {
			v.subject = unfold(decodeWords(s))
		}
		// Peel a forward of a forward.
		if g, ok := splitForward(v.text, true); ok && strings.TrimSpace(g.before) == "" {
			v.text = g.body
			if s := g.headers["subject"]; s != "" {
				v.subject = unfold(decodeWords(s))
			}
		}
		return v
	}
	if isRe {
		v.text = ownText(text)
	}
	for _, c := range n.inner {
		v.atts = append(v.atts, allAttachments(c)...)
	}
	return v
}

// bodyText returns the text of a node: its plain parts, or its HTML parts
// converted when there is no plain text.
func bodyText(n *node) (string, string) {
	var parts []string
	for _, p := range n.plain {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, normText(p))
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "\n\n"), ""
	}
	for _, h := range n.html {
		if t := htmlToText(h); strings.TrimSpace(t) != "" {
			parts = append(parts, normText(t))
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "\n\n"), "html"
	}
	return "", ""
}

// allAttachments lists attachments of n and of messages inside it.
func allAttachments(n *node) []liaison.Attachment {
	out := append([]liaison.Attachment(nil), n.atts...)
	for _, c := range n.inner {
		out = append(out, allAttachments(c)...)
	}
	return out
}

// allDocx lists the documents read from n and from messages inside it.
func allDocx(n *node) []docText {
	out := append([]docText(nil), n.docx...)
	for _, c := range n.inner {
		out = append(out, allDocx(c)...)
	}
	return out
}

// forwarded is an inline forwarded message found in a body.
type forwarded struct {
	before  string            // text written by the forwarder
	headers map[string]string // pseudo header of the original (lower-case keys)
	body    string            // the original's body
}

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

// splitForward finds an inline forwarded (or "Original Message") block. The
// "Original Message" form is taken only when allowOriginal is set, since
// Outlook also uses it for replies.
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

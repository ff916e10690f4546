package mailproc

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/dates"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
)

// The forwarded-message reader runs first: it peels forwarding layers off a
// message (a message/rfc822 part, or an inline "Forwarded message" block in
// any of the languages mail clients write it in) and hands the shape
// readers the original statement: its subject, text, attachments and
// documents.

// The markers mail clients put above a forwarded message, in the
// languages they are written in: "Forwarded message", "Original Message",
// "Begin forwarded message:", and their translations.
const fwdMarkerWords = `forwarded message|original message|forwarded by [^\n]*?|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine|message original|mensaje reenviado|mensaje original|messaggio inoltrato|messaggio originale|mensagem encaminhada|mensagem original|doorgestuurd bericht|oorspronkelijk bericht|vidarebefordrat meddelande|ursprungligt meddelande|videresendt meddelelse|转发的邮件|原始邮件|転送されたメッセージ|元のメッセージ`

var (
	fwdMarkerRE  = regexp.MustCompile(`(?im)^[ \t>]*(?:-{2,}\s*(?:` + fwdMarkerWords + `)\s*-{2,}|begin forwarded message:|-{2,}\s*forwarded message\s*-*)[ \t]*$`)
	origMarkerRE = regexp.MustCompile(`(?im)^[ \t>]*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|原始邮件|元のメッセージ)\s*-{2,}[ \t]*$`)
	outlookSepRE = regexp.MustCompile(`(?m)^[ \t>]*_{10,}[ \t]*\n[ \t>]*(?:\*?(?:From|De|Von|Da|Van|Från|Fra|Od)\s*:|发件人|寄件者|差出人)`)
	quoteHdrRE   = regexp.MustCompile(`(?m)^[ \t]*(?:On|Le|Am|El|Il|Em|Op)\s[^\n]{0,200}?(?:\n[^\n]{0,120}?)?\s(?:wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef)\s*:[ \t]*$`)
	outlookHdrRE = regexp.MustCompile(`(?m)^[ \t]*\*?From:\*?[^\n]*\n[ \t]*\*?(?:Sent|Date):`)
	pseudoHdrRE  = regexp.MustCompile(`(?i)^[ \t>]*\*?(from|to|cc|bcc|date|sent|subject|reply-to|de|von|an|objet|betreff|envoyé|gesendet|sujet|pour|à|para|asunto|fecha|enviado(?: el)?|oggetto|data|mittente|da|a|inviato|assunto|enviada em|van|aan|onderwerp|verzonden|datum|från|till|ämne|skickat|发件人|发送时间|收件人|抄送|主题|日期|寄件者|收件者|主旨|差出人|送信日時|宛先|件名)\*?[ \t]*[:：][ \t]?(.*)$`)
)

// pseudoHeaderKeys maps the translated pseudo-header names of a forwarded
// block to from, to, cc, date and subject.
var pseudoHeaderKeys = map[string]string{
	"de": "from", "von": "from", "mittente": "from", "da": "from", "van": "from", "från": "from", "发件人": "from", "寄件者": "from", "差出人": "from",
	"an": "to", "pour": "to", "à": "to", "para": "to", "a": "to", "aan": "to", "till": "to", "收件人": "to", "收件者": "to", "宛先": "to",
	"抄送":    "cc",
	"objet": "subject", "betreff": "subject", "sujet": "subject", "asunto": "subject", "oggetto": "subject", "assunto": "subject", "onderwerp": "subject", "ämne": "subject", "主题": "subject", "主旨": "subject", "件名": "subject",
	"envoyé": "date", "gesendet": "date", "sent": "date", "fecha": "date", "enviado": "date", "enviado el": "date", "data": "date", "inviato": "date", "enviada em": "date", "verzonden": "date", "datum": "date", "skickat": "date", "发送时间": "date", "日期": "date", "送信日時": "date",
}

// view is the candidate statement: the original message once forwarding is
// peeled off.
type view struct {
	subject   string
	text      string // plain text of the original
	textWhere string // "html" when converted from HTML
	atts      []liaison.Attachment
	docx      []docText
	forwarded bool
	// origFrom and origDate are the forwarded message's own sender and
	// date (zero when not forwarded or not said).
	origFrom liaison.Contact
	origDate time.Time
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
		if in.origDate.IsZero() && in.origFrom.Email == "" {
			// (For a forward of a forward the innermost sender counts.)
			in.origFrom = originalSender(inner.hdr.Get("From"))
			in.origDate = looseDate(inner.hdr.Get("Date"))
		}
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
		v.take(f)
		// Peel a forward of a forward.
		if g, ok := splitForward(v.text, true); ok && strings.TrimSpace(g.before) == "" {
			v.take(g)
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

// take makes the inline forwarded message f the view's original: its body,
// and its subject, sender and date when its pseudo header gives them.
func (v *view) take(f forwarded) {
	v.text = f.body
	if s := f.headers["subject"]; s != "" {
		v.subject = unfold(decodeWords(s))
	}
	v.origFrom = originalSender(f.headers["from"])
	v.origDate = looseDate(f.headers["date"])
}

// originalSender reads the From of a forwarded message with the one strict
// address parser (its first mailbox); nothing when it does not parse.
func originalSender(v string) liaison.Contact {
	list, err := mailaddr.ParseMailboxList(strings.TrimSpace(v))
	if err != nil || len(list) == 0 {
		return liaison.Contact{}
	}
	return contact(list[0])
}

// looseDate reads a date as a forwarded header writes it: RFC 5322, or
// any date the body parser knows ("30 April 2027 at 17:41:20 EDT",
// "lun, 3 may 2027 a las 21:14", "2027年5月4日 16:20"), then at midnight UTC.
func looseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t
	}
	if d, ok := dates.Parse(s); ok {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// bodyText returns the text of a node: its plain parts, or its HTML parts
// converted when there is no plain text ("html"). It is worked out once.
func bodyText(n *node) (string, string) {
	if !n.textDone {
		n.text, n.textWhere = nodeText(n)
		n.textDone = true
	}
	return n.text, n.textWhere
}

func nodeText(n *node) (string, string) {
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
// regular expression (costly on long text) for most mail: every marker is
// set off by dashes, but Apple's "Begin forwarded message:".
func mayHaveForwardMarker(text string) bool {
	return strings.Contains(text, "--") || strings.Contains(text, "orwarded message:") || strings.Contains(text, "ORWARDED MESSAGE:")
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
			if std, ok := pseudoHeaderKeys[k]; ok {
				k = std
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

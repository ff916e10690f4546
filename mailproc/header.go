package mailproc

import (
	"mime"
	"net/mail"
	"regexp"
	"strings"

	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"

	"github.com/ietf-tools/liaisond/liaison"
)

var (
	msgIDRE = regexp.MustCompile(`<([^<>\s]+)>`)
	emailRE = regexp.MustCompile(`(?i)[a-z0-9._%+'=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+`)
)

// hget returns the decoded value of header k.
func hget(h textproto.Header, k string) string {
	return strings.TrimSpace(decodeWords(h.Get(k)))
}

// headerFacts fills the header fields of x from the top message.
func headerFacts(x *liaison.Extraction, top *node, opt Options, w *walker) {
	h := top.hdr
	x.Subject = unfold(hget(h, "Subject"))
	x.Sources["subject"] = liaison.Source{Where: "header", Detail: "Subject"}
	if x.Subject == "" {
		delete(x.Sources, "subject")
	}
	if ids := msgIDs(h.Get("Message-ID")); len(ids) > 0 {
		x.MessageID = ids[0]
	} else if v := strings.TrimSpace(h.Get("Message-ID")); v != "" {
		x.MessageID = strings.Trim(v, "<>")
	} else {
		w.problem("no-message-id", "no Message-ID header")
	}
	x.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	x.References = msgIDs(strings.Join(h.Values("References"), " "))
	if d := strings.TrimSpace(h.Get("Date")); d == "" {
		w.problem("no-date", "no Date header")
	} else if t, err := mail.ParseDate(d); err == nil {
		x.Date = t
	} else {
		w.problem("no-date", "unparseable Date header %q", trunc(d, 80))
	}
	if c := addrList(h.Get("From")); len(c) > 0 {
		x.From = c[0]
	}
	x.HeaderTo = addrList(strings.Join(h.Values("To"), ", "))
	x.HeaderCc = addrList(strings.Join(h.Values("Cc"), ", "))
	if rp := strings.TrimSpace(h.Get("Return-Path")); rp != "" {
		x.Sender = strings.Trim(strings.TrimSpace(rp), "<>")
	} else if s := addrList(h.Get("Sender")); len(s) > 0 {
		x.Sender = s[0].Email
	}
	if l := hget(h, "List-Id"); l != "" {
		if ids := msgIDs(l); len(ids) > 0 {
			x.ListID = ids[0]
		} else {
			x.ListID = l
		}
	}
	x.AutoSubmit = strings.TrimSpace(h.Get("Auto-Submitted"))

	loop := opt.LoopHeader
	if loop == "" {
		loop = LoopHeaderName
	}
	if h.Has(loop) {
		x.OwnMail = true
	}
	for _, a := range opt.OwnAddresses {
		if x.From.Email != "" && strings.EqualFold(strings.TrimSpace(a), x.From.Email) {
			x.OwnMail = true
		}
	}
}

func unfold(s string) string { return strings.Join(strings.Fields(s), " ") }

// msgIDs returns the message ids in a Message-ID / In-Reply-To / References
// value, without angle brackets.
func msgIDs(v string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range msgIDRE.FindAllStringSubmatch(v, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		for _, f := range strings.Fields(v) {
			if strings.Contains(f, "@") && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

var addrParser = mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader}}

// addrList parses an address header leniently: when the list is not valid
// RFC 5322 it falls back to picking out the addresses it can see.
func addrList(v string) []liaison.Contact {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if list, err := addrParser.ParseList(v); err == nil {
		out := make([]liaison.Contact, 0, len(list))
		for _, a := range list {
			out = append(out, liaison.Contact{Name: strings.TrimSpace(a.Name), Email: a.Address})
		}
		return out
	}
	return parseContacts(decodeWords(v))
}

// Classification.

var (
	autoSubjectRE   = regexp.MustCompile(`(?i)^\s*(?:(?:re|aw|fw|fwd)\s*:\s*)*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|absence|on vacation|vacation reply|abwesenheit|r[ée]ponse automatique|away from (?:the )?office)`)
	bounceSubjectRE = regexp.MustCompile(`(?i)(undeliver|delivery status notification|delivery (?:has )?failed|failure notice|returned mail|mail delivery (?:failed|failure|system)|delivery failure|could not be delivered|non[- ]?delivery)`)
	mailerDaemonRE  = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@`)
)

// isBounce reports whether the message is a delivery status notification.
// With strong set only unmistakable signs count (a report part, a
// mailer-daemon sender); otherwise a null sender is enough.
func isBounce(x *liaison.Extraction, top *node, strong bool) bool {
	if top.report {
		return true
	}
	ct := strings.ToLower(top.hdr.Get("Content-Type"))
	if strings.Contains(ct, "multipart/report") {
		return true
	}
	rp := strings.TrimSpace(top.hdr.Get("Return-Path"))
	nullSender := rp == "<>" || (top.hdr.Has("Return-Path") && strings.Trim(rp, "<> ") == "")
	daemon := mailerDaemonRE.MatchString(x.From.Email) || strings.EqualFold(x.From.Name, "Mail Delivery System") || strings.EqualFold(x.From.Name, "Mail Delivery Subsystem")
	failSubject := bounceSubjectRE.MatchString(x.Subject)
	if daemon && (failSubject || nullSender) {
		return true
	}
	if strong {
		return false
	}
	switch {
	case nullSender && failSubject:
		return true
	case nullSender && !strings.EqualFold(x.AutoSubmit, "auto-replied") && !isAutoreply(x, top):
		// A null reverse path is used only by notifications (RFC 5321
		// 4.5.5); a notification that is not an auto-reply is a
		// delivery report.
		return true
	}
	return false
}

// isAutoreply reports whether the message is an RFC 3834 auto-reply or an
// out-of-office notice. Auto-generated mail (tracker notices) is NOT one.
func isAutoreply(x *liaison.Extraction, top *node) bool {
	h := top.hdr
	as := strings.ToLower(x.AutoSubmit)
	if strings.HasPrefix(as, "auto-replied") {
		return true
	}
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") || h.Has("X-Autoresponder") {
		return true
	}
	if sup := strings.ToLower(h.Get("X-Auto-Response-Suppress")); strings.Contains(sup, "oof") && autoSubjectRE.MatchString(x.Subject) {
		return true
	}
	if autoSubjectRE.MatchString(x.Subject) {
		return true
	}
	return false
}

package mailproc

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/emersion/go-message/textproto"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
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
func headerFacts(x *liaison.Extraction, top *node, w *walker) {
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
	addressFacts(x, h, w)
	if l := hget(h, "List-Id"); l != "" {
		if ids := msgIDs(l); len(ids) > 0 {
			x.ListID = ids[0]
		} else {
			x.ListID = l
		}
	}
	x.AutoSubmit = strings.TrimSpace(h.Get("Auto-Submitted"))
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

// Problem codes of address headers.
const (
	// ProblemBadFrom: the sender's address could not be read strictly (no
	// From, several, or one that does not parse). The message is kept; the
	// sender gets no mail and its mail commands are refused.
	ProblemBadFrom = "bad-from"
	// ProblemBadAddress: an element of To, Cc, Sender or Return-Path could
	// not be read; it is ignored, the readable ones are kept.
	ProblemBadAddress = "bad-address"
)

// addressFacts reads From, To, Cc, Sender and Return-Path with the one
// strict parser (mailproc/mailaddr). Nothing is guessed: an address that
// does not parse is a problem, never "the first address-like text".
func addressFacts(x *liaison.Extraction, h textproto.Header, w *walker) {
	sender, senderErr := mailaddr.Mailbox{}, error(nil)
	if v := h.Values("Sender"); len(v) > 0 {
		if sender, senderErr = mailaddr.ParseMailbox(v[0]); senderErr != nil {
			w.problem(ProblemBadAddress, "Sender: %v", senderErr)
		}
	}
	if from, err := author(h.Values("From"), sender, senderErr == nil); err != nil {
		w.problem(ProblemBadFrom, "unreadable From, so the sender gets no mail and no mail command is accepted: %v", err)
	} else {
		x.From = contact(from)
	}
	x.HeaderTo = addressList(h, "To", w)
	x.HeaderCc = addressList(h, "Cc", w)
	if rp := h.Values("Return-Path"); len(rp) > 0 {
		m, null, err := mailaddr.ParsePath(rp[0])
		switch {
		case err != nil:
			w.problem(ProblemBadAddress, "Return-Path: %v", err)
		case !null:
			x.Sender = m.Addr()
		}
	} else if senderErr == nil && sender.Local != "" {
		x.Sender = sender.Addr()
	}
}

// author is the mailbox a message is from: the one mailbox of its one From
// field; of several mailboxes (RFC 5322 allows them with a Sender), the
// one the Sender names. Anything else is an error.
func author(froms []string, sender mailaddr.Mailbox, senderOK bool) (mailaddr.Mailbox, error) {
	switch len(froms) {
	case 0:
		return mailaddr.Mailbox{}, errors.New("no From header")
	case 1:
	default:
		return mailaddr.Mailbox{}, fmt.Errorf("%d From header fields", len(froms))
	}
	list, err := mailaddr.ParseMailboxList(froms[0])
	if err != nil {
		return mailaddr.Mailbox{}, err
	}
	switch len(list) {
	case 0:
		return mailaddr.Mailbox{}, errors.New("From holds no address")
	case 1:
		return list[0], nil
	}
	if senderOK {
		for _, m := range list {
			if strings.EqualFold(m.Addr(), sender.Addr()) {
				return m, nil
			}
		}
	}
	return mailaddr.Mailbox{}, fmt.Errorf("From names %d mailboxes and no Sender says which one sent it", len(list))
}

// addressList reads every field named k as an address list.
func addressList(h textproto.Header, k string, w *walker) []liaison.Contact {
	var out []liaison.Contact
	for _, v := range h.Values(k) {
		list, err := mailaddr.ParseList(v)
		if err != nil {
			w.problem(ProblemBadAddress, "%s: %v", k, err)
		}
		for _, m := range list {
			out = append(out, contact(m))
		}
	}
	return out
}

func contact(m mailaddr.Mailbox) liaison.Contact {
	return liaison.Contact{Name: m.Name, Email: m.Addr()}
}

// nullReturnPath reports whether the message has a null reverse path
// ("Return-Path: <>"), which only notifications use (RFC 5321 4.5.5).
func nullReturnPath(h textproto.Header) bool {
	if !h.Has("Return-Path") {
		return false
	}
	v := h.Get("Return-Path")
	_, null, err := mailaddr.ParsePath(v)
	return null || (err != nil && strings.Trim(v, "<> \t") == "")
}

// Classification.

var (
	autoSubjectRE   = regexp.MustCompile(`(?i)^\s*(?:(?:re|aw|fw|fwd)\s*:\s*)*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|absence|on vacation|vacation reply|abwesenheit|r[ée]ponse automatique|away from (?:the )?office)`)
	bounceSubjectRE = regexp.MustCompile(`(?i)(undeliver|delivery status notification|delivery (?:has )?failed|failure notice|returned mail|mail delivery (?:failed|failure|system)|delivery failure|could not be delivered|non[- ]?delivery)`)
	mailerDaemonRE  = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@`)
)

// mayFailSubject is a cheap test that rules bounceSubjectRE out: each of
// its phrases holds one of these stems in lower or title case.
func mayFailSubject(s string) bool {
	for _, k := range [...]string{"eliver", "ELIVER", "ailure", "AILURE", "eturned", "ETURNED", "ailed", "AILED", "otice", "OTICE"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

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
	nullSender := nullReturnPath(top.hdr)
	daemon := mailerDaemonRE.MatchString(x.From.Email) || strings.EqualFold(x.From.Name, "Mail Delivery System") || strings.EqualFold(x.From.Name, "Mail Delivery Subsystem")
	failSubject := mayFailSubject(x.Subject) && bounceSubjectRE.MatchString(x.Subject)
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

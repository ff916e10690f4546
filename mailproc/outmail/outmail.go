// Package outmail builds the RFC 5322 bytes of every mail liaisond sends.
//
// Much of what goes into a header (subjects, titles, display names, message
// ids) comes from mail the daemon received, so it is untrusted: Build
// sanitises every such value (control characters become spaces, lengths are
// capped, non-ASCII is RFC 2047-encoded by go-message) and validates every
// address, so that received text can never become a header line of its own.
//
// Every message carries the anti-loop markers the architecture requires:
// Auto-Submitted: auto-generated, X-Auto-Response-Suppress: All and the
// X-Liaisond-Loop header the classifier looks for; with a Marker, also the
// marks that survive relays which strip headers (see Marker).
//
// Every address is read with the one strict parser (mailproc/mailaddr)
// and must be writable without SMTPUTF8. Whatever Build refuses is a
// *ComposeError: permanent, since the same input fails the same way.
package outmail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/mailproc/mailaddr"
)

// LoopHeader is the header every mail liaisond sends carries, so that the
// classifier can recognise the daemon's own mail when it comes back.
const LoopHeader = "X-Liaisond-Loop"

// KindHeader names the kind of mail ("notice", "escalation", ...).
const KindHeader = "X-Liaisond-Kind"

// Length caps, in runes, for header values built from received text.
const (
	MaxSubject = 200
	MaxName    = 100
	maxToken   = 200
	maxMsgID   = 250
	maxRefs    = 20
)

// Mail is one outgoing message before encoding.
type Mail struct {
	From    liaison.Contact
	To, Cc  []liaison.Contact
	ReplyTo *liaison.Contact
	Subject string
	// MessageID is the message's own id, without angle brackets.
	MessageID string
	// InReplyTo and References thread the mail; they usually come from
	// received mail, so ids that are not valid msg-ids are dropped.
	InReplyTo  string
	References []string
	// Date is required: the caller's clock decides it.
	Date time.Time
	// ListID is a dot-atom such as "liaisond.ietf.example"; it becomes
	// "List-Id: <liaisond.ietf.example>".
	ListID string
	// Kind is written to X-Liaisond-Kind ("notice", "escalation", ...).
	Kind string
	// LoopToken is written to X-Liaisond-Loop.
	LoopToken string
	// Text is the plain-text body; HTML is an optional alternative.
	Text string
	HTML string
	// Marker, when set, marks the mail as liaisond's own: MessageID must
	// be one it made (Marker.MessageID), and both bodies end with its
	// body mark line.
	Marker *Marker
	// Attachments are files attached after the text (see Attachment).
	Attachments []Attachment
}

// ComposeError is a mail Build refuses: an address it cannot write safely,
// a missing date, body or recipient, an invalid Message-ID or List-Id. It
// is permanent: retrying the same mail fails the same way, so the caller
// records the mail as failed (with Error as the reason) instead of
// retrying it.
type ComposeError struct {
	// Field is the header or part at fault: "To", "From", "Message-ID",
	// "Date", "body", ...
	Field string
	// Err says what is wrong; for an address it is a
	// *mailaddr.SyntaxError or *mailaddr.WriteError.
	Err error
}

// Error implements error.
func (e *ComposeError) Error() string { return "outmail: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the reason.
func (e *ComposeError) Unwrap() error { return e.Err }

// Permanent reports true: the same mail can never be built.
func (e *ComposeError) Permanent() bool { return true }

// IsComposeError reports whether err (anywhere in its chain) is a mail
// that cannot be built.
func IsComposeError(err error) bool {
	var ce *ComposeError
	return errors.As(err, &ce)
}

func composeErr(field string, err error) error { return &ComposeError{Field: field, Err: err} }

// MessageID returns a stable Message-ID (without angle brackets) for a
// deterministic outbox key: the first 32 hex digits of SHA-256(key), "@",
// and domain. The same key always yields the same id, so a re-sent mail is
// recognisable as the same mail.
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])[:32] + "@" + domain
}

// Build encodes m as RFC 5322 bytes with CRLF line endings. Every error
// is a *ComposeError.
func Build(m Mail) ([]byte, error) {
	if m.Date.IsZero() {
		return nil, composeErr("Date", errors.New("date is required"))
	}
	if m.LoopToken == "" {
		return nil, composeErr(LoopHeader, errors.New("loop token is required"))
	}
	if m.Text == "" {
		return nil, composeErr("body", errors.New("text body is required"))
	}
	from, err := Address(m.From)
	if err != nil {
		return nil, composeErr("From", err)
	}
	to, err := addressList(m.To)
	if err != nil {
		return nil, composeErr("To", err)
	}
	cc, err := addressList(m.Cc)
	if err != nil {
		return nil, composeErr("Cc", err)
	}
	if len(to) == 0 && len(cc) == 0 {
		return nil, composeErr("To", errors.New("no recipient in To or Cc"))
	}
	if !validMsgID(m.MessageID) {
		return nil, composeErr("Message-ID", fmt.Errorf("invalid Message-ID %q", m.MessageID))
	}
	if !validDotAtom(m.ListID) {
		return nil, composeErr("List-Id", fmt.Errorf("invalid List-Id %q: want a dot-atom such as liaisond.example.org", m.ListID))
	}
	loop, err := token(m.LoopToken)
	if err != nil {
		return nil, composeErr(LoopHeader, err)
	}
	if m.Marker != nil {
		ref, ok := m.Marker.Ref(m.MessageID)
		if !ok {
			return nil, composeErr("Message-ID", fmt.Errorf("%q was not made by the marker (use Marker.MessageID)", m.MessageID))
		}
		var line string
		m.Text, line = m.Marker.markText(ref, m.Text)
		if m.HTML != "" {
			m.HTML = markHTML(m.HTML, line)
		}
	}

	var h gomail.Header
	h.SetDate(m.Date)
	h.SetAddressList("From", []*gomail.Address{from})
	h.SetAddressList("To", to)
	h.SetAddressList("Cc", cc)
	if m.ReplyTo != nil {
		rt, err := Address(*m.ReplyTo)
		if err != nil {
			return nil, composeErr("Reply-To", err)
		}
		h.SetAddressList("Reply-To", []*gomail.Address{rt})
	}
	h.SetSubject(Clean(m.Subject, MaxSubject))
	h.SetMessageID(m.MessageID)
	if m.InReplyTo != "" && validMsgID(m.InReplyTo) {
		h.SetMsgIDList("In-Reply-To", []string{m.InReplyTo})
	}
	if refs := validIDs(m.References); len(refs) > 0 {
		h.SetMsgIDList("References", refs)
	}
	h.Set("MIME-Version", "1.0")
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("X-Auto-Response-Suppress", "All")
	h.Set("List-Id", "<"+m.ListID+">")
	h.Set(LoopHeader, loop)
	if m.Kind != "" {
		kind, err := token(m.Kind)
		if err != nil {
			return nil, composeErr(KindHeader, err)
		}
		h.Set(KindHeader, kind)
	}

	var buf bytes.Buffer
	if err := writeBody(&buf, h.Header, m); err != nil {
		return nil, composeErr("body", err)
	}
	return buf.Bytes(), nil
}

// Clean makes untrusted text safe for a header value: control characters
// (CR, LF, NUL, TAB, DEL, C1, line and paragraph separators) become spaces,
// runs of white space collapse to one, invalid UTF-8 is replaced, and the
// result is capped at max runes (an ellipsis marks a cut).
func Clean(s string, max int) string {
	out := mailaddr.OneLine(s)
	if max > 0 && utf8.RuneCountInString(out) > max {
		rs := []rune(out)
		out = strings.TrimSpace(string(rs[:max-1])) + "…"
	}
	return out
}

// Address validates c and returns it as an address whose display name is
// cleaned. The email is read with the one strict parser as a bare
// addr-spec and must be writable without SMTPUTF8 (see
// mailaddr.Mailbox.Writable): anything else is refused, never emitted.
func Address(c liaison.Contact) (*gomail.Address, error) {
	w, err := writable(c.Email)
	if err != nil {
		return nil, err
	}
	return &gomail.Address{Name: Clean(c.Name, MaxName), Address: w.Local + "@" + w.Domain}, nil
}

func writable(email string) (mailaddr.Mailbox, error) {
	if email == "" {
		return mailaddr.Mailbox{}, errors.New("empty email address")
	}
	m, err := mailaddr.ParseAddrSpec(email)
	if err != nil {
		return mailaddr.Mailbox{}, err
	}
	return m.Writable()
}

// Envelope returns the SMTP envelope form of an address (IDN domains as
// A-labels), or the *ComposeError Build would give for it.
func Envelope(email string) (string, error) {
	w, err := writable(email)
	if err != nil {
		return "", composeErr("envelope", err)
	}
	return w.Addr(), nil
}

// markHTML puts the body mark line at the end of an HTML body.
func markHTML(html, line string) string {
	p := "<p style=\"color:#888;font-size:smaller\">" + line + "</p>\n"
	if i := lastIndexFold(html, "</body>"); i >= 0 {
		return html[:i] + p + html[i:]
	}
	return html + "\n" + p
}

// lastIndexFold is the index of the last instance of the lower-case
// ASCII string sub in s, ignoring ASCII case, or -1.
func lastIndexFold(s, sub string) int {
next:
	for i := len(s) - len(sub); i >= 0; i-- {
		for j := 0; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				continue next
			}
		}
		return i
	}
	return -1
}

func addressList(cs []liaison.Contact) ([]*gomail.Address, error) {
	out := make([]*gomail.Address, 0, len(cs))
	seen := map[string]bool{}
	for _, c := range cs {
		a, err := Address(c)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(a.Address)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, a)
	}
	return out, nil
}

// token accepts a header value made of visible ASCII only (no spaces).
func token(s string) (string, error) {
	if s == "" || len(s) > maxToken {
		return "", fmt.Errorf("%q: want 1 to %d visible ASCII characters", s, maxToken)
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f {
			return "", fmt.Errorf("%q: want visible ASCII characters only", s)
		}
	}
	return s, nil
}

func isAtext(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

func validDotAtom(s string) bool {
	if s == "" || len(s) > maxMsgID || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if r != '.' && !isAtext(r) {
			return false
		}
	}
	return true
}

// validMsgID accepts "left@right" where both sides are dot-atoms (the
// common form; obsolete and domain-literal forms are refused).
func validMsgID(id string) bool {
	left, right, ok := strings.Cut(id, "@")
	return ok && len(id) <= maxMsgID && validDotAtom(left) && validDotAtom(right)
}

func validIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if validMsgID(id) {
			out = append(out, id)
		}
	}
	if len(out) > maxRefs {
		// Keep the first (thread root) and the most recent ones.
		out = append(out[:1:1], out[len(out)-maxRefs+1:]...)
	}
	return out
}

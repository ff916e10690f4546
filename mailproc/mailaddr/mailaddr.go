// Package mailaddr is liaisond's one parser of e-mail addresses. Every
// address the daemon reads from a header (From, Sender, To, Cc, Reply-To,
// Return-Path) and every address it writes into an outgoing header or SMTP
// envelope goes through it.
//
// The guarantee: an address is the addr-spec of a mailbox — the part in
// angle brackets when there are any — and never text from a display name or
// a comment. A display name is decoded (RFC 2047) only after the structure
// of the header was parsed, so an encoded word such as
// "=?utf-8?q?Li:li.wei=40example.org?=" stays display text however
// address-like it decodes, and a decoded CR LF can never start a header
// line of its own (names come back with control characters as spaces).
//
// The grammar is RFC 5322 section 3.4 with RFC 6532 UTF-8, plus the
// obsolete forms that are harmless: comments and folding white space
// anywhere, dots in display names, white space around the dots of an
// addr-spec, a source route before an angle address (dropped), empty
// elements in lists. Real-world display names are tolerated where the
// angle address makes the mailbox unambiguous: "@", "[" and "]" unquoted,
// and ":" in a header that holds no groups (From, Sender). What is not
// tolerated is guessing: a value that does not parse is an error, and no
// address is "picked out" of it.
//
// Writing is stricter than reading: Writable accepts only what can be put
// into a header and an SMTP envelope without SMTPUTF8 (an ASCII local part,
// a host name, IDN domains converted to A-labels).
package mailaddr

import (
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/net/idna"
)

// Mailbox is one parsed address.
type Mailbox struct {
	// Name is the display name (or, for "addr (Name)", the comment),
	// RFC 2047-decoded, with control characters and runs of white space
	// turned into single spaces. It is for people to read, never an
	// address.
	Name string
	// Local is the local part without its quoting: `tsb sg15` for
	// `"tsb sg15"@itu.int`.
	Local string
	// Domain is the domain as written, without white space or comments; a
	// domain literal keeps its brackets.
	Domain string
}

// Addr returns the canonical addr-spec: the local part as a dot-atom when
// it is one and as a quoted string otherwise, "@", the domain.
func (m Mailbox) Addr() string {
	if m.Local == "" && m.Domain == "" {
		return ""
	}
	return quoteLocal(m.Local) + "@" + m.Domain
}

// String renders the mailbox for people: `Name <addr>` or `addr`.
func (m Mailbox) String() string {
	if m.Name == "" {
		return m.Addr()
	}
	return m.Name + " <" + m.Addr() + ">"
}

// SyntaxError says why a header value is not an address.
type SyntaxError struct {
	// Value is the (unfolded) value, cut to 200 bytes.
	Value string
	// Pos is the byte offset in Value where reading stopped.
	Pos int
	// Reason says what was wrong.
	Reason string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("address %q: %s (at byte %d)", e.Value, e.Reason, e.Pos)
}

// ListError reports the elements of an address list that did not parse;
// the others were returned.
type ListError struct {
	// Errs has one entry per unreadable element.
	Errs []*SyntaxError
}

// Error implements error.
func (e *ListError) Error() string {
	if len(e.Errs) == 1 {
		return e.Errs[0].Error()
	}
	return fmt.Sprintf("%d unreadable addresses, first: %v", len(e.Errs), e.Errs[0])
}

// Unwrap returns the element errors.
func (e *ListError) Unwrap() []error {
	out := make([]error, len(e.Errs))
	for i, s := range e.Errs {
		out[i] = s
	}
	return out
}

// ParseList reads an address list (To, Cc, Reply-To, Bcc): every mailbox,
// the members of groups included ("undisclosed-recipients:;" gives none).
// Elements that do not parse are skipped and reported in a *ListError;
// the mailboxes that do parse are returned either way, since each element
// is read on its own and a bad one cannot lend text to a good one.
func ParseList(v string) ([]Mailbox, error) { return parseList(v, true) }

// ParseMailboxList reads a mailbox list (From): like ParseList, but groups
// are not allowed, which lets ":" appear unquoted in display names.
func ParseMailboxList(v string) ([]Mailbox, error) { return parseList(v, false) }

func parseList(v string, groups bool) ([]Mailbox, error) {
	p, err := newParser(v, groups)
	if err != nil {
		return nil, &ListError{Errs: []*SyntaxError{err}}
	}
	var out []Mailbox
	var errs []*SyntaxError
	p.list(false, &out, &errs)
	if len(errs) > 0 {
		return out, &ListError{Errs: errs}
	}
	return out, nil
}

// ParseMailbox reads a header that must hold exactly one mailbox (Sender,
// or a From with one author). Anything else is an error.
func ParseMailbox(v string) (Mailbox, error) {
	list, err := ParseMailboxList(v)
	if err != nil {
		return Mailbox{}, err
	}
	switch len(list) {
	case 0:
		return Mailbox{}, &SyntaxError{Value: cut(v), Reason: "no address"}
	case 1:
		return list[0], nil
	}
	return Mailbox{}, &SyntaxError{Value: cut(v), Reason: fmt.Sprintf("%d addresses where one is expected", len(list))}
}

// ParsePath reads a Return-Path value: "<>" (null is true: a delivery
// report or other notification) or an angle address (a source route is
// dropped). A bare addr-spec without brackets is accepted too.
func ParsePath(v string) (m Mailbox, null bool, err error) {
	p, serr := newParser(v, true)
	if serr != nil {
		return Mailbox{}, false, serr
	}
	if _, serr = p.cfws(); serr != nil {
		return Mailbox{}, false, serr
	}
	if p.peek() == '<' {
		save := p.pos
		p.pos++
		if _, serr = p.cfws(); serr != nil {
			return Mailbox{}, false, serr
		}
		if p.peek() == '>' {
			p.pos++
			if _, serr = p.cfws(); serr == nil {
				serr = p.end()
			}
			if serr != nil {
				return Mailbox{}, false, serr
			}
			return Mailbox{}, true, nil
		}
		p.pos = save
		m, serr = p.angleAddr()
	} else {
		m, serr = p.addrSpec()
	}
	if serr == nil {
		if _, serr = p.cfws(); serr == nil {
			serr = p.end()
		}
	}
	if serr != nil {
		return Mailbox{}, false, serr
	}
	return m, false, nil
}

// ParseAddrSpec reads a bare addr-spec ("user@example.org") with nothing
// around it: no display name, no brackets, no comments, no white space.
// Configuration values and stored addresses are read with it.
func ParseAddrSpec(s string) (Mailbox, error) {
	p, err := newParser(s, true)
	if err != nil {
		return Mailbox{}, err
	}
	p.bare = true
	m, err := p.addrSpec()
	if err != nil {
		return Mailbox{}, err
	}
	if err := p.end(); err != nil {
		return Mailbox{}, err
	}
	return m, nil
}

// Errors of Writable. They wrap into a *WriteError.
var (
	ErrNonASCII      = errors.New("non-ASCII local part (needs SMTPUTF8, which liaisond does not use)")
	ErrQuotedSpecial = errors.New(`quoted local part with a quote, backslash or control character`)
	ErrDomain        = errors.New("domain is not a host name")
	ErrTooLong       = errors.New("address too long")
)

// WriteError says why an address cannot be written into outgoing mail.
type WriteError struct {
	Addr string
	Err  error
}

// Error implements error.
func (e *WriteError) Error() string { return fmt.Sprintf("cannot write address %q: %v", e.Addr, e.Err) }

// Unwrap returns the reason.
func (e *WriteError) Unwrap() error { return e.Err }

// Writable returns m in the form it is written into an outgoing header and
// SMTP envelope, or a *WriteError when it cannot be written safely without
// SMTPUTF8: the local part must be ASCII (a quoted one may hold spaces but
// no quote, backslash or control character), the domain a host name (an
// internationalised one is converted to A-labels; domain literals are
// refused), within the RFC 5321 length limits. The name is kept.
func (m Mailbox) Writable() (Mailbox, error) {
	fail := func(err error) (Mailbox, error) { return Mailbox{}, &WriteError{Addr: m.Addr(), Err: err} }
	if m.Local == "" || len(m.Local) > 64 {
		return fail(ErrTooLong)
	}
	for i := 0; i < len(m.Local); i++ {
		c := m.Local[i]
		switch {
		case c >= utf8.RuneSelf:
			return fail(ErrNonASCII)
		case c < ' ' || c == 0x7f || c == '"' || c == '\\':
			return fail(ErrQuotedSpecial)
		}
	}
	host, err := hostName(m.Domain)
	if err != nil {
		return fail(err)
	}
	out := Mailbox{Name: m.Name, Local: m.Local, Domain: host}
	if len(out.Addr()) > 254 {
		return fail(ErrTooLong)
	}
	return out, nil
}

// hostName returns domain as an ASCII host name (A-labels for an
// internationalised one), or ErrDomain.
func hostName(domain string) (string, error) {
	if domain == "" || strings.HasPrefix(domain, "[") {
		return "", ErrDomain
	}
	ascii := domain
	for i := 0; i < len(domain); i++ {
		if domain[i] >= utf8.RuneSelf {
			a, err := idna.Lookup.ToASCII(domain)
			if err != nil {
				return "", fmt.Errorf("%w: %v", ErrDomain, err)
			}
			ascii = a
			break
		}
	}
	if len(ascii) > 253 {
		return "", ErrTooLong
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", ErrDomain
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return "", ErrDomain
			}
		}
	}
	return ascii, nil
}

// quoteLocal writes a local part as a dot-atom when it is one, as a quoted
// string otherwise.
func quoteLocal(local string) string {
	if isDotAtom(local) {
		return local
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(local); i++ {
		if c := local[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(local[i])
	}
	b.WriteByte('"')
	return b.String()
}

func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); {
		if s[i] == '.' {
			i++
			continue
		}
		n := atextLen(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// atextLen returns the length of the atext character at the start of s
// (an ASCII atext character, or a valid UTF-8 sequence beyond ASCII as RFC
// 6532 allows), or 0.
func atextLen(s string) int {
	if s == "" {
		return 0
	}
	c := s[0]
	if c < utf8.RuneSelf {
		if isASCIIAtext(c) {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
		return 0
	}
	return n
}

func isASCIIAtext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeName decodes the encoded words of a display name and makes it one
// line of printable text.
func decodeName(raw string) string {
	s := raw
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		}
	}
	return OneLine(s)
}

// OneLine makes text one line of printable text, as names and header
// values must be: invalid UTF-8 is replaced, control characters (CR, LF,
// NUL, tab, C1), line and paragraph separators and BOMs become spaces, and
// runs of spaces collapse to one, with none at either end.
func OneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func cut(s string) string {
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

package mailaddr

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// parser reads one unfolded header value. Every method returns a
// *SyntaxError positioned where reading stopped.
type parser struct {
	s   string
	pos int
	// groups is set for address lists (To, Cc): ":" starts a group. In
	// mailbox lists (From, Sender) ":" is display-name text.
	groups bool
	// bare refuses white space and comments (ParseAddrSpec).
	bare bool
}

// newParser unfolds v and refuses line breaks and control characters
// that are not folding white space: they have no place in an address
// header and are how header injection starts.
func newParser(v string, groups bool) (*parser, *SyntaxError) {
	s := unfold(v)
	p := &parser{s: s, groups: groups}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			p.pos = i
			return nil, p.fail("line break inside the value")
		}
		if (c < ' ' && c != '\t') || c == 0x7f {
			p.pos = i
			return nil, p.fail("control character")
		}
	}
	return p, nil
}

// unfold removes the line breaks of folding white space (CRLF or LF
// followed by a space or tab).
func unfold(v string) string {
	if !strings.ContainsAny(v, "\r\n") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\r' && i+2 < len(v) && v[i+1] == '\n' && (v[i+2] == ' ' || v[i+2] == '\t'):
			i++
		case v[i] == '\n' && i+1 < len(v) && (v[i+1] == ' ' || v[i+1] == '\t'):
		default:
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

func (p *parser) fail(reason string) *SyntaxError {
	return &SyntaxError{Value: cut(p.s), Pos: p.pos, Reason: reason}
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.pos]
}

func (p *parser) end() *SyntaxError {
	if !p.eof() {
		return p.fail("unexpected text after the address")
	}
	return nil
}

// cfws skips white space and comments and returns the text of the last
// comment (the name in "user@example.org (Name)").
func (p *parser) cfws() (comment string, err *SyntaxError) {
	for !p.eof() {
		switch p.s[p.pos] {
		case ' ', '\t':
			if p.bare {
				return "", p.fail("white space in a bare address")
			}
			p.pos++
		case '(':
			if p.bare {
				return "", p.fail("comment in a bare address")
			}
			c, err := p.comment()
			if err != nil {
				return "", err
			}
			comment = c
		default:
			return comment, nil
		}
	}
	return comment, nil
}

// comment reads a (possibly nested) comment and returns its text.
func (p *parser) comment() (string, *SyntaxError) {
	start := p.pos
	var b strings.Builder
	depth := 0
	for !p.eof() {
		c := p.s[p.pos]
		switch c {
		case '(':
			depth++
			if depth > 1 {
				b.WriteByte(c)
			}
		case ')':
			depth--
			if depth == 0 {
				p.pos++
				return b.String(), nil
			}
			b.WriteByte(c)
		case '\\':
			p.pos++
			if p.eof() {
				break
			}
			b.WriteByte(p.s[p.pos])
		default:
			b.WriteByte(c)
		}
		p.pos++
	}
	p.pos = start
	return "", p.fail("unterminated comment")
}

// quotedString reads a quoted string and returns its content.
func (p *parser) quotedString() (string, *SyntaxError) {
	start := p.pos
	p.pos++ // opening quote
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.pos]
		switch c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			p.pos++
			if p.eof() {
				continue
			}
			b.WriteByte(p.s[p.pos])
		default:
			b.WriteByte(c)
		}
		p.pos++
	}
	p.pos = start
	return "", p.fail("unterminated quoted string")
}

// atom reads 1*atext (empty when there is none).
func (p *parser) atom() string {
	start := p.pos
	for !p.eof() {
		n := atextLen(p.s[p.pos:])
		if n == 0 {
			break
		}
		p.pos += n
	}
	return p.s[start:p.pos]
}

// encodedWordRE is an RFC 2047 encoded word. Its text may hold characters
// that are specials elsewhere (":", "@", "."), so in a display name it is
// read as one token before atoms are.
var encodedWordRE = regexp.MustCompile(`^=\?[^?\s()<>@,;:"/\[\]]+\?[bBqQ]\?[^?\s]*\?=`)

// word reads an atom or a quoted string.
func (p *parser) word() (w string, err *SyntaxError) {
	if p.peek() == '"' {
		q, err := p.quotedString()
		if err != nil {
			return "", err
		}
		if !utf8.ValidString(q) {
			return "", p.fail("invalid UTF-8 in a quoted local part")
		}
		return q, nil
	}
	if a := p.atom(); a != "" {
		return a, nil
	}
	if p.eof() {
		return "", p.fail("address ends too early")
	}
	return "", p.fail("unexpected character " + quoteByte(p.peek()))
}

// addrSpec reads local-part "@" domain. White space and comments are
// allowed around the dots and the "@" (obsolete syntax); the result has
// none.
func (p *parser) addrSpec() (Mailbox, *SyntaxError) {
	if _, err := p.cfws(); err != nil {
		return Mailbox{}, err
	}
	if p.peek() == '@' {
		return Mailbox{}, p.fail("missing local part before @")
	}
	var parts []string
	for {
		w, err := p.word()
		if err != nil {
			return Mailbox{}, err
		}
		parts = append(parts, w)
		if _, err := p.cfws(); err != nil {
			return Mailbox{}, err
		}
		if p.peek() != '.' {
			break
		}
		p.pos++
		if _, err := p.cfws(); err != nil {
			return Mailbox{}, err
		}
	}
	local := strings.Join(parts, ".")
	if local == "" {
		return Mailbox{}, p.fail("empty local part")
	}
	if p.peek() != '@' {
		if p.eof() {
			return Mailbox{}, p.fail("missing @domain")
		}
		return Mailbox{}, p.fail("missing @ (found " + quoteByte(p.peek()) + ")")
	}
	p.pos++
	domain, err := p.domain()
	if err != nil {
		return Mailbox{}, err
	}
	return Mailbox{Local: local, Domain: domain}, nil
}

// domain reads a dot-atom (white space allowed around dots: obsolete) or
// a domain literal. White space after the domain is left for the caller.
func (p *parser) domain() (string, *SyntaxError) {
	if _, err := p.cfws(); err != nil {
		return "", err
	}
	if p.peek() == '[' {
		return p.domainLiteral()
	}
	var labels []string
	for {
		a := p.atom()
		if a == "" {
			if p.eof() {
				return "", p.fail("missing domain")
			}
			return "", p.fail("unexpected character " + quoteByte(p.peek()) + " in domain")
		}
		labels = append(labels, a)
		save := p.pos
		if _, err := p.cfws(); err != nil {
			return "", err
		}
		if p.peek() != '.' {
			p.pos = save
			return strings.Join(labels, "."), nil
		}
		p.pos++
		if _, err := p.cfws(); err != nil {
			return "", err
		}
	}
}

func (p *parser) domainLiteral() (string, *SyntaxError) {
	start := p.pos
	var b strings.Builder
	b.WriteByte('[')
	p.pos++
	for !p.eof() {
		c := p.s[p.pos]
		switch {
		case c == ']':
			p.pos++
			b.WriteByte(']')
			return b.String(), nil
		case c == ' ' || c == '\t':
		case c == '[' || c == '\\' || c >= utf8.RuneSelf:
			return "", p.fail("unexpected character " + quoteByte(c) + " in domain literal")
		default:
			b.WriteByte(c)
		}
		p.pos++
	}
	p.pos = start
	return "", p.fail("unterminated domain literal")
}

// angleAddr reads "<" [obs-route] addr-spec ">".
func (p *parser) angleAddr() (Mailbox, *SyntaxError) {
	p.pos++ // '<'
	if _, err := p.cfws(); err != nil {
		return Mailbox{}, err
	}
	if p.peek() == '>' {
		return Mailbox{}, p.fail("empty address <>")
	}
	if err := p.route(); err != nil {
		return Mailbox{}, err
	}
	m, err := p.addrSpec()
	if err != nil {
		return Mailbox{}, err
	}
	if _, err := p.cfws(); err != nil {
		return Mailbox{}, err
	}
	if p.peek() != '>' {
		return Mailbox{}, p.fail("missing > after the address")
	}
	p.pos++
	return m, nil
}

// route skips an obsolete source route ("@a.example,@b.example:").
func (p *parser) route() *SyntaxError {
	if p.peek() != '@' && p.peek() != ',' {
		return nil
	}
	for {
		if _, err := p.cfws(); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '@':
			p.pos++
			if _, err := p.domain(); err != nil {
				return err
			}
		case ':':
			p.pos++
			return nil
		default:
			return p.fail("bad source route")
		}
	}
}

// phrase reads a display name and returns its raw text (words joined by
// single spaces, quoted strings unquoted, comments dropped); decodeName
// makes it readable. It stops at the first character that cannot be part
// of one: "<", ",", ";", ">" and, in address lists, ":".
func (p *parser) phrase() (string, *SyntaxError) {
	var b strings.Builder
	space := false
	for {
		before := p.pos
		if _, err := p.cfws(); err != nil {
			return "", err
		}
		if p.pos > before && b.Len() > 0 {
			space = true
		}
		if p.eof() {
			return b.String(), nil
		}
		c := p.peek()
		var tok string
		switch {
		case c == '"':
			q, err := p.quotedString()
			if err != nil {
				return "", err
			}
			tok = q
		case c == '=' && encodedWordRE.MatchString(p.s[p.pos:]):
			tok = encodedWordRE.FindString(p.s[p.pos:])
			p.pos += len(tok)
		case atextLen(p.s[p.pos:]) > 0:
			tok = p.atom()
		case c == '.' || c == '@' || c == '[' || c == ']' || (c == ':' && !p.groups):
			// Obsolete (".") or tolerated: the angle address that
			// must follow decides the mailbox.
			p.pos++
			tok = string(c)
		case c >= utf8.RuneSelf:
			// Invalid UTF-8 or a non-text character in a name.
			_, n := utf8.DecodeRuneInString(p.s[p.pos:])
			p.pos += n
			tok = "\uFFFD"
		default:
			return b.String(), nil
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(tok)
	}
}

// atElementEnd reports whether the list element ends here.
func (p *parser) atElementEnd() bool {
	if p.eof() {
		return true
	}
	switch p.peek() {
	case ',':
		return true
	case ';':
		// Ends a group; between top-level elements it is the separator
		// people type (tolerated).
		return true
	}
	return false
}

// element reads one list element: a mailbox, or (in address lists, not
// inside a group) a group, whose members it returns.
func (p *parser) element(inGroup bool, errs *[]*SyntaxError) ([]Mailbox, *SyntaxError) {
	start := p.pos
	// An addr-spec on its own, maybe with the name in a comment.
	m, addrErr := p.addrSpec()
	if addrErr == nil {
		if comment, err := p.cfws(); err == nil && p.atElementEnd() {
			m.Name = decodeName(comment)
			return []Mailbox{m}, nil
		}
	}
	p.pos = start
	raw, err := p.phrase()
	if err != nil {
		return nil, err
	}
	switch p.peek() {
	case '<':
		m, err := p.angleAddr()
		if err != nil {
			return nil, err
		}
		m.Name = decodeName(raw)
		return []Mailbox{m}, nil
	case ':':
		if !p.groups || inGroup {
			return nil, p.fail("group inside a group")
		}
		p.pos++
		var members []Mailbox
		p.list(true, &members, errs)
		return members, nil
	}
	if p.eof() {
		switch {
		case raw == "":
			return nil, p.fail("no address")
		case addrErr != nil && !strings.ContainsAny(raw, " =\""):
			// One word: meant as an addr-spec, and that is what failed.
			return nil, addrErr
		}
		return nil, p.fail("display name without an <address>")
	}
	return nil, p.fail("unexpected character " + quoteByte(p.peek()))
}

// list reads elements separated by commas up to the end, or up to the ";"
// that closes a group. A bad element is recorded in errs and skipped.
func (p *parser) list(inGroup bool, out *[]Mailbox, errs *[]*SyntaxError) {
	for {
		if _, err := p.cfws(); err != nil {
			*errs = append(*errs, err)
			p.pos = len(p.s)
			return
		}
		if p.eof() {
			return // a group without its ";" at the end: tolerated
		}
		switch p.peek() {
		case ';':
			p.pos++
			if inGroup {
				return
			}
			continue
		case ',':
			p.pos++ // an empty element (obsolete syntax)
			continue
		}
		start := p.pos
		ms, err := p.element(inGroup, errs)
		if err == nil {
			if _, err = p.cfws(); err == nil && !p.atElementEnd() {
				err = p.fail("unexpected text after the address")
			}
		}
		if err != nil {
			*errs = append(*errs, err)
			p.pos = start
			p.resync(inGroup)
			continue
		}
		*out = append(*out, ms...)
	}
}

// resync moves past a bad element: to the next comma (or, inside a group,
// semicolon) outside quotes, comments, angle brackets and groups.
func (p *parser) resync(inGroup bool) {
	quote, angle, group := false, false, false
	depth := 0
	for ; !p.eof(); p.pos++ {
		c := p.s[p.pos]
		switch {
		case c == '\\' && (quote || depth > 0):
			p.pos++
		case quote:
			quote = c != '"'
		case depth > 0:
			if c == '(' {
				depth++
			} else if c == ')' {
				depth--
			}
		case c == '"':
			quote = true
		case c == '(':
			depth = 1
		case angle:
			angle = c != '>'
		case c == '<':
			angle = true
		case c == ':' && p.groups && !inGroup:
			group = true
		case c == ';' && group:
			group = false
		case c == ';' && inGroup:
			return
		case c == ',' && !group:
			return
		}
	}
}

func quoteByte(c byte) string {
	if c >= ' ' && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02X", c)
}

// Package authres reads Authentication-Results header fields (RFC 8601)
// and decides whether the MTA in front of the mailbox vouches for the
// author of a message: the trust decision behind mail commands.
//
// # What is trusted
//
// Only the MTA named by its authserv-id (config commands.authserv_id) is
// believed, and only through the topmost Authentication-Results field that
// carries that id: an MTA prepends its fields above everything the message
// arrived with, so a field with that id further down came with the message
// (an attacker can write one) and is ignored, as are fields with other ids.
// The topmost one is used even when it does not parse: a later one is never
// taken in its place.
//
// That field vouches for the author's domain (the From address's) when it
// reports
//
//  1. dmarc=pass, with a header.from, when it has one, equal to the From
//     domain; or
//  2. dkim=pass with a signing domain (header.d, else the domain of
//     header.i) aligned with the From domain: the same organizational
//     domain (DMARC's relaxed alignment; mail.itu.int is aligned with
//     itu.int), found with the public suffix list;
//
// and no dmarc result other than pass, none, temperror or permerror: a
// dmarc=fail is the domain owner's own verdict (with its own, maybe strict,
// alignment) and wins over a DKIM pass. SPF alone never vouches for the
// author: it is about the envelope sender.
//
// # The parser
//
// Parse follows the ABNF of RFC 8601 section 2.2: the authserv-id (a token
// or quoted string), an optional version (only 1 is understood), then "none"
// or results, each "; method[/version]=result [reason=value]
// [ptype.property=value ...]" with comments and folding anywhere CFWS is
// allowed. Keywords must be RFC 5321 Ldh-str. Two relaxations, both of
// which real MTAs need and neither of which touches what is trusted: a
// property value not quoted may hold any visible character but ; ( ) " \
// (Gmail and OpenDKIM write header.b base64 with / and =; many write IPv6
// addresses with :), and a ";" may end the field. A property given twice in
// one result is an error. Microsoft 365 writes no authserv-id at all; such a
// field does not parse and is never trusted.
package authres

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-message/textproto"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Field is the header field's name.
const Field = "Authentication-Results"

// Result is one method's result in a field ("dkim=pass header.d=...").
type Result struct {
	// Method is the method, lower-cased ("dkim", "spf", "dmarc", "arc").
	Method string
	// Value is the result, lower-cased ("pass", "fail", "none", ...).
	Value string
	// Reason is the reason given, if any.
	Reason string
	// Props are the properties, keyed "ptype.property" lower-cased
	// ("header.d", "smtp.mailfrom"); values as written, unquoted.
	Props map[string]string
}

// Header is one parsed Authentication-Results field.
type Header struct {
	// AuthservID names the host that wrote it, as written.
	AuthservID string
	// Results are its results; none for "none".
	Results []Result
}

// Values returns the values of the Authentication-Results fields in the
// header of the raw message, topmost first.
func Values(raw []byte) ([]string, error) {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil, fmt.Errorf("authres: the message header does not parse: %w", err)
	}
	return h.Values(Field), nil
}

// Verdict is the answer of Verify.
type Verdict struct {
	// Pass is true when the MTA vouches for the author's domain.
	Pass bool
	// Why says which result decided, or why none did, for people.
	Why string
}

// Verify decides whether the MTA whose authserv-id is authservID vouches
// for fromDomain (the domain of the message's From address), from the
// values of the message's Authentication-Results fields, topmost first
// (see the package doc for the rules).
func Verify(values []string, authservID, fromDomain string) Verdict {
	from := normDomain(fromDomain)
	if from == "" {
		return Verdict{Why: "the From address has no domain"}
	}
	for _, v := range values {
		id, err := authservIDOf(v)
		if err != nil || !strings.EqualFold(id, authservID) {
			continue // another host's field, or none that names one
		}
		h, err := Parse(v)
		if err != nil {
			return Verdict{Why: fmt.Sprintf("the Authentication-Results of %s does not parse: %v", authservID, err)}
		}
		return judge(h, from)
	}
	return Verdict{Why: "no Authentication-Results header from " + authservID}
}

// judge applies the rules to the MTA's own field.
func judge(h Header, from string) Verdict {
	var seen []string
	var dkimPass *Result
	for i, r := range h.Results {
		seen = append(seen, r.Method+"="+r.Value)
		switch {
		case r.Method == "dmarc" && r.Value == "pass":
			if hf, ok := r.Props["header.from"]; ok && normDomain(hf) != from {
				return Verdict{Why: fmt.Sprintf("dmarc=pass is for header.from=%s, not %s", hf, from)}
			}
			return Verdict{Pass: true, Why: "dmarc=pass for " + from}
		case r.Method == "dmarc" && r.Value != "none" && r.Value != "temperror" && r.Value != "permerror":
			return Verdict{Why: "dmarc=" + r.Value + " for " + from}
		case r.Method == "dkim" && r.Value == "pass" && dkimPass == nil && aligned(signingDomain(r), from):
			dkimPass = &h.Results[i]
		}
	}
	if dkimPass != nil {
		return Verdict{Pass: true, Why: fmt.Sprintf("dkim=pass header.d=%s aligned with %s", signingDomain(*dkimPass), from)}
	}
	if len(seen) == 0 {
		return Verdict{Why: h.AuthservID + " reports no results"}
	}
	return Verdict{Why: fmt.Sprintf("%s reports %s: no dmarc=pass and no dkim=pass aligned with %s", h.AuthservID, strings.Join(seen, ", "), from)}
}

// signingDomain is a DKIM result's signing domain: header.d, else the
// domain of header.i.
func signingDomain(r Result) string {
	if d := r.Props["header.d"]; d != "" {
		return normDomain(d)
	}
	if i := r.Props["header.i"]; i != "" {
		return normDomain(i[strings.LastIndexByte(i, '@')+1:])
	}
	return ""
}

// aligned reports whether signing domain d is aligned with the From
// domain: equal, or with the same organizational domain (relaxed
// alignment). A domain the public suffix list cannot place is aligned
// only with itself.
func aligned(d, from string) bool {
	if d == "" {
		return false
	}
	if d == from {
		return true
	}
	od, err1 := publicsuffix.EffectiveTLDPlusOne(d)
	of, err2 := publicsuffix.EffectiveTLDPlusOne(from)
	return err1 == nil && err2 == nil && od == of
}

// normDomain lower-cases a domain, drops a trailing dot and turns an
// internationalized one into its A-labels ("" when it is not a domain).
func normDomain(d string) string {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if d == "" {
		return ""
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return ""
	}
	return a
}

// Errors of Parse.
var (
	// ErrNoAuthservID: the field does not start with an authserv-id.
	ErrNoAuthservID = errors.New("no authserv-id")
	// ErrSyntax: the field does not follow RFC 8601.
	ErrSyntax = errors.New("not RFC 8601 syntax")
)

// authservIDOf reads only the authserv-id at the start of a field value.
func authservIDOf(v string) (string, error) {
	p := &parser{s: v}
	return p.authservID()
}

// Parse parses the value of one Authentication-Results field.
func Parse(v string) (Header, error) {
	p := &parser{s: v}
	id, err := p.authservID()
	if err != nil {
		return Header{}, err
	}
	h := Header{AuthservID: id}
	if err := p.version(); err != nil {
		return h, err
	}
	for first := true; ; first = false {
		if err := p.cfws(); err != nil {
			return h, err
		}
		if p.end() {
			if first {
				return h, p.errorf("no results after the authserv-id")
			}
			return h, nil
		}
		if !p.eat(';') {
			return h, p.errorf("want ';'")
		}
		if err := p.cfws(); err != nil {
			return h, err
		}
		if p.end() && !first {
			return h, nil // a ';' ending the field
		}
		if first && p.noResult() {
			return h, nil
		}
		r, err := p.resinfo()
		if err != nil {
			return h, err
		}
		h.Results = append(h.Results, r)
	}
}

// parser reads a field value left to right.
type parser struct {
	s string
	i int
}

func (p *parser) end() bool { return p.i >= len(p.s) }

func (p *parser) peek() byte {
	if p.end() {
		return 0
	}
	return p.s[p.i]
}

func (p *parser) eat(c byte) bool {
	if p.peek() == c && !p.end() {
		p.i++
		return true
	}
	return false
}

func (p *parser) errorf(format string, args ...any) error {
	at := p.s[p.i:]
	if len(at) > 24 {
		at = at[:24] + "..."
	}
	return fmt.Errorf("%w: %s at %q", ErrSyntax, fmt.Sprintf(format, args...), at)
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// cfws skips white space (folding included) and comments, which nest and
// may hold quoted pairs.
func (p *parser) cfws() error {
	for !p.end() {
		switch c := p.peek(); {
		case isWSP(c):
			p.i++
		case c == '(':
			if err := p.comment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) comment() error {
	depth := 0
	for !p.end() {
		switch c := p.s[p.i]; c {
		case '\\':
			p.i += 2
			continue
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				p.i++
				return nil
			}
		}
		p.i++
	}
	return fmt.Errorf("%w: unterminated comment", ErrSyntax)
}

// tspecials are the characters RFC 2045 keeps out of a token.
const tspecials = `()<>@,;:\"/[]?=`

func isTokenChar(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(tspecials, rune(c))
}

// token reads an RFC 2045 token ("" when there is none).
func (p *parser) token() string {
	start := p.i
	for !p.end() && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// quoted reads a quoted string (at its opening quote) and returns its
// content.
func (p *parser) quoted() (string, error) {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.end() {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
			continue
		case c == '\r' || c == '\n':
			// folding inside the string
		default:
			b.WriteByte(c)
		}
		p.i++
	}
	return "", fmt.Errorf("%w: unterminated quoted string", ErrSyntax)
}

// value reads an RFC 2045 value: a token or a quoted string.
func (p *parser) value() (string, error) {
	if p.peek() == '"' {
		return p.quoted()
	}
	if t := p.token(); t != "" {
		return t, nil
	}
	return "", p.errorf("want a value")
}

// authservID reads the authserv-id, which must be followed by white space,
// a comment, ';' or the end.
func (p *parser) authservID() (string, error) {
	if err := p.cfws(); err != nil {
		return "", err
	}
	id, err := p.value()
	if err != nil || id == "" {
		return "", ErrNoAuthservID
	}
	if c := p.peek(); !p.end() && c != ';' && c != '(' && !isWSP(c) {
		return "", fmt.Errorf("%w (the field starts with %q)", ErrNoAuthservID, id+string(c))
	}
	return id, nil
}

// version reads the optional authres-version; only 1 is understood.
func (p *parser) version() error {
	save := p.i
	if err := p.cfws(); err != nil {
		return err
	}
	start := p.i
	for !p.end() && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	switch v := p.s[start:p.i]; {
	case v == "":
		p.i = save
	case strings.TrimLeft(v, "0") != "1":
		return fmt.Errorf("%w: version %s (only 1 is understood)", ErrSyntax, v)
	}
	return nil
}

// keyword reads an RFC 5321 Ldh-str: letters, digits and hyphens, not
// ending with a hyphen.
func (p *parser) keyword() (string, error) {
	start := p.i
	for !p.end() {
		c := p.s[p.i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			break
		}
		p.i++
	}
	k := p.s[start:p.i]
	if k == "" || k[len(k)-1] == '-' {
		p.i = start
		return "", p.errorf("want a keyword")
	}
	return strings.ToLower(k), nil
}

// noResult reads "none" when it is all there is.
func (p *parser) noResult() bool {
	save := p.i
	if k, err := p.keyword(); err == nil && k == "none" {
		if err := p.cfws(); err == nil && (p.end() || p.peek() == ';') {
			if p.eat(';') {
				if err := p.cfws(); err != nil || !p.end() {
					p.i = save
					return false
				}
			}
			return true
		}
	}
	p.i = save
	return false
}

// expect skips CFWS and reads the character c.
func (p *parser) expect(c byte) error {
	if err := p.cfws(); err != nil {
		return err
	}
	if !p.eat(c) {
		return p.errorf("want %q", c)
	}
	return p.cfws()
}

// resinfo reads one result: methodspec [reasonspec] [propspec...], up to
// the next ';' or the end.
func (p *parser) resinfo() (Result, error) {
	var r Result
	var err error
	if r.Method, err = p.keyword(); err != nil {
		return r, err
	}
	if err := p.cfws(); err != nil {
		return r, err
	}
	if p.eat('/') { // method-version
		if err := p.cfws(); err != nil {
			return r, err
		}
		start := p.i
		for !p.end() && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i == start {
			return r, p.errorf("want a method version")
		}
	}
	if err := p.expect('='); err != nil {
		return r, err
	}
	if r.Value, err = p.keyword(); err != nil {
		return r, err
	}
	for {
		if err := p.cfws(); err != nil {
			return r, err
		}
		if p.end() || p.peek() == ';' {
			return r, nil
		}
		name, err := p.keyword()
		if err != nil {
			return r, err
		}
		if err := p.cfws(); err != nil {
			return r, err
		}
		if name == "reason" && p.peek() == '=' && r.Reason == "" && len(r.Props) == 0 {
			if err := p.expect('='); err != nil {
				return r, err
			}
			if r.Reason, err = p.value(); err != nil {
				return r, err
			}
			continue
		}
		if err := p.expect('.'); err != nil {
			return r, err
		}
		prop, err := p.keyword()
		if err != nil {
			return r, err
		}
		if err := p.expect('='); err != nil {
			return r, err
		}
		v, err := p.pvalue()
		if err != nil {
			return r, err
		}
		key := name + "." + prop
		if _, dup := r.Props[key]; dup {
			return r, fmt.Errorf("%w: %s given twice in %s=%s", ErrSyntax, key, r.Method, r.Value)
		}
		if r.Props == nil {
			r.Props = map[string]string{}
		}
		r.Props[key] = v
	}
}

// pvalue reads a property value: a quoted string, or a run of visible
// characters other than ; ( ) " \ (see the package doc).
func (p *parser) pvalue() (string, error) {
	if p.peek() == '"' {
		return p.quoted()
	}
	start := p.i
	for !p.end() {
		c := p.s[p.i]
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`;()"\`, rune(c)) {
			break
		}
		p.i++
	}
	if p.i == start {
		return "", p.errorf("want a property value")
	}
	return p.s[start:p.i], nil
}

// Package commands holds the pure parts of liaisond's mail commands: the
// per-statement reply token, the reply address that carries it, and the
// parser for the command a manager writes on the first line of a reply.
//
// # The token scheme
//
// Every notice about a statement that goes to someone allowed to act on it
// (its liaison managers, its groups' chairs, the IAB coordinators) carries
//
//	Reply-To: <local>+<ID>.<token>@<domain>
//
// where <local>@<domain> is the liaison address, <ID> the statement id
// (LS-2026-0007) and <token> the first 20 hex digits (80 bits) of
// HMAC-SHA256(secret, "liaisond-command-v1:" + ID). Replying to the notice
// therefore addresses the reply to that sub-address, which the mail system
// delivers to the liaison mailbox ("+" sub-addressing). The address is the
// only carrier: a token in a subject or a body is never looked at, so that
// quoting or forwarding a notice does not hand out a working token. The
// token alone is not enough either: the sender must also be one of the
// people allowed to act on the statement (checked by the pipeline).
//
// The token depends on the statement id only, so every notice, reminder
// and confirmation about a statement shares it, and it survives restarts.
// Changing the secret invalidates every outstanding token.
package commands

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
)

// TokenLen is the length of a token in hex digits.
const TokenLen = 20

// tokenDomain separates the command tokens from any other use of the key.
const tokenDomain = "liaisond-command-v1:"

// Token computes the reply token of a statement id with key.
func Token(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tokenDomain + strings.ToUpper(strings.TrimSpace(id))))
	return hex.EncodeToString(m.Sum(nil))[:TokenLen]
}

// Valid reports, in constant time, whether token is the reply token of id
// under key. Case is ignored (some mail systems change the case of
// addresses).
func Valid(key []byte, id, token string) bool {
	want := Token(key, id)
	got := strings.ToLower(strings.TrimSpace(token))
	return len(key) > 0 && hmac.Equal([]byte(want), []byte(got))
}

// ReplyAddress returns the reply address that carries a statement's
// token: the liaison address with "+ID.token" added to its local part.
func ReplyAddress(liaisonAddress string, key []byte, id string) (string, error) {
	at := strings.LastIndexByte(liaisonAddress, '@')
	if at <= 0 || at == len(liaisonAddress)-1 {
		return "", fmt.Errorf("commands: liaison address %q has no local part or domain", liaisonAddress)
	}
	if len(key) == 0 {
		return "", errors.New("commands: no key")
	}
	local, domain := liaisonAddress[:at], liaisonAddress[at+1:]
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "+" + strings.ToUpper(id) + "." + Token(key, id) + "@" + domain, nil
}

// Target is what a reply address names: a statement id and the token
// given for it (not yet checked).
type Target struct {
	ID    string
	Token string
	// Address is the reply address as written.
	Address string
}

var subAddrRE = regexp.MustCompile(`(?i)^(LS-\d{4}-\d{4,})\.([0-9a-z]{1,64})$`)

// FindTarget looks through the addresses a mail was sent to for a reply
// address of one of the liaison addresses (same local part before "+",
// same domain, any case) and returns the first one found.
func FindTarget(addrs []string, liaisonAddresses []string) (Target, bool) {
	for _, a := range addrs {
		a = strings.TrimSpace(a)
		at := strings.LastIndexByte(a, '@')
		if at <= 0 {
			continue
		}
		local, domain := a[:at], a[at+1:]
		plus := strings.IndexByte(local, '+')
		if plus <= 0 {
			continue
		}
		for _, la := range liaisonAddresses {
			lat := strings.LastIndexByte(la, '@')
			if lat <= 0 {
				continue
			}
			if !strings.EqualFold(la[:lat], local[:plus]) || !strings.EqualFold(la[lat+1:], domain) {
				continue
			}
			if m := subAddrRE.FindStringSubmatch(local[plus+1:]); m != nil {
				return Target{ID: strings.ToUpper(m[1]), Token: strings.ToLower(m[2]), Address: a}, true
			}
		}
	}
	return Target{}, false
}

// Verb is a command's name.
type Verb string

// The commands: the actions of package actions that can be written on the
// first line of a reply.
const (
	Ack      Verb = "ack"
	Delay    Verb = "delay"
	Answered Verb = "answered"
	Reassign Verb = "reassign"
	NotOurs  Verb = "not-ours"
	Close    Verb = "close"
	Reopen   Verb = "reopen"
	Note     Verb = "note"
	Set      Verb = "set"
	// Report is about the statement's relationship, not the statement: a
	// manager's report to the IAB, the rest of the reply's own text.
	Report Verb = "report"
)

// Fields are the fields `set` corrects.
var Fields = []string{"title", "purpose", "deadline", "from_org", "to_groups"}

// Command is one parsed command.
type Command struct {
	Verb Verb
	// Date is the new internal deadline (delay).
	Date liaison.Date
	// Field is the field to correct (set).
	Field string
	// Arg is the rest of the line: the reason (delay, not-ours, close,
	// reopen), the reference (answered), the groups (reassign), the text
	// (note) or the value (set).
	Arg string
}

// String renders the command as it would be written.
func (c Command) String() string {
	s := string(c.Verb)
	if !c.Date.IsZero() {
		s += " " + c.Date.String()
	}
	if c.Field != "" {
		s += " " + c.Field
	}
	if c.Arg != "" {
		s += " " + c.Arg
	}
	return s
}

// Usage lists the commands as they are written.
const Usage = "ack, delay YYYY-MM-DD REASON, answered [REFERENCE], reassign GROUP..., not-ours REASON, close REASON, reopen, note TEXT, set FIELD VALUE or report TEXT"

// ErrNoCommand is returned when the first line of a reply is not a command.
var ErrNoCommand = errors.New("no command on the first line (want " + Usage + ")")

// FirstLine returns the first line of a reply that the writer wrote: it
// skips blank lines and quoted lines ("> ..."), and stops at a signature
// separator ("-- "), at a quotation header ("On ... wrote:") and at a
// forwarded or original message marker. It returns "" when there is none.
func FirstLine(body string) string {
	if own := ownLines(body); len(own) > 0 {
		return own[0]
	}
	return ""
}

// ownLines returns the lines of a reply that the writer wrote, from the
// first one that is not blank, without quoted lines ("> ..."), up to a
// signature separator, a quotation header or a forwarded or original
// message marker; trailing blank lines dropped.
func ownLines(body string) []string {
	var out []string
	// A lone CR ends a line too: it must never smuggle a second line into
	// a command's argument (which is quoted in history and mail).
	for _, l := range strings.Split(lineBreaks.Replace(body), "\n") {
		raw := strings.TrimRight(l, " \t\r")
		t := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
		switch {
		case t == "" && len(out) == 0:
			continue
		case strings.HasPrefix(t, ">"):
			continue
		case raw == "--" || raw == "-- " || strings.HasPrefix(t, "__") || strings.HasPrefix(t, "-----"):
			return trimBlank(out)
		case quoteHeaderRE.MatchString(t):
			return trimBlank(out)
		}
		out = append(out, t)
	}
	return trimBlank(out)
}

func trimBlank(ls []string) []string {
	for len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

var quoteHeaderRE = regexp.MustCompile(`(?i)^(?:on\s.{0,200}\bwrote:|le\s.{0,200}\ba écrit\s?:|am\s.{0,200}\bschrieb.{0,60}:|from:\s)`)

var (
	verbRE = regexp.MustCompile(`(?i)^(ack(?:nowledged?)?|delay|answered|reassign|not[- ]?ours|close|reopen|note|set|report)(?:[\s:.!,;]+(.*))?$`)
	dateRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\b[\s:,;-]*(.*)$`)
)

// Parse reads the command on the first line of a reply body (see
// FirstLine). Verbs are case-insensitive; "not ours" is accepted for
// "not-ours", "acknowledge" for "ack", and "from-org" for "from_org".
func Parse(body string) (Command, error) {
	line := FirstLine(body)
	if line == "" {
		return Command{}, ErrNoCommand
	}
	m := verbRE.FindStringSubmatch(line)
	if m == nil {
		return Command{}, ErrNoCommand
	}
	verb := strings.ToLower(m[1])
	rest := strings.TrimSpace(m[2])
	switch {
	case strings.HasPrefix(verb, "ack"):
		return Command{Verb: Ack}, nil
	case verb == "delay":
		d := dateRE.FindStringSubmatch(rest)
		if d == nil {
			return Command{}, errors.New("delay: want delay YYYY-MM-DD <reason>")
		}
		date, err := liaison.ParseISODate(d[1])
		if err != nil || !date.Valid() {
			return Command{}, fmt.Errorf("delay: %q is not a date", d[1])
		}
		reason := strings.TrimSpace(d[2])
		if reason == "" {
			return Command{}, errors.New("delay: a reason is required after the date")
		}
		return Command{Verb: Delay, Date: date, Arg: reason}, nil
	case verb == "set":
		field, value, _ := strings.Cut(rest, " ")
		field = strings.ReplaceAll(strings.ToLower(strings.TrimRight(field, ":")), "-", "_")
		if !slices.Contains(Fields, field) {
			return Command{}, fmt.Errorf("set: field %q: want one of %s", field, strings.Join(Fields, ", "))
		}
		if value = strings.TrimSpace(value); value == "" {
			return Command{}, errors.New("set: a value is required after the field")
		}
		return Command{Verb: Set, Field: field, Arg: value}, nil
	case verb == "report":
		// A report goes on after its first line: the rest of the
		// writer's own text is part of it.
		text := strings.TrimSpace(strings.Join(append([]string{rest}, ownLines(body)[1:]...), "\n"))
		if text == "" {
			return Command{}, errors.New("report: the report's text is required")
		}
		return Command{Verb: Report, Arg: text}, nil
	}
	v := Verb(verb) // reassign, not-ours, close, reopen, note, answered
	if strings.HasPrefix(verb, "not") && verb != "note" {
		v = NotOurs // "not ours", "notours"
	}
	if need, ok := argNeeded[v]; ok && rest == "" {
		return Command{}, fmt.Errorf("%s: %s is required", v, need)
	}
	return Command{Verb: v, Arg: rest}, nil
}

// argNeeded names the argument the rest of the line must hold, for the
// verbs that take one (answered and reopen take an optional one).
var argNeeded = map[Verb]string{Reassign: "a group", NotOurs: "a reason", Close: "a reason", Note: "the text"}

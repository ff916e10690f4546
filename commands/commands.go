// Package commands holds the pure parts of liaisond's mail commands: the
// reply tokens, the reply address that carries them, the parser for the
// command a manager writes on the first line of a reply, and the key of
// the replay guard. Token scheme: token.go.
package commands

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/ietf-tools/liaisond/liaison"
)

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

// Normal is the command in the form the replay guard compares: as
// String writes it, lower-cased, with runs of white space made one space.
func (c Command) Normal() string {
	return strings.Join(strings.Fields(strings.ToLower(c.String())), " ")
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

// The punctuation that may follow a verb or a delay's date before the
// argument ("ack!", "delay 2027-05-01: reason").
const (
	verbSeparators = ":.!,;"
	dateSeparators = ":,;-"
)

// trimLeading drops from s the leading white space (any Unicode space,
// which the patterns' \s does not all cover) and separator punctuation,
// and the trailing white space. An argument so trimmed never starts with
// what the patterns take as a separator, so a command reads back as itself
// from its String form ("answered \v!" is "answered", not "answered !").
func trimLeading(s, separators string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(separators, r)
	})
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

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
	rest := trimLeading(m[2], verbSeparators)
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
		reason := trimLeading(d[2], dateSeparators)
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

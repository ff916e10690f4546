package outgoing

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// ProblemCode names what keeps a draft from being approved.
type ProblemCode string

// The problem codes.
const (
	ProblemMissing          ProblemCode = "missing"           // a field the peer requires is empty
	ProblemDeadlineTooSoon  ProblemCode = "deadline_too_soon" // the peer cannot answer that fast (min_reply_days)
	ProblemDeadlinePast     ProblemCode = "deadline_past"     // the deadline is already over
	ProblemUnknownAddressee ProblemCode = "unknown_addressee" // the peer has no such group
	ProblemAttachmentType   ProblemCode = "attachment_type"   // the peer does not accept this file type
	ProblemNoPeer           ProblemCode = "no_peer"           // the organization has no outgoing rules (any more)
)

// Problem is one reason a draft cannot be approved yet, with a message
// that says what to change.
type Problem struct {
	Code    ProblemCode       `json:"code"`
	Field   config.DraftField `json:"field,omitempty"`
	Message string            `json:"message"`
}

// String renders "field: message".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return string(p.Field) + ": " + p.Message
}

// Check lists what keeps rec, an outgoing statement drafted here, from
// being approved for its peer at now: the fields the peer requires, a
// deadline sooner than the peer's min_reply_days (counted in calendar days
// from now's date in the configured time zone) or already past,
// addressees the peer does not have, attachment types it does not accept.
// No problems means rec may be approved. The order is stable: fields in
// the peer's require order, then the deadline, addressees and attachments.
func Check(cfg *config.Config, rec *liaison.Record, now time.Time) []Problem {
	org, err := Peer(cfg, rec.Outbound.Org)
	if err != nil {
		return []Problem{{Code: ProblemNoPeer, Message: err.Error()}}
	}
	c := checker{cfg: cfg, rec: rec, org: org, rules: org.Outgoing}
	c.required()
	c.deadline(now)
	c.addressees()
	c.attachments()
	return c.out
}

type checker struct {
	cfg   *config.Config
	rec   *liaison.Record
	org   *config.Organization
	rules *config.PeerRules
	out   []Problem
}

func (c *checker) add(code ProblemCode, field config.DraftField, format string, args ...any) {
	c.out = append(c.out, Problem{Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

// where points at the organization's outgoing key in the configuration,
// or says it is the format's default.
func (c *checker) where(key string) string {
	i := slices.IndexFunc(c.cfg.Organizations, func(o config.Organization) bool { return o.ID == c.org.ID })
	p := fmt.Sprintf("organizations[%d].outgoing.%s", i, key)
	if !c.cfg.Has(p) {
		return fmt.Sprintf("the %s default of %s; %s:%d: %s", c.rules.Format, p, c.cfg.Path, c.cfg.Line(p), p[:strings.LastIndexByte(p, '.')])
	}
	return fmt.Sprintf("%s:%d: %s", c.cfg.Path, c.cfg.Line(p), p)
}

// required reports each field the peer requires that the draft lacks.
func (c *checker) required() {
	x := &c.rec.Extraction
	ob := c.rec.Outbound
	for _, f := range c.rules.Require {
		var missing string
		switch f {
		case config.FieldTitle:
			if strings.TrimSpace(x.Title) == "" {
				missing = "no title (--title)"
			}
		case config.FieldPurpose:
			if x.Purpose == "" {
				missing = "no purpose (--purpose action, comment, info or response)"
			}
		case config.FieldDeadline:
			if (x.Purpose == liaison.PurposeAction || x.Purpose == liaison.PurposeComment) && x.Deadline.IsZero() {
				missing = fmt.Sprintf("a statement %s needs the date a reply is expected by (--deadline)", strings.ToLower(x.Purpose.Label()))
			}
		case config.FieldContact:
			if !hasEmail(x.TechnicalContacts) {
				missing = "no contact with an e-mail address (--contact)"
			}
		case config.FieldSourceGroups:
			if len(ob.FromGroups) == 0 {
				missing = "no sending IETF group (--from)"
			}
		case config.FieldAddressees:
			if len(ob.Addressees) == 0 {
				missing = fmt.Sprintf("no group of %s addressed (--addressee)%s", c.org.Name, c.knownGroups())
			}
		case config.FieldBody:
			if strings.TrimSpace(x.Body) == "" && len(x.Attachments) == 0 {
				missing = "no body text and no attachment (--body-file, --attach)"
			}
		case config.FieldReplyTo:
			if !hasEmail(x.ResponseContacts) {
				missing = "no address for the answer (\"Send any reply to\")"
			}
		case config.FieldReference:
			if x.Purpose == liaison.PurposeResponse && ob.Answers == "" && x.InResponseTo == "" {
				missing = "a response names the statement it answers (--reply-to)"
			}
		}
		if missing != "" {
			c.add(ProblemMissing, f, "%s; %s requires it (%s)", missing, c.org.Name, c.where("require"))
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func hasEmail(cs []liaison.Contact) bool {
	return slices.ContainsFunc(cs, func(c liaison.Contact) bool { return c.Email != "" })
}

// deadline reports a deadline already past, or sooner than the peer can
// answer.
func (c *checker) deadline(now time.Time) {
	dl := c.rec.Extraction.Deadline
	if dl.IsZero() {
		return
	}
	today := liaison.DateOf(now.In(c.cfg.Location))
	if dl.Before(today) {
		c.add(ProblemDeadlinePast, config.FieldDeadline, "deadline %s is already past (today is %s)", dl, today)
		return
	}
	earliest := liaison.DateOf(time.Date(today.Year, today.Month, today.Day+c.rules.MinReplyDays, 12, 0, 0, 0, time.UTC))
	if dl.Before(earliest) {
		days := int(time.Date(dl.Year, dl.Month, dl.Day, 12, 0, 0, 0, time.UTC).Sub(time.Date(today.Year, today.Month, today.Day, 12, 0, 0, 0, time.UTC)).Hours() / 24)
		c.add(ProblemDeadlineTooSoon, config.FieldDeadline,
			"deadline %s leaves %s %s to reply; it needs at least %d (%s): set %s or later",
			dl, c.org.Name, plural(days, "day"), c.rules.MinReplyDays, c.where("min_reply_days"), earliest)
	}
}

// addressees reports groups the peer does not have. An addressee may be
// the organization itself (a name or alias), one of its groups, or one of
// its names followed by one of its groups ("ITU-T SG15 Q12/15").
func (c *checker) addressees() {
	names := append([]string{c.org.ID, c.org.Name}, c.org.Aliases...)
	for _, a := range c.rec.Outbound.Addressees {
		if !c.known(a, names) {
			c.add(ProblemUnknownAddressee, config.FieldAddressees, "%q is not a group of %s%s",
				a, c.org.Name, c.knownGroups())
		}
	}
}

func (c *checker) known(addressee string, names []string) bool {
	n := config.NormalizeName(addressee)
	isGroup := func(s string) bool {
		return slices.ContainsFunc(c.rules.Groups, func(g string) bool { return config.NormalizeName(g) == s })
	}
	if isGroup(n) {
		return true
	}
	for _, name := range names {
		o := config.NormalizeName(name)
		if o == "" {
			continue
		}
		if n == o || strings.HasPrefix(n, o+" ") && isGroup(strings.TrimPrefix(n, o+" ")) {
			return true
		}
	}
	return false
}

func (c *checker) knownGroups() string {
	if len(c.rules.Groups) == 0 {
		return fmt.Sprintf(": only the organization itself is known (%s)", c.where("groups"))
	}
	return fmt.Sprintf(": known are %s (%s)", strings.Join(c.rules.Groups, ", "), c.where("groups"))
}

// attachments reports files of a type the peer does not accept.
func (c *checker) attachments() {
	if len(c.rules.Accept) == 0 {
		return
	}
	for _, a := range c.rec.Extraction.Attachments {
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(a.Name), "."))
		if !slices.Contains(c.rules.Accept, ext) {
			kind := "." + ext + " file"
			if ext == "" {
				kind = "file without an extension"
			}
			c.add(ProblemAttachmentType, "", "attachment %q is a %s; %s accepts %s (%s)",
				a.Name, kind, c.org.Name, strings.Join(c.rules.Accept, ", "), c.where("accept"))
		}
	}
}

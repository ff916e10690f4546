// Package liaison holds the domain types shared by every part of liaisond:
// what a message was classified as, what was extracted from a liaison
// statement, how it was routed, and the record the store keeps.
//
// It is a leaf package: it imports nothing from the rest of the tree, so
// mailproc, routing and store can all speak the same vocabulary without
// importing each other.
package liaison

import (
	"fmt"
	"strings"
	"time"
)

// Kind is what a received message was classified as.
type Kind string

// The message kinds.
const (
	KindStatement Kind = "statement" // a liaison statement, incoming or outgoing
	KindReply     Kind = "reply"     // mail in a thread about a statement that is not itself one
	KindAutoreply Kind = "autoreply" // out-of-office and other RFC 3834 auto-replies
	KindBounce    Kind = "bounce"    // delivery status notifications, null sender, mailer-daemon
	KindOther     Kind = "other"     // anything else
)

// Purpose is what a statement asks of its recipients.
type Purpose string

// The purposes a statement can have.
const (
	PurposeAction   Purpose = "action"
	PurposeComment  Purpose = "comment"
	PurposeInfo     Purpose = "info"
	PurposeResponse Purpose = "response"
)

// Label is the purpose as statements write it ("For action", "For
// comment", "For information", "In response"); "" for an unknown one.
func (p Purpose) Label() string {
	switch p {
	case PurposeAction:
		return "For action"
	case PurposeComment:
		return "For comment"
	case PurposeInfo:
		return "For information"
	case PurposeResponse:
		return "In response"
	}
	return ""
}

// Shape is the layout a statement was recognised in. Each shape has its own
// reader in mailproc.
type Shape string

// The statement shapes.
const (
	// ShapeTracker is a datatracker notice ("New Liaison Statement, ..."):
	// Title, Submission Date, Please reply by, From, To, Purpose, Body lines.
	ShapeTracker Shape = "tracker"
	// ShapeITU is an ITU-T cover sheet: SOURCE, TITLE, FOR ACTION TO, FOR
	// INFORMATION TO, APPROVAL, DEADLINE, CONTACT.
	ShapeITU Shape = "itu"
	// Shape3GPP is a 3GPP sheet: Title, Response to, Release, Work Item,
	// Source, To, Cc, Contact Person, numbered Actions section.
	Shape3GPP Shape = "3gpp"
	// ShapeProse is a letter: the facts are in sentences, the subject and
	// file names, perhaps with a few Title/From/To/For lines.
	ShapeProse Shape = "prose"
)

// Direction says whether a statement came from a peer or from the IETF.
type Direction string

// The directions.
const (
	Incoming Direction = "incoming"
	Outgoing Direction = "outgoing"
)

// State is the life-cycle state of a recorded statement.
type State string

// The states.
const (
	StateOpen     State = "open"     // recorded, awaiting whatever its purpose asks
	StateAnswered State = "answered" // a reply was recognised
	StateClosed   State = "closed"   // needs nothing (informational, or closed by hand)
	StateFailed   State = "failed"   // could not be understood; kept and flagged
	StateDraft    State = "draft"    // an outgoing statement being written here, not sent yet (see Outbound)
)

// Status is how a statement stands at a given time: its State, except that
// an open statement whose effective deadline has passed is overdue. It is
// the one word the web list, the statement page, the API ("status") and
// the CLI show; StatusOf alone decides it.
type Status string

// The statuses.
const (
	StatusOpen     Status = "open"     // open, its deadline (if any) not passed
	StatusOverdue  Status = "overdue"  // open, and the day of its effective deadline is over
	StatusAnswered Status = "answered" // as StateAnswered
	StatusClosed   Status = "closed"   // as StateClosed
	StatusFailed   Status = "failed"   // as StateFailed
	StatusDraft    Status = "draft"    // as StateDraft
)

// StatusOf decides a statement's status from its state and effective
// deadline at now: overdue from the first day after the deadline in loc
// (the day the follow-up policy's first overdue notice falls due).
func StatusOf(state State, deadline Date, loc *time.Location, now time.Time) Status {
	if loc == nil {
		loc = time.UTC
	}
	if state == StateOpen && !deadline.IsZero() && deadline.Before(DateOf(now.In(loc))) {
		return StatusOverdue
	}
	return Status(state)
}

// StatusAt is the record's status at now (StatusOf with its effective
// deadline).
func (r *Record) StatusAt(loc *time.Location, now time.Time) Status {
	return StatusOf(r.State, r.EffectiveDeadline(), loc, now)
}

// Contact is a person or list with an optional display name.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// String renders the contact as "Name <email>" or just the email.
func (c Contact) String() string {
	switch {
	case c.Name != "" && c.Email != "":
		return fmt.Sprintf("%s <%s>", c.Name, c.Email)
	case c.Email != "":
		return c.Email
	default:
		return c.Name
	}
}

// Attachment describes one attached file. The bytes stay in the raw message.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Part is the MIME part path ("2", "2.1") to find it in the raw message.
	Part string `json:"part,omitempty"`
}

// Date is a calendar date without a time zone. Deadlines are dates; they end
// at 23:59:59 in the configured time zone (see EndOf).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseISODate parses "YYYY-MM-DD".
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// String renders the date as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Valid reports whether d names a real calendar day.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day && t.Month() == d.Month
}

// EndOf is the last second of the day d in loc: 23:59:59 local time, which is
// what a date-only deadline means.
func (d Date) EndOf(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, loc)
}

// AddDays returns the day n days after d (before it for a negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// CompareDeadlines orders two deadlines: the sooner first, a missing one
// (the zero date) after every date.
func CompareDeadlines(a, b Date) int {
	switch {
	case a == b:
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	case a.Before(b):
		return -1
	}
	return 1
}

// HasAddress reports whether one of cs has the address addr (compared
// without case; an empty address is in no list).
func HasAddress(cs []Contact, addr string) bool {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return false
	}
	for _, c := range cs {
		if strings.EqualFold(c.Email, addr) {
			return true
		}
	}
	return false
}

// DaysTo is the number of calendar days from d to e (negative when e is
// before d).
func (d Date) DaysTo(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// MarshalText renders the date as YYYY-MM-DD (empty when unset).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD; an empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseISODate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Source says where a field's value was found, so an operator can see why.
// Where is one of "header", "tracker", "itu", "3gpp", "prose", "docx",
// "subject", "attachment-name", "html" or "config"; Detail names the label,
// header or file ("Please reply by", "Subject", "cover.docx: DEADLINE").
type Source struct {
	Where  string `json:"where"`
	Detail string `json:"detail,omitempty"`
}

// String renders "where: detail".
func (s Source) String() string {
	if s.Detail == "" {
		return s.Where
	}
	return s.Where + ": " + s.Detail
}

// Problem is something that went wrong while reading a message. The message
// is kept; problems are flags an operator sees.
type Problem struct {
	Code   string `json:"code"`   // short machine name: "mime", "charset", "docx", "no-message-id", ...
	Detail string `json:"detail"` // what and where
}

// Extraction is everything mailproc learned from one raw message. It is a pure
// function of the message bytes (and nothing else).
type Extraction struct {
	Kind Kind `json:"kind"`
	// Shape is the statement layout recognised (empty when not a
	// statement).
	Shape Shape `json:"shape,omitempty"`

	// Header facts.
	MessageID  string    `json:"message_id,omitempty"`
	InReplyTo  []string  `json:"in_reply_to_ids,omitempty"`
	References []string  `json:"references,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	Date       time.Time `json:"date,omitempty"`
	From       Contact   `json:"from"`
	Sender     string    `json:"sender,omitempty"`         // Return-Path / Sender address
	HeaderTo   []Contact `json:"header_to,omitempty"`      // To: header
	HeaderCc   []Contact `json:"header_cc,omitempty"`      // Cc: header
	ListID     string    `json:"list_id,omitempty"`        // List-Id header, if any
	AutoSubmit string    `json:"auto_submitted,omitempty"` // Auto-Submitted header value
	OwnMail    bool      `json:"own_mail,omitempty"`       // mail a liaisond sent (see OwnSign)
	OwnSign    OwnSign   `json:"own_sign,omitempty"`       // how OwnMail was recognised

	// OriginalFrom and OriginalDate are the sender and date of the
	// statement when it reached us forwarded (inline or as an attached
	// message): the forwarded message's own From and Date. From and Date
	// above stay those of the mail received.
	OriginalFrom Contact   `json:"original_from,omitempty"`
	OriginalDate time.Time `json:"original_date,omitempty"`

	// Statement fields.
	Direction         Direction    `json:"direction,omitempty"`
	Title             string       `json:"title,omitempty"`
	Purpose           Purpose      `json:"purpose,omitempty"`
	Deadline          Date         `json:"deadline,omitempty"`
	FromOrgText       string       `json:"from_org_text,omitempty"`
	FromGroup         string       `json:"from_group,omitempty"`
	ToText            []string     `json:"to_text,omitempty"` // addressees as written ("IETF CCAMP WG"); routing resolves them
	CcText            []string     `json:"cc_text,omitempty"`
	ResponseContacts  []Contact    `json:"response_contacts,omitempty"`
	TechnicalContacts []Contact    `json:"technical_contacts,omitempty"`
	InResponseTo      string       `json:"in_response_to,omitempty"`
	OtherIDs          []string     `json:"other_ids,omitempty"`
	URL               string       `json:"url,omitempty"`
	Body              string       `json:"body,omitempty"`
	Attachments       []Attachment `json:"attachments,omitempty"`

	// Sources maps a field name (JSON name above) to where it was found.
	Sources map[string]Source `json:"sources,omitempty"`
	// Problems lists what went wrong; the message is kept regardless.
	Problems []Problem `json:"problems,omitempty"`
	// ContentHash identifies the statement's content independent of who
	// forwarded it and with which Message-ID (see mailproc.ContentHash).
	ContentHash string `json:"content_hash,omitempty"`
}

// Reason is one step of a routing decision, for the operator.
type Reason struct {
	Code   string `json:"code"`   // "alias", "domain", "to", "route", "no_manager", "unknown_org", ...
	Detail string `json:"detail"` // human text
}

// Routing is the routing decision for one statement. It is a pure function
// of the extraction and the configuration.
type Routing struct {
	OrgID     string    `json:"from_org,omitempty"`
	OrgName   string    `json:"org_name,omitempty"`
	Groups    []string  `json:"to_groups"`
	Managers  []Contact `json:"managers"`
	NoManager bool      `json:"no_manager"`
	// Escalate is set when the IAB coordinators must handle the statement;
	// EscalationReason is "no_manager" or "unknown_org".
	Escalate         bool   `json:"escalate,omitempty"`
	EscalationReason string `json:"escalation_reason,omitempty"`
	// Misdirected is the misdirection verdict; Reason is one of
	// "not_to_liaison_address", "wrong_group" (with WrongGroups set).
	Misdirected        bool     `json:"misdirected"`
	MisdirectionReason string   `json:"misdirection_reason,omitempty"`
	WrongGroups        []string `json:"wrong_groups,omitempty"`
	Reasons            []Reason `json:"reasons,omitempty"`
}

// IABHandles reports whether the IAB liaison coordinators handle the
// statement themselves rather than a liaison manager: no manager is routed,
// or it was escalated to them (no manager appointed, unknown organization,
// handed back as not ours).
func (rt Routing) IABHandles() bool { return IABHandles(len(rt.Managers), rt.Escalate) }

// IABHandles is Routing.IABHandles for views that keep only the number of
// managers and the escalation flag.
func IABHandles(managers int, escalated bool) bool { return escalated || managers == 0 }

// Event is one entry in a record's history. Events caused by a person
// (package actions) say who, through which channel and why.
type Event struct {
	At     time.Time `json:"at"`
	Type   EventType `json:"type"`
	Detail string    `json:"detail,omitempty"`
	// By is who acted (an address, or "operator"); empty for the daemon's
	// own events.
	By string `json:"by,omitempty"`
	// Channel is how the action reached the daemon.
	Channel Channel `json:"channel,omitempty"`
	// Reason is why, as the person gave it.
	Reason string `json:"reason,omitempty"`
}

// Record is what the store keeps for each received message: the extraction,
// the routing decision (statements only), and the life-cycle state.
type Record struct {
	ID          string     `json:"id"` // LS-2026-0007 for statements, MSG-2026-000012 otherwise
	Received    time.Time  `json:"received"`
	Extraction  Extraction `json:"extraction"`
	Routing     Routing    `json:"routing"`
	State       State      `json:"state"`
	DuplicateOf string     `json:"duplicate_of,omitempty"`
	// Duplicates lists the ids of later copies linked to this record.
	Duplicates []string `json:"duplicates,omitempty"`
	// Links are related records (replies, the statement answered, ...).
	Links []string `json:"links,omitempty"`
	// Origin says where the raw message came from ("file:x.eml",
	// "imap:INBOX/1234").
	Origin string `json:"origin,omitempty"`
	// Delivery is how the message reached the daemon (its folder, the WG
	// list whose traffic the folder receives), kept so that routing it
	// again (reprocess) judges it as it was delivered. Nil for files and
	// for records made before it was kept.
	Delivery *Delivery `json:"delivery,omitempty"`
	// RawKey is the key of the raw message bytes in the store.
	RawKey string `json:"raw_key,omitempty"`

	// Follow-up state: who acknowledged it, what answered it, a deadline
	// moved by a manager's `delay`, who closed it by hand and why.
	Acked            *Action `json:"acked,omitempty"`
	Answered         *Action `json:"answered,omitempty"`
	InternalDeadline Date    `json:"internal_deadline,omitempty"`
	Closed           *Action `json:"closed,omitempty"`
	// Corrections are the fields people corrected, oldest first (the
	// record already holds the corrected values).
	Corrections []Correction `json:"corrections,omitempty"`

	// Outbound is set on an outgoing statement drafted here: its
	// approval and sending (the statement's text is in Extraction).
	Outbound *Outbound `json:"outbound,omitempty"`
}

// Delivery says how a message was delivered, for routing.
type Delivery struct {
	Folder string `json:"folder,omitempty"`  // the IMAP folder ("" for files)
	WGList string `json:"wg_list,omitempty"` // the group whose list traffic the folder receives
}

// Action records who did something to a record, when, and with what
// reference (a record id, a reason).
type Action struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Ref  string    `json:"ref,omitempty"`
	Note string    `json:"note,omitempty"`
}

// EffectiveDeadline is the internal deadline when a manager moved it, else
// the statement's own.
func (r *Record) EffectiveDeadline() Date {
	if !r.InternalDeadline.IsZero() {
		return r.InternalDeadline
	}
	return r.Extraction.Deadline
}

package templates

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ietf-tools/liaisond/liaison"
)

// The size of StatementView.BodyExcerpt, the start of the body a notice
// shows: at most ExcerptLines lines and ExcerptBytes bytes, whichever ends
// it first (a body of long paragraph lines would otherwise put most of a
// long statement into every notice, twice: as text and as HTML).
const (
	ExcerptLines = 40
	ExcerptBytes = 2000
)

// StatementView is a liaison.Record flattened for templates: every value is
// ready to print, human-readable, and single-line where a line is expected.
// Values still come from received mail: text templates print them as data
// and HTML templates escape them.
type StatementView struct {
	ID    string
	State string
	Title string
	// Purpose is human ("For action"); PurposeCode is the raw value.
	Purpose, PurposeCode string
	// Deadline is YYYY-MM-DD or ""; DeadlineIn is "today", "tomorrow",
	// "in 3 days", "1 day late", "5 days late"; Overdue is set once the
	// deadline day has passed.
	Deadline, DeadlineIn string
	Overdue              bool
	// ShortNotice is set when the deadline leaves less than the procedure
	// asks (deadlines.min_notice, MinNoticeDays) after receipt: NoticeDays.
	// The composer sets them (they depend on the configuration).
	ShortNotice               bool
	NoticeDays, MinNoticeDays int
	Direction                 string
	// FromOrg is the resolved organization name (or id, or the text as
	// written when unresolved); FromOrgText is the text as written.
	FromOrg, FromOrgText, FromGroup string
	// ToGroups are the IETF groups routing resolved; ToText and CcText are
	// the addressees as written.
	ToGroups, ToText, CcText []string
	ResponseContacts         []liaison.Contact
	TechnicalContacts        []liaison.Contact
	InResponseTo             string
	OtherIDs                 []string
	Attachments              []AttachmentView
	// Subject, From, Received (in the configured zone) and Origin describe
	// the mail the statement arrived in.
	Subject, From, Received, Origin string
	// Sources says where each field was found, sorted by field.
	Sources []SourceView
	URL     string
	// Managers are the responsible liaison managers; NoManager is set when
	// the relationship has none.
	Managers  []liaison.Contact
	NoManager bool
	// Escalate, EscalationReason (human) and EscalationCode (raw) say why the IAB coordinators
	// handle the statement.
	Escalate                         bool
	EscalationReason, EscalationCode string
	// Misdirected, MisdirectionReason (human), MisdirectionCode (raw) and
	// WrongGroups carry the
	// misdirection verdict.
	Misdirected                          bool
	MisdirectionReason, MisdirectionCode string
	WrongGroups                          []string
	// Reasons are the routing steps and Problems the extraction problems,
	// each as "code: detail".
	Reasons, Problems []string
	// BodyExcerpt is the start of the body (ExcerptLines, ExcerptBytes);
	// BodyTruncated is set when there was more.
	BodyExcerpt   string
	BodyTruncated bool
}

// AttachmentView is one attachment, ready to print.
type AttachmentView struct {
	Name, Type, Size string
	// SHA256 is the first 12 hex digits of the content hash.
	SHA256 string
}

// SourceView says where one field's value came from.
type SourceView struct{ Field, Where string }

// View flattens r for templates. loc is the zone dates are shown in and
// deadlines end in; now is the current time (from the caller's clock).
func View(r *liaison.Record, loc *time.Location, now time.Time) StatementView {
	if loc == nil {
		loc = time.UTC
	}
	x, rt := r.Extraction, r.Routing
	v := StatementView{
		ID:                 line(r.ID),
		State:              string(r.State),
		Title:              line(x.Title),
		PurposeCode:        string(x.Purpose),
		Purpose:            PurposeText(x.Purpose),
		Direction:          string(x.Direction),
		FromOrgText:        line(x.FromOrgText),
		FromGroup:          line(x.FromGroup),
		ToGroups:           lines(rt.Groups),
		ToText:             lines(x.ToText),
		CcText:             lines(x.CcText),
		ResponseContacts:   contacts(x.ResponseContacts),
		TechnicalContacts:  contacts(x.TechnicalContacts),
		InResponseTo:       line(x.InResponseTo),
		OtherIDs:           lines(x.OtherIDs),
		Subject:            line(x.Subject),
		From:               line(x.From.String()),
		Origin:             line(r.Origin),
		URL:                line(x.URL),
		Managers:           contacts(rt.Managers),
		NoManager:          rt.NoManager,
		Escalate:           rt.Escalate,
		EscalationReason:   EscalationText(rt.EscalationReason),
		EscalationCode:     line(rt.EscalationReason),
		MisdirectionCode:   line(rt.MisdirectionReason),
		Misdirected:        rt.Misdirected,
		MisdirectionReason: MisdirectionText(rt.MisdirectionReason),
		WrongGroups:        lines(rt.WrongGroups),
	}
	if v.Title == "" {
		v.Title = v.Subject
	}
	switch {
	case rt.OrgName != "":
		v.FromOrg = line(rt.OrgName)
	case rt.OrgID != "":
		v.FromOrg = line(rt.OrgID)
	case v.FromOrgText != "":
		v.FromOrg = v.FromOrgText
	default:
		v.FromOrg = "an unidentified organization"
	}
	// "ETSI TC CYBER" + group "TC CYBER" would read twice: drop a group
	// the organization's name already says.
	if liaison.RedundantGroup(v.FromGroup, v.FromOrg, v.FromOrgText) {
		v.FromGroup = ""
	}
	if !r.Received.IsZero() {
		v.Received = r.Received.In(loc).Format("2006-01-02 15:04 MST")
	}
	if !x.Deadline.IsZero() {
		v.Deadline = x.Deadline.String()
		days := daysBetween(liaison.DateOf(now.In(loc)), x.Deadline)
		v.DeadlineIn = DaysText(days)
		v.Overdue = days < 0
	}
	for _, a := range x.Attachments {
		sum := a.SHA256
		if len(sum) > 12 {
			sum = sum[:12]
		}
		v.Attachments = append(v.Attachments, AttachmentView{Name: line(a.Name), Type: line(a.ContentType), Size: HumanSize(a.Size), SHA256: sum})
	}
	for field, src := range x.Sources {
		v.Sources = append(v.Sources, SourceView{Field: line(field), Where: line(src.String())})
	}
	sort.Slice(v.Sources, func(i, j int) bool { return v.Sources[i].Field < v.Sources[j].Field })
	for _, rs := range rt.Reasons {
		v.Reasons = append(v.Reasons, line(rs.Code+": "+rs.Detail))
	}
	for _, p := range x.Problems {
		v.Problems = append(v.Problems, line(p.Code+": "+p.Detail))
	}
	v.BodyExcerpt, v.BodyTruncated = excerpt(x.Body, ExcerptLines, ExcerptBytes)
	return v
}

// PurposeText renders a purpose for people.
func PurposeText(p liaison.Purpose) string {
	if l := p.Label(); l != "" {
		return l
	}
	if p == "" {
		return "Purpose not stated"
	}
	return line(string(p))
}

// EscalationText explains a routing escalation reason.
func EscalationText(reason string) string {
	switch reason {
	case "":
		return ""
	case "no_manager":
		return "no liaison manager is appointed for this organization"
	case "unknown_org":
		return "the sending organization is not one the IETF has a liaison relationship with (or it could not be identified)"
	}
	return line(reason)
}

// MisdirectionText explains a misdirection verdict.
func MisdirectionText(reason string) string {
	switch reason {
	case "":
		return ""
	case "not_to_liaison_address":
		return "it was sent straight to a working group instead of the liaison address"
	case "wrong_group":
		return "it was sent to a working group that does not handle it"
	}
	return line(reason)
}

// DaysText renders a day count relative to today: "today", "tomorrow",
// "in 3 days", "1 day late", "5 days late".
func DaysText(days int) string {
	switch {
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	case days > 1:
		return fmt.Sprintf("in %d days", days)
	case days == -1:
		return "1 day late"
	}
	return fmt.Sprintf("%d days late", -days)
}

// HumanSize renders a byte count: "512 B", "12 KB", "3.4 MB".
func HumanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	}
	return fmt.Sprintf("%.1f GB", float64(n)/(1024*1024*1024))
}

func daysBetween(from, to liaison.Date) int {
	a := time.Date(from.Year, from.Month, from.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(to.Year, to.Month, to.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

// line makes s a single line: control characters and runs of white space
// become one space.
func line(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

func lines(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = line(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contacts(cs []liaison.Contact) []liaison.Contact {
	var out []liaison.Contact
	for _, c := range cs {
		c = liaison.Contact{Name: line(c.Name), Email: line(c.Email)}
		if c.Name != "" || c.Email != "" {
			out = append(out, c)
		}
	}
	return out
}

// excerpt keeps the first n lines of body, and at most max bytes of them
// (line ends included): a line that does not fit is cut after its last
// space that fits (or, with none, at the last rune that fits), and ends
// the excerpt. Lines are kept without control characters other than tab
// and trailing white space, and leading and trailing blank lines are
// trimmed. CR, LF and CRLF all end a line. Only the lines kept are read,
// however long the body (every notice of a statement shows its excerpt).
func excerpt(body string, n, max int) (string, bool) {
	var all []string
	rest := strings.Trim(body, "\r\n")
	left := max
	cut := false
	for len(all) < n && rest != "" && !cut {
		end := strings.IndexAny(rest, "\r\n")
		if end < 0 {
			end = len(rest)
		}
		l := rest[:end]
		if len(l) > left {
			l, cut = fitLine(l, left), true
		}
		all = append(all, l)
		left -= len(l) + 1
		rest = rest[end:]
		if strings.HasPrefix(rest, "\r\n") {
			rest = rest[2:]
		} else if rest != "" {
			rest = rest[1:]
		}
		if left <= 0 && rest != "" {
			cut = true
		}
	}
	truncated := cut || rest != ""
	for i, l := range all {
		if !plainLine(l) {
			l = strings.Map(func(r rune) rune {
				if r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
					return ' '
				}
				return r
			}, l)
		}
		all[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(all, "\n")), truncated
}

// fitLine cuts l to at most max bytes: after its last space that fits,
// or, with none, after the last whole rune that fits.
func fitLine(l string, max int) string {
	if max <= 0 {
		return ""
	}
	if i := strings.LastIndexByte(l[:max+1], ' '); i > 0 {
		return l[:i]
	}
	for max > 0 && !utf8.RuneStart(l[max]) {
		max--
	}
	return l[:max]
}

// plainLine reports whether l is printable ASCII and tabs only: nothing
// for excerpt to replace.
func plainLine(l string) bool {
	for i := 0; i < len(l); i++ {
		if c := l[i]; (c < ' ' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

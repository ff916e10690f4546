package liaison

import (
	"strings"
	"time"
	"unicode"
)

// RecordView is the flat, stable JSON shape of a record used by the CLI's
// --json output (and any API): the field names are a public contract.
type RecordView struct {
	ID                string       `json:"id"`
	MessageID         string       `json:"message_id"`
	Received          time.Time    `json:"received"`
	Kind              Kind         `json:"kind"`
	Direction         Direction    `json:"direction,omitempty"`
	Title             string       `json:"title"`
	Purpose           Purpose      `json:"purpose,omitempty"`
	Deadline          string       `json:"deadline,omitempty"`
	FromOrg           string       `json:"from_org"`
	FromOrgText       string       `json:"from_org_text"`
	FromGroup         string       `json:"from_group"`
	ToGroups          []string     `json:"to_groups"`
	ResponseContacts  []Contact    `json:"response_contacts"`
	TechnicalContacts []Contact    `json:"technical_contacts"`
	InResponseTo      string       `json:"in_response_to"`
	OtherIDs          []string     `json:"other_ids"`
	Attachments       []Attachment `json:"attachments"`
	State             State        `json:"state"`
	// Status is the state as it stands at the time of the view, with
	// "overdue" (Record.StatusAt); set by ViewAt, empty from View.
	Status Status `json:"status,omitempty"`
	// Acked and Answered say who acknowledged or answered it, and when.
	Acked    *Action `json:"acked,omitempty"`
	Answered *Action `json:"answered,omitempty"`
	// InternalDeadline is the deadline a manager moved it to ("" when not
	// moved); the effective deadline is it, or Deadline.
	InternalDeadline   string    `json:"internal_deadline,omitempty"`
	Misdirected        bool      `json:"misdirected"`
	MisdirectionReason string    `json:"misdirection_reason"`
	Managers           []Contact `json:"managers"`
	NoManager          bool      `json:"no_manager"`
	DuplicateOf        string    `json:"duplicate_of"`
	Subject            string    `json:"subject,omitempty"`
	From               string    `json:"from,omitempty"`
	Shape              Shape     `json:"shape,omitempty"`
	Problems           []Problem `json:"problems,omitempty"`
	Links              []string  `json:"links,omitempty"`
	Duplicates         []string  `json:"duplicates,omitempty"`
	Origin             string    `json:"origin,omitempty"`
	// Corrections are the fields people corrected, with the extracted
	// value each replaced.
	Corrections []Correction `json:"corrections,omitempty"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// View flattens a record into its JSON shape.
func (r *Record) View() RecordView {
	x := &r.Extraction
	return RecordView{
		ID: r.ID, MessageID: x.MessageID, Received: r.Received, Kind: x.Kind, Direction: x.Direction,
		Title: x.Title, Purpose: x.Purpose, Deadline: x.Deadline.String(),
		FromOrg: r.Routing.OrgID, FromOrgText: x.FromOrgText, FromGroup: x.FromGroup,
		ToGroups: nonNil(r.Routing.Groups), ResponseContacts: nonNil(x.ResponseContacts),
		TechnicalContacts: nonNil(x.TechnicalContacts), InResponseTo: x.InResponseTo,
		OtherIDs: nonNil(x.OtherIDs), Attachments: nonNil(x.Attachments), State: r.State,
		Misdirected: r.Routing.Misdirected, MisdirectionReason: r.Routing.MisdirectionReason,
		Managers: nonNil(r.Routing.Managers), NoManager: r.Routing.NoManager, DuplicateOf: r.DuplicateOf,
		Subject: x.Subject, From: x.From.String(), Shape: x.Shape, Problems: x.Problems,
		Links: r.Links, Duplicates: r.Duplicates, Origin: r.Origin, Corrections: r.Corrections,
		Acked: r.Acked, Answered: r.Answered, InternalDeadline: r.InternalDeadline.String(),
	}
}

// ViewAt is View with the status at now (deadlines end in loc).
func (r *Record) ViewAt(loc *time.Location, now time.Time) RecordView {
	v := r.View()
	v.Status = r.StatusAt(loc, now)
	return v
}

// NormalizeName reduces an organization or group name to the form names
// are compared in: lower case, every run of punctuation or white space one
// space, "&" the word "and", and a space between letters and digits
// ("ITU-T SG15" and "itu t sg 15" are equal).
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	const (
		none = iota
		letter
		digit
	)
	prev := none
	pendingSpace := false
	for _, r := range s {
		var cls int
		switch {
		case unicode.IsLetter(r):
			cls = letter
		case unicode.IsDigit(r):
			cls = digit
		case r == '&':
			// "Operations & Management Area" is the Operations and
			// Management Area.
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			pendingSpace, prev = true, none
			continue
		default:
			pendingSpace = b.Len() > 0
			prev = none
			continue
		}
		if pendingSpace || prev != none && prev != cls {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(unicode.ToLower(r))
		prev = cls
	}
	return b.String()
}

// RedundantGroup reports whether a sending group adds nothing to the
// organization names given ("SG-15" after "ITU-T SG15", "TC CYBER" after
// "ETSI TC CYBER"), so displays can leave it out.
func RedundantGroup(group string, names ...string) bool {
	g := foldGroupWords(NormalizeName(group))
	if g == "" {
		return false
	}
	for _, n := range names {
		if n := foldGroupWords(NormalizeName(n)); strings.Contains(" "+n+" ", " "+g+" ") {
			return true
		}
	}
	return false
}

// groupWords are the spelled-out forms of the abbreviations SDOs use for
// their groups, so that "SG13" is seen in "ITU-T Study Group 13".
var groupWords = strings.NewReplacer(
	" study group ", " sg ",
	" working group ", " wg ",
	" technical committee ", " tc ",
	" technical specification group ", " tsg ",
)

// foldGroupWords abbreviates the group words of a normalised name.
func foldGroupWords(n string) string {
	if n == "" {
		return ""
	}
	return strings.TrimSpace(groupWords.Replace(" " + n + " "))
}

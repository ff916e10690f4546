package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// Relationship is the kind of liaison relationship the IETF has with a
// peer organization.
type Relationship string

// The relationship kinds.
const (
	// Formal: the IAB appointed one or more liaison managers for it.
	Formal Relationship = "formal"
	// Informal: no liaison manager; the IAB liaison coordinators handle
	// the organization's statements.
	Informal Relationship = "informal"
)

// Manager is one appointment of a liaison manager to a relationship.
// Since and Until are whole days in the configured time zone, both
// included; an appointment with an Until in the past is over, one with a
// Since in the future has not begun.
type Manager struct {
	liaison.Contact `yaml:",inline"`
	// Since is the first day of the appointment (zero: not stated).
	Since liaison.Date `yaml:"since"`
	// Until is the last day of the appointment (zero: it has not ended).
	Until liaison.Date `yaml:"until"`
}

// On reports whether the appointment is in force on day d. The zero day
// stands for "no date known": then every appointment without an end is.
func (m Manager) On(d liaison.Date) bool {
	if d.IsZero() {
		return m.Until.IsZero()
	}
	if !m.Since.IsZero() && d.Before(m.Since) {
		return false
	}
	return m.Until.IsZero() || !m.Until.Before(d)
}

// Scope says what a relationship covers: free text and the documents that
// define it (URLs).
type Scope struct {
	Text      string   `yaml:"text"`
	Documents []string `yaml:"documents"`
}

// Peer is the other side of a relationship: where the organization
// receives liaison statements, and the people to talk to.
type Peer struct {
	// Liaison are the organization's liaison addresses.
	Liaison []string `yaml:"liaison"`
	// Contacts are the organization's people for the relationship.
	Contacts []PeerContact `yaml:"contacts"`
}

// PeerContact is a person on the peer's side, with the part they play
// ("SG15 chair", "liaison rapporteur").
type PeerContact struct {
	liaison.Contact `yaml:",inline"`
	Role            string `yaml:"role"`
}

// Coordination configures the coordination notes between managers whose
// relationships send statements to the same group (the `coordination`
// section).
type Coordination struct {
	// Window is how far apart two statements from different organizations
	// to one group may have been received to count as overlapping work
	// (whole days; 0d disables coordination notes).
	Window Duration `yaml:"window"`
}

// ManagersOn returns the liaison managers appointed on day d (see
// Manager.On), each address once, in configuration order.
func (o *Organization) ManagersOn(d liaison.Date) []liaison.Contact {
	var out []liaison.Contact
	for _, m := range o.Managers {
		if m.Email != "" && m.On(d) && !liaison.HasAddress(out, m.Email) {
			out = append(out, m.Contact)
		}
	}
	return out
}

// ManagersAt returns the liaison managers appointed at t, whose day is
// taken in loc (UTC when nil); a zero t is the zero day (see Manager.On).
func (o *Organization) ManagersAt(t time.Time, loc *time.Location) []liaison.Contact {
	return o.ManagersOn(DayOf(t, loc))
}

// DayOf is the calendar day of t in loc (UTC when nil); the zero day for a
// zero t.
func DayOf(t time.Time, loc *time.Location) liaison.Date {
	if t.IsZero() {
		return liaison.Date{}
	}
	if loc == nil {
		loc = time.UTC
	}
	return liaison.DateOf(t.In(loc))
}

// Appointed reports whether addr was ever appointed a manager of the
// organization (whatever the dates).
func (o *Organization) Appointed(addr string) bool {
	for _, m := range o.Managers {
		if m.Email != "" && strings.EqualFold(m.Email, addr) {
			return true
		}
	}
	return false
}

// AppointmentDays returns the days on which one of the organization's
// appointments begins, or the day after one ends: the days its managers
// change without the file changing.
func (o *Organization) AppointmentDays() []liaison.Date {
	var out []liaison.Date
	for _, m := range o.Managers {
		if !m.Since.IsZero() {
			out = append(out, m.Since)
		}
		if !m.Until.IsZero() {
			out = append(out, m.Until.AddDays(1))
		}
	}
	return out
}

func (c *Config) setRelationshipDefaults() {
	for i := range c.Organizations {
		o := &c.Organizations[i]
		if o.Relationship == "" {
			o.Relationship = Informal
			if len(o.Managers) > 0 {
				o.Relationship = Formal
			}
		}
	}
	for i := range c.Groups {
		if c.Groups[i].Deliver == "" {
			c.Groups[i].Deliver = DeliverChairs
		}
	}
	if !c.has("coordination.window") {
		c.Coordination.Window = days(60)
	}
	if !c.has("deadlines.min_notice") {
		c.Deadlines.MinNotice = days(30)
	}
}

// validateRelationship checks an organization's relationship keys: its
// kind agrees with its managers, appointments have sensible dates and do
// not overlap for one person, documents are URLs and the peer's addresses
// are addresses.
func (c *Config) validateRelationship(v *checker, p string, o Organization) {
	v.oneOf(p+".relationship", string(o.Relationship), string(Formal), string(Informal))
	switch {
	case o.Relationship == Informal && len(o.Managers) > 0:
		v.errf(p+".managers", "an informal relationship has no liaison manager (the IAB liaison coordinators handle it): remove the managers or set relationship: formal")
	case o.Relationship == Formal && len(o.Managers) == 0:
		v.errf(p+".relationship", "a formal relationship has liaison managers appointed by the IAB: list them under managers (with until: once an appointment ended)")
	}
	for j, m := range o.Managers {
		mp := fmt.Sprintf("%s.managers[%d]", p, j)
		if v.required(mp+".email", m.Email) {
			v.address(mp+".email", m.Email)
		}
		if !m.Since.IsZero() && !m.Until.IsZero() && m.Until.Before(m.Since) {
			v.errf(mp+".until", "%s is before since (%s)", m.Until, m.Since)
		}
		for k := range j {
			if prev := o.Managers[k]; m.Email != "" && strings.EqualFold(prev.Email, m.Email) && overlap(prev, m) {
				v.errf(mp+".email", "%s is already appointed for an overlapping period (line %d); give the earlier appointment an until before this one's since",
					m.Email, lineFor(v.lines, fmt.Sprintf("%s.managers[%d]", p, k)))
				break
			}
		}
	}
	for j, d := range o.Scope.Documents {
		if u, err := url.Parse(d); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.errf(fmt.Sprintf("%s.scope.documents[%d]", p, j), "%q: want an absolute http(s) URL", d)
		}
	}
	for j, a := range o.Peer.Liaison {
		v.address(fmt.Sprintf("%s.peer.liaison[%d]", p, j), a)
	}
	for j, pc := range o.Peer.Contacts {
		cp := fmt.Sprintf("%s.peer.contacts[%d]", p, j)
		if strings.TrimSpace(pc.Name) == "" && pc.Email == "" {
			v.errf(cp, "a contact needs a name or an email")
		}
		v.address(cp+".email", pc.Email)
	}
}

// overlap reports whether two appointments share a day.
func overlap(a, b Manager) bool {
	// a ends before b begins, or b ends before a begins.
	if !a.Until.IsZero() && !b.Since.IsZero() && a.Until.Before(b.Since) {
		return false
	}
	if !b.Until.IsZero() && !a.Since.IsZero() && b.Until.Before(a.Since) {
		return false
	}
	return true
}

// Delivery is how a group receives the statements sent to it.
type Delivery string

// The delivery modes.
const (
	DeliverChairs Delivery = "chairs" // a notice to the chairs, who forward it to the list
	DeliverList   Delivery = "list"   // a short announcement to the group's list
	DeliverBoth   Delivery = "both"   // both
)

// ToChairs reports whether the chairs receive the statement's notice.
func (d Delivery) ToChairs() bool { return d != DeliverList }

// ToList reports whether the group's list receives an announcement.
func (d Delivery) ToList() bool { return d == DeliverList || d == DeliverBoth }

func (c *Config) validateCoordination(v *checker) {
	if _, whole := c.Coordination.Window.WholeDays(); !whole {
		v.errf("coordination.window", "%s: want a whole number of days, such as 60d (0d disables)", c.Coordination.Window)
	}
	if _, whole := c.Deadlines.MinNotice.WholeDays(); !whole {
		v.errf("deadlines.min_notice", "%s: want a whole number of days, such as 30d (0d disables)", c.Deadlines.MinNotice)
	}
}

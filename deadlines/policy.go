// Package deadlines is the follow-up policy of liaisond: given a recorded
// statement, the configuration and the time, which reminders, overdue
// notices and escalations are due, and when the statement must be looked at
// again. It is pure code: no clock, no store, no mail (the scheduler package
// drives it).
//
// Time rules:
//   - A deadline is a date; it ends at 23:59:59 in the configured zone
//     (liaison.Date.EndOf). The effective deadline (a manager's `delay`) wins
//     over the statement's own.
//   - Offsets in whole days are calendar days in that zone, so reminders keep
//     their local time of day across DST changes. Reminders and overdue
//     notices fall due at the start (00:00) of their day.
//   - After downtime only what is still useful is due, once: the latest
//     reminder whose time passed (none once the deadline passed), the latest
//     overdue notice, and each escalation once. Every action has a
//     deterministic period, so the outbox key (record, kind, recipient,
//     period) makes it send-once across restarts.
package deadlines

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// Kind is what an action sends; it is also the template name.
type Kind string

// The action kinds.
const (
	Reminder          Kind = "reminder"           // before the deadline, to managers and chairs
	Overdue           Kind = "overdue"            // after the deadline, to managers and chairs
	EscalationAck     Kind = "escalation-ack"     // not acknowledged in time, to the IAB
	EscalationOverdue Kind = "escalation-overdue" // overdue too long, to the IAB with the history
)

// Audience says who receives an action.
type Audience string

// The audiences.
const (
	// Handlers are the statement's liaison managers (the IAB coordinators
	// when it has none) and the chairs of its target groups.
	Handlers Audience = "handlers"
	// IAB are the IAB liaison coordinators.
	IAB Audience = "iab"
)

// Action is one mail due about a statement.
type Action struct {
	Kind Kind
	// Period makes the mail's outbox key unique per occurrence:
	// "reminder-7d/2027-03-15", "overdue-2/2027-03-15", "ack",
	// "escalate-overdue/2027-03-15" (the suffix is the effective deadline,
	// so moving the deadline starts its reminders afresh).
	Period string
	// At is when the action fell due.
	At       time.Time
	Audience Audience
	// Days describes the statement at the time of the plan (not when the
	// action fell due, so a mail sent after downtime says how things
	// stand): for a reminder, the days left until the deadline; for an
	// overdue notice or escalation, how many days late the statement is;
	// for the acknowledgement escalation, the days since it was received.
	Days int
	// N is an overdue notice's number (1..limit).
	N int
	// Deadline is the effective deadline the action is about.
	Deadline liaison.Date
	// Outgoing is set when the statement is the IETF's and the peer's
	// answer is awaited.
	Outgoing bool
}

// Plan is what is due now and when to look again.
type Plan struct {
	Actions []Action
	// Next is the earliest time something more may fall due; zero when
	// nothing ever will (answered, closed, every notice spent).
	Next time.Time
	// Why says, for logs, why the record needs nothing (empty otherwise).
	Why string
}

// Policy is the follow-up configuration in the form the rules need.
type Policy struct {
	// Reminders are offsets in days before the deadline, largest first.
	Reminders []int
	// OverdueEvery is the overdue cadence in days (at least 1).
	OverdueEvery int
	// OverdueLimit caps overdue notices.
	OverdueLimit int
	// AckWithin is the acknowledgement SLA (0 disables); whole days of it
	// are counted as calendar days.
	AckWithin time.Duration
	// EscalateAfter is the days overdue before the IAB is told (0
	// disables).
	EscalateAfter int
	// Loc is the zone deadlines end in.
	Loc *time.Location
}

// FromConfig builds the policy from a validated configuration.
func FromConfig(cfg *config.Config) Policy {
	p := Policy{OverdueLimit: cfg.Deadlines.OverdueLimit, AckWithin: cfg.Deadlines.AckWithin.D(), Loc: cfg.Location}
	for _, r := range cfg.Deadlines.Reminders {
		n, _ := r.WholeDays()
		p.Reminders = append(p.Reminders, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(p.Reminders)))
	p.OverdueEvery, _ = cfg.Deadlines.OverdueEvery.WholeDays()
	p.EscalateAfter, _ = cfg.Deadlines.EscalateAfter.WholeDays()
	if p.Loc == nil {
		p.Loc = time.UTC
	}
	return p
}

// StartOfDay is 00:00 on date d plus days calendar days, in loc.
func StartOfDay(d liaison.Date, days int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day+days, 0, 0, 0, 0, loc)
}

// AddCalendar adds d to t counting whole days as calendar days in loc (so
// "7d" after 09:00 is 09:00 a week later, DST or not) and the rest as
// elapsed time.
func AddCalendar(t time.Time, d time.Duration, loc *time.Location) time.Time {
	days := int(d / (24 * time.Hour))
	rest := d % (24 * time.Hour)
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc).Add(rest)
}

// Followed reports whether a record is one the policy follows up at all:
// an open, non-duplicate statement. why explains a false.
func Followed(r *liaison.Record) (ok bool, why string) {
	switch {
	case r.Extraction.Kind != liaison.KindStatement || !strings.HasPrefix(r.ID, "LS-"):
		return false, "not a statement"
	case r.DuplicateOf != "":
		return false, "duplicate of " + r.DuplicateOf
	case r.Answered != nil || r.State == liaison.StateAnswered:
		return false, "answered"
	case r.State != liaison.StateOpen:
		return false, string(r.State)
	}
	return true, ""
}

// ManagerHandles reports whether liaison managers handle the statement;
// otherwise (liaison.Routing.IABHandles: no manager appointed, unknown
// organization, or handed to the IAB by a manager) the IAB liaison
// coordinators handle it themselves and receive its reminders and overdue
// notices as its handlers.
func ManagerHandles(r *liaison.Record) bool { return !r.Routing.IABHandles() }

// AckDue is when the acknowledgement of a statement is due: ack_within
// after receipt, whole days counted as calendar days. ok is false when none
// is expected: the SLA is disabled, the statement is the IETF's own
// (outgoing), or the IAB handles it (iabHandles: liaison.IABHandles). The
// plan's acknowledgement escalation and the calendar's acknowledgement event
// both come from here.
func (p Policy) AckDue(received time.Time, outgoing, iabHandles bool) (at time.Time, ok bool) {
	if p.AckWithin <= 0 || outgoing || iabHandles {
		return time.Time{}, false
	}
	return AddCalendar(received, p.AckWithin, p.Loc), true
}

// Plan computes what is due about r at now.
//
// Escalations tell the IAB that a manager's statement needs it, so they are
// planned only for statements a manager handles (ManagerHandles): when the
// IAB handles the statement itself, its overdue notices already reach the
// IAB from the first day late, and an escalation on top would be a second
// mail about the same lateness in the same pass.
func (p Policy) Plan(r *liaison.Record, now time.Time) Plan {
	if ok, why := Followed(r); !ok {
		return Plan{Why: why}
	}
	var plan Plan
	later := func(t time.Time) {
		if t.After(now) && (plan.Next.IsZero() || t.Before(plan.Next)) {
			plan.Next = t
		}
	}
	outgoing := r.Extraction.Direction == liaison.Outgoing
	escalate := !outgoing && ManagerHandles(r)
	today := liaison.DateOf(now.In(p.Loc))

	// Acknowledgement SLA: incoming statements a manager handles.
	if at, ok := p.AckDue(r.Received, outgoing, r.Routing.IABHandles()); ok && r.Acked == nil {
		if !at.After(now) {
			plan.Actions = append(plan.Actions, Action{Kind: EscalationAck, Period: "ack", At: at, Audience: IAB,
				Days: daysBetween(liaison.DateOf(r.Received.In(p.Loc)), today)})
		} else {
			later(at)
		}
	}

	dl := r.EffectiveDeadline()
	if dl.IsZero() {
		return plan
	}
	end := dl.EndOf(p.Loc)
	suffix := "/" + dl.String()

	// Reminders: the latest one whose time passed after receipt, while the
	// deadline has not passed.
	if !now.After(end) {
		var due *Action
		for _, off := range p.Reminders { // largest first
			at := StartOfDay(dl, -off, p.Loc)
			if !at.After(r.Received) {
				continue // before the statement arrived: the notice covers it
			}
			if at.After(now) {
				later(at)
				continue
			}
			due = &Action{Kind: Reminder, Period: fmt.Sprintf("reminder-%dd%s", off, suffix), At: at, Audience: Handlers, Days: daysBetween(today, dl)}
		}
		if due != nil {
			plan.Actions = append(plan.Actions, *due)
		}
	}

	// Overdue notices: number k falls due at the start of day
	// deadline + 1 + (k-1)*every; only the latest passed one is due.
	if p.OverdueLimit > 0 && p.OverdueEvery > 0 {
		var due *Action
		for k := 1; k <= p.OverdueLimit; k++ {
			late := 1 + (k-1)*p.OverdueEvery
			at := StartOfDay(dl, late, p.Loc)
			if at.After(now) {
				later(at)
				break
			}
			if !at.After(r.Received) {
				continue // before the statement arrived: its notice said it was late
			}
			due = &Action{Kind: Overdue, Period: fmt.Sprintf("overdue-%d%s", k, suffix), At: at, Audience: Handlers, Days: daysBetween(dl, today), N: k}
		}
		if due != nil {
			plan.Actions = append(plan.Actions, *due)
		}
	}

	// Escalation of an incoming statement overdue too long.
	if p.EscalateAfter > 0 && escalate {
		late := 1 + p.EscalateAfter
		at := StartOfDay(dl, late, p.Loc)
		switch {
		case at.After(now):
			later(at)
		case !at.After(r.Received):
			// Already that late when it arrived (a backfill, or a peer's
			// statement sent after its own deadline): the notice covers it.
		default:
			plan.Actions = append(plan.Actions, Action{Kind: EscalationOverdue, Period: "escalate-overdue" + suffix, At: at, Audience: IAB, Days: daysBetween(dl, today)})
		}
	}
	for i := range plan.Actions {
		plan.Actions[i].Deadline = dl
		plan.Actions[i].Outgoing = outgoing
	}
	return plan
}

// daysBetween counts calendar days from a to b.
func daysBetween(a, b liaison.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

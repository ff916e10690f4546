package relations

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
)

// baselineFlag marks that appointments were recorded once: the first Sync
// of a database records them without mail (nobody was "newly" appointed
// by an upgrade).
const baselineFlag = "appointments-recorded"

// Change is one relationship whose managers changed.
type Change struct {
	Org string
	// Appointed took office, Ended left it.
	Appointed, Ended []liaison.Contact
	// Moved are the open statements, and those drafted here and not sent
	// yet, that changed hands.
	Moved []string
}

// Sync acts on the appointments in force at time at (see the package
// doc). It compares, for every configured organization, the managers
// appointed at at with those recorded by the last Sync; for each change it
// moves the relationship's open statements, and the statements drafted
// here to the organization and not sent yet (Unsent), to the managers now
// in office (routing.Router.Responsible: the IAB coordinators when nobody
// is), with a "responsibility" event on each and, for an open statement,
// a new look by the scheduler; queues one handover mail to each newly
// appointed manager listing those statements and one closing mail to each
// manager whose appointment ended,
// records both in the relationship's history, and records the new
// appointments. A second Sync with the same appointments does nothing; the
// mails' keys (organization and day) make them once even so.
func Sync(tx *store.Tx, s *settings.Snapshot, queue Queue, at time.Time) ([]Change, error) {
	cfg := s.Config
	baseline := !tx.SchedFlag(baselineFlag)
	var changes []Change
	var open, unsent map[string][]*liaison.Record // read once, when something changed
	for i := range cfg.Organizations {
		o := &cfg.Organizations[i]
		cur := o.ManagersAt(at, cfg.Location)
		prev, known, err := tx.Appointments(o.ID)
		if err != nil {
			return changes, err
		}
		ch := Change{Org: o.ID, Appointed: minus(cur, prev.Managers), Ended: minus(prev.Managers, cur)}
		if known && len(ch.Appointed) == 0 && len(ch.Ended) == 0 {
			continue
		}
		if !baseline {
			if open == nil {
				if open, err = openByOrg(tx, at); err != nil {
					return changes, err
				}
				if unsent, err = unsentByOrg(tx); err != nil {
					return changes, err
				}
			}
			if err := handOver(tx, s, queue, o, &ch, open[o.ID], unsent[o.ID], at); err != nil {
				return changes, fmt.Errorf("relations: hand over %s: %w", o.ID, err)
			}
			changes = append(changes, ch)
		}
		if err := tx.SetAppointments(o.ID, store.Appointments{Managers: cur, At: at}); err != nil {
			return changes, err
		}
	}
	// Organizations no longer configured: forget them (their statements
	// keep whoever handled them).
	var gone []string
	if err := tx.ForEachAppointments(func(org string, _ store.Appointments) error {
		if _, ok := cfg.Org(org); !ok {
			gone = append(gone, org)
		}
		return nil
	}); err != nil {
		return changes, err
	}
	for _, org := range gone {
		if err := tx.DeleteAppointments(org); err != nil {
			return changes, err
		}
	}
	if baseline {
		return nil, tx.SetSchedFlag(baselineFlag)
	}
	return changes, nil
}

// handOver moves the open and unsent statements of o to the managers in
// office at at, tells the people concerned and records the change.
func handOver(tx *store.Tx, s *settings.Snapshot, queue Queue, o *config.Organization, ch *Change, open, unsent []*liaison.Record, at time.Time) error {
	day := config.DayOf(at, s.Config.Location).String()
	for _, r := range slices.Concat(open, unsent) {
		rt, changed := s.Router.Responsible(r.Routing, at)
		if !changed {
			continue
		}
		draft := Unsent(r)
		if draft {
			// The IETF's own statement is never escalated, whoever has
			// it in hand (as outgoing.NewDraft routes it).
			rt.Escalate, rt.EscalationReason = r.Routing.Escalate, r.Routing.EscalationReason
		}
		was := r.Routing.Managers
		r.Routing = rt
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		ev := liaison.Event{At: at, Type: liaison.EventResponsibility,
			Detail: fmt.Sprintf("managers %s -> %s: the appointments for %s changed", emails(was), emails(rt.Managers), o.ID)}
		if err := tx.AddEvent(r.ID, ev); err != nil {
			return err
		}
		// Reminders, the open index and digests follow the new managers
		// from the scheduler's next look (a draft has none of them).
		if !draft {
			if err := tx.LookAgain(r.ID, at); err != nil {
				return err
			}
		}
		ch.Moved = append(ch.Moved, r.ID)
	}
	// Who took office gets the handover, who left the closing mail; the
	// history records each.
	for _, side := range []struct {
		people []liaison.Contact
		kind   notify.Kind
		event  liaison.EventType
		detail string
	}{
		{ch.Appointed, notify.KindHandover, liaison.EventAppointed, fmt.Sprintf("took office as liaison manager; %d open statements and %d not sent yet handed over", len(open), len(unsent))},
		{ch.Ended, notify.KindAppointmentEnded, liaison.EventAppointmentEnd, "left office as liaison manager; open statements now with " + orIAB(emails(o.ManagersAt(at, s.Config.Location)))},
	} {
		for _, m := range side.people {
			d := Data(s, o, m, open, unsent, at)
			d.Appointed, d.Former = ch.Appointed, ch.Ended
			if err := queue(relationshipMail(side.kind, m, liaison.RoleManager, o.ID+"/"+day, d)); err != nil {
				return err
			}
			if err := tx.AddRelationshipEvent(o.ID, liaison.Event{At: at, Type: side.event, Detail: m.String() + " " + side.detail}); err != nil {
				return err
			}
		}
	}
	return nil
}

// NextChange is the first moment after at when an appointment begins or
// ends (00:00 of that day in the configured zone), zero when none is
// ahead: the scheduler's pass must run then.
func NextChange(cfg *config.Config, at time.Time) time.Time {
	today := config.DayOf(at, cfg.Location)
	var next time.Time
	for i := range cfg.Organizations {
		for _, d := range cfg.Organizations[i].AppointmentDays() {
			if !today.Before(d) {
				continue
			}
			t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, cfg.Location)
			if next.IsZero() || t.Before(next) {
				next = t
			}
		}
	}
	return next
}

// minus returns the contacts of a whose address is not in b.
func minus(a, b []liaison.Contact) []liaison.Contact {
	var out []liaison.Contact
	for _, c := range a {
		if !liaison.HasAddress(b, c.Email) {
			out = append(out, c)
		}
	}
	return out
}

func emails(cs []liaison.Contact) string {
	var out []string
	for _, c := range cs {
		out = append(out, strings.ToLower(c.Email))
	}
	return strings.Join(out, ",")
}

func orIAB(s string) string {
	if s == "" {
		return "the IAB liaison coordinators"
	}
	return s
}

package deadlines

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func defaultPolicy(loc *time.Location) Policy {
	return Policy{Reminders: []int{14, 7, 3, 1, 0}, OverdueEvery: 7, OverdueLimit: 8, AckWithin: 7 * 24 * time.Hour, EscalateAfter: 7, Loc: loc}
}

// local parses "2006-01-02 15:04" in loc.
func local(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func date(t testing.TB, s string) liaison.Date {
	t.Helper()
	d, err := liaison.ParseISODate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// stmt is an open, routed, incoming statement with a manager.
func stmt(received time.Time, deadline liaison.Date) *liaison.Record {
	return &liaison.Record{
		ID: "LS-2027-0001", Received: received, State: liaison.StateOpen,
		Extraction: liaison.Extraction{Kind: liaison.KindStatement, Direction: liaison.Incoming, Purpose: liaison.PurposeAction, Deadline: deadline},
		Routing:    liaison.Routing{OrgID: "itu-t-sg15", Groups: []string{"ccamp"}, Managers: []liaison.Contact{{Name: "Jane", Email: "jane@example.org"}}},
	}
}

// summary renders a plan as "period@local-time ..." and "next=local-time".
func summary(p Plan, loc *time.Location) string {
	var parts []string
	for _, a := range p.Actions {
		parts = append(parts, fmt.Sprintf("%s@%s", a.Period, a.At.In(loc).Format("2006-01-02 15:04")))
	}
	next := "never"
	if !p.Next.IsZero() {
		next = p.Next.In(loc).Format("2006-01-02 15:04 MST")
	}
	return strings.Join(parts, " ") + " | next=" + next
}

func TestPlan(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	ny := mustLoc(t, "America/New_York")
	acked := func(r *liaison.Record) { r.Acked = &liaison.Action{At: r.Received, By: "jane@example.org"} }
	tests := []struct {
		name     string
		loc      *time.Location
		received string // local
		deadline string
		mutate   func(*liaison.Record)
		policy   func(*Policy)
		now      string // local
		want     string
	}{
		{"nothing due yet: next is the 14-day reminder", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-01-11 09:00",
			" | next=2027-03-17 00:00 CET"},
		{"paris: reminder before the DST change keeps local midnight", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-03-28 08:00",
			"reminder-3d/2027-03-31@2027-03-28 00:00 | next=2027-03-30 00:00 CEST"},
		{"paris: reminder after the DST change keeps local midnight", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-03-30 00:00",
			"reminder-1d/2027-03-31@2027-03-30 00:00 | next=2027-03-31 00:00 CEST"},
		{"new york: DST ends between 3d and 1d reminders", ny, "2027-09-01 10:00", "2027-11-10", acked, nil, "2027-11-07 09:00",
			"reminder-3d/2027-11-10@2027-11-07 00:00 | next=2027-11-09 00:00 EST"},
		{"deadline day: 0d reminder, then overdue next day", ny, "2027-09-01 10:00", "2027-11-10", acked, nil, "2027-11-10 23:59",
			"reminder-0d/2027-11-10@2027-11-10 00:00 | next=2027-11-11 00:00 EST"},
		{"downtime: only the latest missed reminder", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-03-29 12:00",
			"reminder-3d/2027-03-31@2027-03-28 00:00 | next=2027-03-30 00:00 CEST"},
		{"reminders before receipt are skipped", paris, "2027-03-26 10:00", "2027-03-31", acked, nil, "2027-03-26 11:00",
			" | next=2027-03-28 00:00 CET"},
		{"first overdue notice the day after", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-04-01 00:00",
			"overdue-1/2027-03-31@2027-04-01 00:00 | next=2027-04-08 00:00 CEST"},
		{"overdue escalation with the second notice", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-04-08 07:00",
			"overdue-2/2027-03-31@2027-04-08 00:00 escalate-overdue/2027-03-31@2027-04-08 00:00 | next=2027-04-15 00:00 CEST"},
		{"downtime after the deadline: one overdue notice", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-04-25 07:00",
			"overdue-4/2027-03-31@2027-04-22 00:00 escalate-overdue/2027-03-31@2027-04-08 00:00 | next=2027-04-29 00:00 CEST"},
		{"received 20 days late: earlier overdue notices and the escalation are covered by the notice", paris, "2027-04-20 10:00", "2027-03-31", acked, nil, "2027-04-20 11:00",
			" | next=2027-04-22 00:00 CEST"},
		{"received 20 days late: later overdue notices still come", paris, "2027-04-20 10:00", "2027-03-31", acked, nil, "2027-04-22 07:00",
			"overdue-4/2027-03-31@2027-04-22 00:00 | next=2027-04-29 00:00 CEST"},
		{"backfill of a statement long past its overdue window: nothing", paris, "2027-12-01 10:00", "2027-03-31", acked, nil, "2027-12-02 07:00",
			" | next=never"},
		{"overdue limit reached: nothing more to look at", paris, "2027-01-10 10:00", "2027-03-31", acked, nil, "2027-12-01 07:00",
			"overdue-8/2027-03-31@2027-05-20 00:00 escalate-overdue/2027-03-31@2027-04-08 00:00 | next=never"},
		{"custom cadence and limit", paris, "2027-01-10 10:00", "2027-03-31", acked, func(p *Policy) { p.OverdueEvery, p.OverdueLimit, p.EscalateAfter = 2, 2, 0 }, "2027-04-03 12:00",
			"overdue-2/2027-03-31@2027-04-03 00:00 | next=never"},
		{"no overdue notices with limit 0", paris, "2027-01-10 10:00", "2027-03-31", acked, func(p *Policy) { p.OverdueLimit = 0 }, "2027-04-03 12:00",
			" | next=2027-04-08 00:00 CEST"},
		{"ack escalation after 7 calendar days, across DST", paris, "2027-03-25 09:30", "", nil, nil, "2027-04-01 09:30",
			"ack@2027-04-01 09:30 | next=never"},
		{"not yet unacknowledged for 7 days", paris, "2027-03-25 09:30", "", nil, nil, "2027-04-01 09:29",
			" | next=2027-04-01 09:30 CEST"},
		{"acknowledged: no ack escalation", paris, "2027-03-25 09:30", "", acked, nil, "2027-05-01 09:30",
			" | next=never"},
		{"escalated to the IAB at once: no ack escalation", paris, "2027-03-25 09:30", "", func(r *liaison.Record) {
			r.Routing.Escalate, r.Routing.Managers, r.Routing.NoManager = true, nil, true
		}, nil, "2027-05-01 09:30", " | next=never"},
		{"no manager: the IAB handles it, overdue notices and no escalation on top", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			r.Routing.Escalate, r.Routing.Managers, r.Routing.NoManager = true, nil, true
		}, nil, "2027-04-08 07:00", "overdue-2/2027-03-31@2027-04-08 00:00 | next=2027-04-15 00:00 CEST"},
		{"handed to the IAB with managers kept: no escalation either", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			r.Routing.Escalate = true
		}, nil, "2027-04-25 07:00", "overdue-4/2027-03-31@2027-04-22 00:00 | next=2027-04-29 00:00 CEST"},
		{"answered stops everything", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			r.State, r.Answered = liaison.StateAnswered, &liaison.Action{By: "jane@example.org", Ref: "LS-2027-0099"}
		}, nil, "2027-04-10 00:00", " | next=never"},
		{"closed gets nothing", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) { r.State = liaison.StateClosed }, nil, "2027-04-10 00:00",
			" | next=never"},
		{"duplicate gets nothing", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) { r.DuplicateOf = "LS-2027-0000" }, nil, "2027-04-10 00:00",
			" | next=never"},
		{"delayed deadline: reminders start afresh for the new date", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			acked(r)
			r.InternalDeadline = liaison.Date{Year: 2027, Month: 4, Day: 30}
		}, nil, "2027-04-10 00:00", " | next=2027-04-16 00:00 CEST"},
		{"delayed deadline: latest reminder for the new date", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			acked(r)
			r.InternalDeadline = liaison.Date{Year: 2027, Month: 4, Day: 30}
		}, nil, "2027-04-24 00:00", "reminder-7d/2027-04-30@2027-04-23 00:00 | next=2027-04-27 00:00 CEST"},
		{"outgoing: reminders for the peer's answer, no escalations", paris, "2027-01-10 10:00", "2027-03-31", func(r *liaison.Record) {
			r.Extraction.Direction = liaison.Outgoing
		}, nil, "2027-04-09 00:00", "overdue-2/2027-03-31@2027-04-08 00:00 | next=2027-04-15 00:00 CEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var dl liaison.Date
			if tc.deadline != "" {
				dl = date(t, tc.deadline)
			}
			r := stmt(local(t, tc.loc, tc.received), dl)
			if tc.mutate != nil {
				tc.mutate(r)
			}
			p := defaultPolicy(tc.loc)
			if tc.policy != nil {
				tc.policy(&p)
			}
			got := summary(p.Plan(r, local(t, tc.loc, tc.now)), tc.loc)
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// An action's Days describe the statement when the plan is made, so a mail
// composed after downtime does not say "overdue 8 days" of a statement 22
// days late.
func TestPlanDaysDescribeNow(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	p := defaultPolicy(paris)
	r := stmt(local(t, paris, "2027-01-10 10:00"), date(t, "2027-03-31"))
	tests := []struct {
		now  string
		want string // kind:days ...
	}{
		{"2027-03-17 09:00", "escalation-ack:66 reminder:14"},
		{"2027-03-19 09:00", "escalation-ack:68 reminder:12"}, // the 14-day reminder, two days late
		{"2027-03-31 18:00", "escalation-ack:80 reminder:0"},
		{"2027-04-08 00:00", "escalation-ack:88 overdue:8 escalation-overdue:8"},
		{"2027-04-22 09:00", "escalation-ack:102 overdue:22 escalation-overdue:22"},
	}
	for _, tc := range tests {
		var got []string
		for _, a := range p.Plan(r, local(t, paris, tc.now)).Actions {
			got = append(got, fmt.Sprintf("%s:%d", a.Kind, a.Days))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("at %s: got %q, want %q", tc.now, g, tc.want)
		}
	}
}

// TestPlanDayByDay walks a statement through every day of its life and
// checks the cadence: each reminder and notice is due on exactly one day's
// pass, in order, and the next-look time always names the next action.
func TestPlanDayByDay(t *testing.T) {
	for _, zone := range []string{"Europe/Paris", "America/New_York", "UTC"} {
		t.Run(zone, func(t *testing.T) {
			loc := mustLoc(t, zone)
			p := defaultPolicy(loc)
			r := stmt(local(t, loc, "2027-02-20 15:00"), date(t, "2027-03-20"))
			sent := map[string]time.Time{}
			var order []string
			now := local(t, loc, "2027-02-20 16:00")
			for day := 0; day < 120; day++ {
				plan := p.Plan(r, now)
				for _, a := range plan.Actions {
					if _, dup := sent[a.Period]; !dup {
						sent[a.Period] = now
						order = append(order, a.Period)
					}
				}
				if !plan.Next.IsZero() && !plan.Next.After(now) {
					t.Fatalf("next %s is not after now %s", plan.Next, now)
				}
				now = AddCalendar(now, 24*time.Hour, loc)
			}
			want := "ack reminder-14d/2027-03-20 reminder-7d/2027-03-20 reminder-3d/2027-03-20 reminder-1d/2027-03-20 reminder-0d/2027-03-20 " +
				"overdue-1/2027-03-20 overdue-2/2027-03-20 escalate-overdue/2027-03-20 overdue-3/2027-03-20 overdue-4/2027-03-20 overdue-5/2027-03-20 " +
				"overdue-6/2027-03-20 overdue-7/2027-03-20 overdue-8/2027-03-20"
			if got := strings.Join(order, " "); got != want {
				t.Errorf("order\n got %s\nwant %s", got, want)
			}
			// Each is first seen on its own day, at the 16:00 pass.
			for period, at := range sent {
				if at.In(loc).Hour() != 16 {
					t.Errorf("%s first due at %s", period, at.In(loc))
				}
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	weekly := Schedule{Weekday: time.Monday, Hour: 7, Loc: paris}
	daily := Schedule{Daily: true, Hour: 7, Minute: 30, Loc: paris}
	tests := []struct {
		name   string
		s      Schedule
		now    string
		slot   string // local time and period
		useful bool
		next   string
	}{
		{"monday after the slot", weekly, "2027-03-29 07:00", "2027-03-29 07:00 CEST 2027-W13", true, "2027-04-05 07:00 CEST"},
		{"monday before the slot", weekly, "2027-03-29 06:59", "2027-03-22 07:00 CET 2027-W12", false, "2027-03-29 07:00 CEST"},
		{"sunday: last week's slot is stale", weekly, "2027-03-28 23:00", "2027-03-22 07:00 CET 2027-W12", false, "2027-03-29 07:00 CEST"},
		{"thursday morning: still within half a week", weekly, "2027-04-01 18:00", "2027-03-29 07:00 CEST 2027-W13", true, "2027-04-05 07:00 CEST"},
		{"year boundary uses the ISO week", weekly, "2027-01-04 08:00", "2027-01-04 07:00 CET 2027-W01", true, "2027-01-11 07:00 CET"},
		{"daily before the slot", daily, "2027-03-28 07:00", "2027-03-27 07:30 CET 2027-03-27", false, "2027-03-28 07:30 CEST"},
		{"daily after the slot", daily, "2027-03-28 09:00", "2027-03-28 07:30 CEST 2027-03-28", true, "2027-03-29 07:30 CEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := local(t, paris, tc.now)
			slot, useful := tc.s.Current(now)
			if got := slot.At.In(paris).Format("2006-01-02 15:04 MST") + " " + slot.Period; got != tc.slot || useful != tc.useful {
				t.Errorf("Current = %q useful=%v, want %q useful=%v", got, useful, tc.slot, tc.useful)
			}
			if got := tc.s.Next(now).At.In(paris).Format("2006-01-02 15:04 MST"); got != tc.next {
				t.Errorf("Next = %q, want %q", got, tc.next)
			}
		})
	}
}

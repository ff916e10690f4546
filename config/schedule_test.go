package config

import (
	"slices"
	"testing"
	"time"
)

func TestScheduleDiagnostics(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"fractional reminder", head + "deadlines:\n  reminders: [7d, 1d12h]\n",
			"t.yaml:4: deadlines.reminders[1]: 36h0m0s: reminders are whole days before the deadline, such as 7d or 0d"},
		{"duplicate reminder", head + "deadlines:\n  reminders:\n    - 7d\n    - 3d\n    - 7d\n",
			"t.yaml:7: deadlines.reminders[2]: 7d is listed twice (first at line 5)"},
		{"zero cadence", head + "deadlines:\n  overdue_every: 0d\n",
			"t.yaml:4: deadlines.overdue_every: 0s: want a whole number of days, at least 1d"},
		{"hourly cadence", head + "deadlines:\n  overdue_every: 36h\n",
			"t.yaml:4: deadlines.overdue_every: 36h0m0s: want a whole number of days, at least 1d"},
		{"negative limit", head + "deadlines:\n  overdue_limit: -1\n",
			"t.yaml:4: deadlines.overdue_limit: must not be negative"},
		{"not an integer limit", head + "deadlines:\n  overdue_limit: many\n",
			"t.yaml:4: deadlines.overdue_limit: want an integer, got a string"},
		{"fractional escalation", head + "deadlines:\n  escalate_after: 12h\n",
			"t.yaml:4: deadlines.escalate_after: 12h0m0s: want a whole number of days, such as 7d (0d disables)"},
		{"unknown key", head + "deadlines:\n  reminder: [7d]\n",
			`t.yaml:4: deadlines.reminder: unknown key (did you mean "reminders"?)`},
		{"bad day", head + "digest:\n  schedule: Mnday 07:00\n",
			`t.yaml:4: digest.schedule: "Mnday 07:00": unknown day "Mnday" (want Mon, Tue, ..., Sun or daily)`},
		{"bad time", head + "digest:\n  schedule: Mon 7h\n",
			`t.yaml:4: digest.schedule: "Mon 7h": bad time "7h" (want HH:MM, 24-hour)`},
		{"hour out of range", head + "digest:\n  schedule: Mon 24:00\n",
			`t.yaml:4: digest.schedule: "Mon 24:00": bad time "24:00" (want HH:MM, 24-hour)`},
		{"no time", head + "digest:\n  schedule: Monday\n",
			`t.yaml:4: digest.schedule: "Monday": want "DAY HH:MM" such as "Mon 07:00", or "daily HH:MM"`},
		{"send_empty not a bool", head + "digest:\n  send_empty: sometimes\n",
			"t.yaml:4: digest.send_empty: want true or false, got a string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("got\n%s\nwant\n%s", err, tc.want)
			}
		})
	}
}

func TestScheduleDefaultsAndValues(t *testing.T) {
	d := func(n int) Duration { return Duration(time.Duration(n) * 24 * time.Hour) }
	tests := []struct {
		name, yaml    string
		reminders     []Duration
		every         Duration
		limit         int
		ack, escalate Duration
		daily         bool
		weekday       time.Weekday
		hour, minute  int
		sendEmpty     bool
	}{
		{"defaults", head, []Duration{d(14), d(7), d(3), d(1), d(0)}, d(7), 8, d(7), d(7), false, time.Monday, 7, 0, false},
		{"explicit", head + "deadlines:\n  reminders: [10d, 2d]\n  overdue_every: 1d\n  overdue_limit: 0\n  ack_within: 36h\n  escalate_after: 0d\ndigest:\n  schedule: friday 16:30\n  send_empty: true\n",
			[]Duration{d(10), d(2)}, d(1), 0, Duration(36 * time.Hour), 0, false, time.Friday, 16, 30, true},
		{"daily digest, no reminders", head + "deadlines:\n  reminders: []\ndigest: {schedule: daily 06:05}\n",
			nil, d(7), 8, d(7), d(7), true, time.Sunday, 6, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			dl, dg := c.Deadlines, c.Digest
			if !slices.Equal(dl.Reminders, tc.reminders) || dl.OverdueEvery != tc.every || dl.OverdueLimit != tc.limit || dl.AckWithin != tc.ack || dl.EscalateAfter != tc.escalate {
				t.Errorf("deadlines = %+v", dl)
			}
			if dg.Daily != tc.daily || !tc.daily && dg.Weekday != tc.weekday || dg.Hour != tc.hour || dg.Minute != tc.minute || dg.SendEmpty != tc.sendEmpty {
				t.Errorf("digest = %+v", dg)
			}
		})
	}
}

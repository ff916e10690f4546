package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Deadlines configures reminders, overdue notices and escalations (the
// `deadlines` section). Whole-day values are counted in calendar days in
// the configured time zone, so DST changes do not shift them.
type Deadlines struct {
	// Reminders are sent this long before a statement's deadline (whole
	// days; 0d is the deadline day itself).
	Reminders []Duration `yaml:"reminders"`
	// OverdueEvery is the cadence of overdue notices (whole days).
	OverdueEvery Duration `yaml:"overdue_every"`
	// OverdueLimit caps the number of overdue notices (0: none are sent).
	OverdueLimit int `yaml:"overdue_limit"`
	// AckWithin is how long after receipt a routed statement may stay
	// unacknowledged before the IAB is told (0 disables).
	AckWithin Duration `yaml:"ack_within"`
	// EscalateAfter is how long a statement may be overdue before the IAB is
	// told, with its history (whole days; 0 disables).
	EscalateAfter Duration `yaml:"escalate_after"`
	// MinNotice is the least time a peer should allow between sending a
	// statement and its deadline; a statement received with less is
	// flagged (whole days; 0d disables).
	MinNotice Duration `yaml:"min_notice"`
}

// Digest configures the per-manager digest and the weekly IAB overview
// (the `digest` section).
type Digest struct {
	// Schedule is "Mon 07:00" (weekly) or "daily 07:00", local time in the
	// configured time zone.
	Schedule string `yaml:"schedule"`
	// SendEmpty sends a digest even when there is nothing to say.
	SendEmpty bool `yaml:"send_empty"`

	// Daily is set for a "daily HH:MM" schedule; Weekday is the day of a
	// weekly one; Hour and Minute the local time. Set by validation.
	Daily        bool         `yaml:"-"`
	Weekday      time.Weekday `yaml:"-"`
	Hour, Minute int          `yaml:"-"`
}

// DefaultReminders are the reminder offsets used when the file gives none.
var DefaultReminders = []Duration{days(14), days(7), days(3), days(1), days(0)}

func days(n int) Duration { return Duration(time.Duration(n) * 24 * time.Hour) }

// WholeDays returns d as a number of days and whether it is a whole number.
func (d Duration) WholeDays() (int, bool) {
	td := time.Duration(d)
	return int(td / (24 * time.Hour)), td%(24*time.Hour) == 0
}

func (c *Config) setScheduleDefaults() {
	d := &c.Deadlines
	if !c.has("deadlines.reminders") {
		d.Reminders = slices.Clone(DefaultReminders)
	}
	if !c.has("deadlines.overdue_every") {
		d.OverdueEvery = days(7)
	}
	if !c.has("deadlines.overdue_limit") {
		d.OverdueLimit = 8
	}
	if !c.has("deadlines.ack_within") {
		d.AckWithin = days(7)
	}
	if !c.has("deadlines.escalate_after") {
		d.EscalateAfter = days(7)
	}
	if c.Digest.Schedule == "" {
		c.Digest.Schedule = "Mon 07:00"
	}
}

func (c *Config) validateSchedule(v *checker) {
	d := &c.Deadlines
	seen := map[Duration]string{}
	for i, r := range d.Reminders {
		p := fmt.Sprintf("deadlines.reminders[%d]", i)
		if _, whole := r.WholeDays(); !whole {
			v.errf(p, "%s: reminders are whole days before the deadline, such as 7d or 0d", r)
			continue
		}
		if first, dup := seen[r]; dup {
			v.errf(p, "%s is listed twice (first at line %d)", r, lineFor(v.lines, first))
			continue
		}
		seen[r] = p
	}
	if n, whole := d.OverdueEvery.WholeDays(); !whole || n < 1 {
		v.errf("deadlines.overdue_every", "%s: want a whole number of days, at least 1d", d.OverdueEvery)
	}
	if d.OverdueLimit < 0 {
		v.errf("deadlines.overdue_limit", "must not be negative")
	}
	if _, whole := d.EscalateAfter.WholeDays(); !whole {
		v.errf("deadlines.escalate_after", "%s: want a whole number of days, such as 7d (0d disables)", d.EscalateAfter)
	}
	dg := &c.Digest
	if err := dg.parseSchedule(); err != nil {
		v.errf("digest.schedule", "%q: %v", dg.Schedule, err)
	}
}

// weekdays maps day names and three-letter abbreviations, lower case.
var weekdays = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		n := strings.ToLower(d.String())
		m[n], m[n[:3]] = d, d
	}
	return m
}()

// parseSchedule reads "Mon 07:00", "monday 7:00" or "daily 07:00".
func (dg *Digest) parseSchedule() error {
	f := strings.Fields(dg.Schedule)
	if len(f) != 2 {
		return fmt.Errorf(`want "DAY HH:MM" such as "Mon 07:00", or "daily HH:MM"`)
	}
	day := strings.ToLower(f[0])
	if day == "daily" {
		dg.Daily = true
	} else {
		wd, ok := weekdays[day]
		if !ok {
			return fmt.Errorf("unknown day %q (want Mon, Tue, ..., Sun or daily)", f[0])
		}
		dg.Weekday = wd
	}
	hh, mm, ok := strings.Cut(f[1], ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(mm) != 2 {
		return fmt.Errorf("bad time %q (want HH:MM, 24-hour)", f[1])
	}
	dg.Hour, dg.Minute = h, m
	return nil
}

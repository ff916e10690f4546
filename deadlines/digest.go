package deadlines

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/config"
)

// Slot is one occurrence of the digest schedule.
type Slot struct {
	// At is when the slot falls (local schedule time in the zone).
	At time.Time
	// Period names the slot for send-once keys: the ISO week ("2027-W09")
	// for a weekly schedule, the date ("2027-03-01") for a daily one.
	Period string
	// Week is the ISO week of the slot, the IAB overview's period.
	Week string
}

// Schedule is the digest schedule in a zone.
type Schedule struct {
	Daily        bool
	Weekday      time.Weekday
	Hour, Minute int
	Loc          *time.Location
}

// ScheduleFromConfig builds the digest schedule from a validated config.
func ScheduleFromConfig(cfg *config.Config) Schedule {
	d := cfg.Digest
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	return Schedule{Daily: d.Daily, Weekday: d.Weekday, Hour: d.Hour, Minute: d.Minute, Loc: loc}
}

func (s Schedule) step() int {
	if s.Daily {
		return 1
	}
	return 7
}

func (s Schedule) slotOn(y int, m time.Month, d int) Slot {
	at := time.Date(y, m, d, s.Hour, s.Minute, 0, 0, s.Loc)
	wy, wn := at.ISOWeek()
	week := fmt.Sprintf("%04d-W%02d", wy, wn)
	period := week
	if s.Daily {
		period = at.Format("2006-01-02")
	}
	return Slot{At: at, Period: period, Week: week}
}

// Current returns the latest slot at or before now, and whether it is still
// worth sending: a slot missed by more than half a period (the daemon was
// down) is skipped rather than sent late.
func (s Schedule) Current(now time.Time) (Slot, bool) {
	l := now.In(s.Loc)
	back := 0
	if !s.Daily {
		back = (int(l.Weekday()) - int(s.Weekday) + 7) % 7
	}
	slot := s.slotOn(l.Year(), l.Month(), l.Day()-back)
	if slot.At.After(now) {
		a := slot.At
		slot = s.slotOn(a.Year(), a.Month(), a.Day()-s.step())
	}
	grace := time.Duration(s.step()) * 12 * time.Hour
	return slot, now.Sub(slot.At) <= grace
}

// Next returns the first slot strictly after now.
func (s Schedule) Next(now time.Time) Slot {
	cur, _ := s.Current(now)
	a := cur.At
	return s.slotOn(a.Year(), a.Month(), a.Day()+s.step())
}

// Previous returns the slot before sl.
func (s Schedule) Previous(sl Slot) Slot {
	a := sl.At
	return s.slotOn(a.Year(), a.Month(), a.Day()-s.step())
}

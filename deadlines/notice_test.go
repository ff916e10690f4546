package deadlines

import (
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

func TestShortNotice(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	received := time.Date(2027, 3, 1, 16, 0, 0, 0, time.UTC) // March 2nd in Tokyo
	rec := func(deadline string, dir liaison.Direction) *liaison.Record {
		r := &liaison.Record{Received: received, Extraction: liaison.Extraction{Direction: dir}}
		if deadline != "" {
			r.Extraction.Deadline, _ = liaison.ParseISODate(deadline)
		}
		return r
	}
	month := config.Duration(30 * 24 * time.Hour)
	tests := []struct {
		name  string
		r     *liaison.Record
		min   config.Duration
		loc   *time.Location
		days  int
		short bool
	}{
		{"two weeks", rec("2027-03-15", liaison.Incoming), month, time.UTC, 14, true},
		{"counted in the configured zone", rec("2027-03-15", liaison.Incoming), month, tokyo, 13, true},
		{"exactly the minimum", rec("2027-03-31", liaison.Incoming), month, time.UTC, 30, false},
		{"already past", rec("2027-02-20", liaison.Incoming), month, time.UTC, -9, true},
		{"no deadline", rec("", liaison.Incoming), month, time.UTC, 0, false},
		{"the IETF's own statement", rec("2027-03-15", liaison.Outgoing), month, time.UTC, 0, false},
		{"disabled", rec("2027-03-15", liaison.Incoming), 0, time.UTC, 14, false},
	}
	for _, tt := range tests {
		days, short := ShortNotice(tt.r, tt.min, tt.loc)
		if days != tt.days || short != tt.short {
			t.Errorf("%s: ShortNotice = %d, %v; want %d, %v", tt.name, days, short, tt.days, tt.short)
		}
	}
}

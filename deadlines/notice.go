package deadlines

import (
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// ShortNotice reports whether an incoming statement's own deadline leaves
// less than minNotice (deadlines.min_notice) after its receipt, and how many
// calendar days (in loc) it leaves. A statement without a deadline, an
// outgoing one or a minNotice of zero is never short notice. The internal
// deadline a manager set does not count: the question is what the peer
// allowed.
func ShortNotice(r *liaison.Record, minNotice config.Duration, loc *time.Location) (days int, short bool) {
	dl := r.Extraction.Deadline
	if dl.IsZero() || r.Received.IsZero() || r.Extraction.Direction == liaison.Outgoing {
		return 0, false
	}
	want, _ := minNotice.WholeDays()
	days = config.DayOf(r.Received, loc).DaysTo(dl)
	return days, want > 0 && days < want
}

package templates

import (
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// The follow-up mail kinds (sent by the scheduler).
const (
	Reminder          = "reminder"
	Overdue           = "overdue"
	EscalationAck     = "escalation-ack"
	EscalationOverdue = "escalation-overdue"
	Digest            = "digest"
	IABOverview       = "iab-overview"
)

func init() {
	moreKinds = append(moreKinds, Reminder, Overdue, EscalationAck, EscalationOverdue, Digest, IABOverview)
}

// FollowUpData is what the reminder, overdue, escalation-ack and
// escalation-overdue templates receive.
type FollowUpData struct {
	NoticeData
	// Days is the reminder's offset (days before the deadline) or how many
	// days late the statement is.
	Days int
	// N is the overdue notice's number and Limit the most that are sent.
	N, Limit int
	// Deadline is the effective deadline (YYYY-MM-DD) and DeadlineIn its
	// distance from today ("in 3 days", "2 days late").
	Deadline, DeadlineIn string
	// OriginalDeadline is the statement's own deadline when a manager moved
	// it ("" otherwise).
	OriginalDeadline string
	// Outgoing is set when the statement is the IETF's and the peer's answer
	// is awaited.
	Outgoing bool
	// Acked says who acknowledged the statement and when ("" when nobody).
	Acked string
	// History is the statement's event history, one line per event.
	History []string
}

// DigestItem is one statement in a digest or overview, ready to print.
type DigestItem struct {
	ID, Title, FromOrg string
	// Deadline is the effective deadline or ""; DeadlineIn is relative to
	// the digest's time.
	Deadline, DeadlineIn string
	Overdue              bool
	Received             string
	Groups               []string
	Acked                bool
	// Direction is "incoming" or "outgoing" (an IETF statement whose
	// answer is awaited).
	Direction string
	// NoticeDays is how many days after receipt the peer set the deadline
	// (set in the lists of short-notice statements only).
	NoticeDays int
}

// Item flattens a record for a digest. loc is the configured zone; now the
// digest's time.
func Item(r *liaison.Record, loc *time.Location, now time.Time) DigestItem {
	if loc == nil {
		loc = time.UTC
	}
	it := DigestItem{ID: line(r.ID), Title: line(r.Extraction.Title), Groups: lines(r.Routing.Groups), Acked: r.Acked != nil, Direction: string(r.Extraction.Direction)}
	if it.Title == "" {
		it.Title = line(r.Extraction.Subject)
	}
	switch {
	case r.Routing.OrgName != "":
		it.FromOrg = line(r.Routing.OrgName)
	case r.Routing.OrgID != "":
		it.FromOrg = line(r.Routing.OrgID)
	default:
		it.FromOrg = orDefault("an unidentified organization", line(r.Extraction.FromOrgText))
	}
	if d := r.EffectiveDeadline(); !d.IsZero() {
		it.Deadline = d.String()
		days := daysBetween(liaison.DateOf(now.In(loc)), d)
		it.DeadlineIn, it.Overdue = DaysText(days), days < 0
	}
	if !r.Received.IsZero() {
		it.Received = r.Received.In(loc).Format("2006-01-02")
	}
	return it
}

// DigestData is what the digest template receives: one manager's
// statements.
type DigestData struct {
	LiaisonAddress string
	IAB, Recipient liaison.Contact
	// Period names the digest ("2027-W09"); Since is the previous digest's
	// date (YYYY-MM-DD).
	Period, Since string
	// New are the statements received since the previous digest; Overdue
	// and Open (not overdue, by deadline, then those without one) are every
	// open statement; OpenTotal counts both.
	New, Overdue, Open []DigestItem
	OpenTotal          int
	// Others are other relationships' statements to the manager's groups
	// (those of Overdue and Open) received within coordination.window.
	Others  []OverlapItem
	BaseURL string
}

// RelationshipRow is one liaison relationship in the IAB overview.
type RelationshipRow struct {
	ID, Name string
	// Managers is "" for a relationship without a liaison manager.
	Managers      string
	Open, Overdue int
}

// OverviewData is what the iab-overview template receives.
type OverviewData struct {
	LiaisonAddress string
	Recipient      liaison.Contact
	// Period is the ISO week ("2027-W09").
	Period string
	// Relationships lists every configured organization (and "unknown" for
	// unattributed statements) with open and overdue counts.
	Relationships []RelationshipRow
	// Open and OverdueCount are the totals.
	Open, OverdueCount int
	// ManagerLess are the open statements of relationships without a
	// manager; Unacked the open statements nobody acknowledged; Overdue
	// every overdue statement; ShortNotice the open statements whose peer
	// allowed less than deadlines.min_notice (MinNoticeDays) to answer.
	ManagerLess, Unacked, Overdue, ShortNotice []DigestItem
	MinNoticeDays                              int
	BaseURL                                    string
}

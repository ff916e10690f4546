package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// StatusAt is the statement's status at now (liaison.StatusOf with its
// effective deadline): the same word the record's view carries.
func (s *Summary) StatusAt(loc *time.Location, now time.Time) liaison.Status {
	return liaison.StatusOf(s.State, s.EffectiveDeadline(), loc, now)
}

// SelectStates are the values of Selection.State: a status ("open"
// includes the overdue ones), a routing flag, or all.
var SelectStates = []string{"open", "overdue", "answered", "unrouted", "misdirected", "failed", "closed", "draft", "all"}

// Selection says which statements a list shows: the web list, the API and
// `liaisond list` select with it, so they agree. Empty fields select
// everything.
type Selection struct {
	// State is one of SelectStates ("" means all).
	State string
	// Org is an organization id, or the organization as written when the
	// statement was not routed to one (case-insensitive).
	Org string
	// Group is a routed group id.
	Group string
	// Manager is an address among the statement's routed managers
	// (case-insensitive); for a statement without a manager routing names
	// the IAB liaison coordinators there, so their address selects those.
	Manager string
	// Purpose is a liaison.Purpose.
	Purpose string
}

// Check reports an unknown state.
func (q Selection) Check() error {
	if q.State != "" && !slices.Contains(SelectStates, q.State) {
		return fmt.Errorf("unknown state %q (want one of %s)", q.State, strings.Join(SelectStates, ", "))
	}
	return nil
}

// Matches reports whether the summary is selected at now (deadlines end in
// loc).
func (q Selection) Matches(s *Summary, loc *time.Location, now time.Time) bool {
	switch q.State {
	case "", "all":
	case "overdue":
		if s.StatusAt(loc, now) != liaison.StatusOverdue {
			return false
		}
	case "misdirected":
		if !s.Misdirected {
			return false
		}
	case "unrouted":
		if len(s.Groups) > 0 || s.State == liaison.StateFailed {
			return false
		}
	default:
		if string(s.State) != q.State {
			return false
		}
	}
	if q.Org != "" && s.OrgID != q.Org && !(s.OrgID == "" && strings.EqualFold(s.OrgText, q.Org)) {
		return false
	}
	if q.Group != "" && !slices.Contains(s.Groups, q.Group) {
		return false
	}
	if q.Manager != "" && !slices.Contains(s.Managers, strings.ToLower(q.Manager)) {
		return false
	}
	if q.Purpose != "" && string(s.Purpose) != q.Purpose {
		return false
	}
	return true
}

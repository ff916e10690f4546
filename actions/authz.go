package actions

import (
	"slices"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/settings"
)

// Who may do what. Anyone who plays a role for the statement may take it
// in hand: acknowledge it, say it was answered, delay its reply, send it
// to other groups, hand it back to the IAB, or add a note. Changing what
// the record says — closing it, reopening it, correcting a field — is for
// those responsible for the relationship: its managers, the IAB
// coordinators and the operator. A chair's view of a statement is the
// working group's; the record is the managers'. Reporting on a
// relationship to the IAB is for its managers in office (and the
// operator).
//
// A statement the IETF sends speaks for its sending groups: only their
// approvers (the approver role: chairs, area directors, the IAB; see
// outgoing.Approvers) approve it, on the IETF's consensus — never a
// liaison manager as such, nor the operator. Anyone with a role may write
// or withdraw a draft; sending what was approved is for its approvers and
// those responsible for the relationship.
//
//	verb       manager  chair  iab  operator  approver
//	ack           x       x     x      x         x
//	answered      x       x     x      x         x
//	delay         x       x     x      x         x
//	reassign      x       x     x      x         x
//	not-ours      x       x     x      x         x
//	note          x       x     x      x         x
//	close         x             x      x
//	reopen        x             x      x
//	set           x             x      x
//	draft         x       x     x      x         x
//	edit          x       x     x      x         x
//	withdraw      x       x     x      x         x
//	send          x             x      x         x
//	approve                                      x
//	report        x                    x              (a relationship's managers in office)
var table = map[Verb][]liaison.Role{
	Ack:      anyRole,
	Answered: anyRole,
	Delay:    anyRole,
	Reassign: anyRole,
	NotOurs:  anyRole,
	Note:     anyRole,
	Close:    responsible,
	Reopen:   responsible,
	Set:      responsible,
	Draft:    anyRole,
	Edit:     anyRole,
	Withdraw: anyRole,
	Send:     append(slices.Clone(responsible), liaison.RoleApprover),
	Approve:  {liaison.RoleApprover},
	Report:   {liaison.RoleManager, liaison.RoleOperator},
}

var (
	anyRole     = []liaison.Role{liaison.RoleManager, liaison.RoleChair, liaison.RoleIAB, liaison.RoleOperator, liaison.RoleApprover}
	responsible = []liaison.Role{liaison.RoleManager, liaison.RoleIAB, liaison.RoleOperator}
)

// May reports whether someone who plays roles may take the action v. It
// is a pure function of its arguments (see the table above).
func May(roles liaison.Roles, v Verb) bool {
	for _, r := range roles {
		if slices.Contains(table[v], r) {
			return true
		}
	}
	return false
}

// Allowed lists the actions roles allow, in the order of Verbs (for a
// channel that offers only what its user may do).
func Allowed(roles liaison.Roles) []Verb {
	var out []Verb
	for _, v := range Verbs {
		if May(roles, v) {
			out = append(out, v)
		}
	}
	return out
}

// RolesOf returns the roles actor plays for the statement rec under the
// configuration s at time at: those its address earns
// (routing.Router.Roles), the approver's for an outgoing statement drafted
// here whose sending groups it may approve for (outgoing.Approvers), plus
// the operator's when it acts as the operator.
func RolesOf(s *settings.Snapshot, rec *liaison.Record, actor Actor, at time.Time) liaison.Roles {
	roles := s.Router.Roles(rec, actor.Email, at)
	if isApprover(s, rec, actor.Email) {
		roles = roles.Add(liaison.RoleApprover)
	}
	if actor.Operator {
		roles = roles.Add(liaison.RoleOperator)
	}
	return roles
}

// whoMay names the roles that allow v, for refusals.
func whoMay(v Verb) string {
	return liaison.Roles(table[v]).String()
}

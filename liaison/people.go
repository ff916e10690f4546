package liaison

import (
	"slices"
	"strings"
	"time"
)

// EventType is what one history entry records.
type EventType string

// The history event types.
const (
	// Receipt and recording (the pipeline).
	EventReceived      EventType = "received"       // the message was recorded
	EventRouted        EventType = "routed"         // a statement's routing decision
	EventMisdirected   EventType = "misdirected"    // the misdirection verdict
	EventDuplicate     EventType = "duplicate"      // this record is a copy of another
	EventDuplicateSeen EventType = "duplicate-seen" // a copy of this record arrived
	EventLinked        EventType = "linked"         // a related record was linked
	EventAnswers       EventType = "answers"        // this statement answers another
	EventBounce        EventType = "bounce"         // a mail about it bounced
	EventReprocessed   EventType = "reprocessed"    // extraction and routing re-run

	// Outgoing mail (notify and the outbox).
	EventQueued         EventType = "queued"          // a mail was queued
	EventComposeFailed  EventType = "compose-failed"  // a mail could not be composed
	EventSent           EventType = "sent"            // a mail was accepted by the relay
	EventDeliveryFailed EventType = "delivery-failed" // a mail failed for good

	// Mail commands (the mail channel's own bookkeeping).
	EventCommand         EventType = "command"          // a mail command was applied
	EventCommandIgnored  EventType = "command-ignored"  // automated mail to a command address
	EventCommandRejected EventType = "command-rejected" // a command was refused
	EventCommandReplayed EventType = "command-replayed" // a command applied before came again: nothing done

	// What people do to a statement (package actions): one event per action.
	EventAcked      EventType = "acked"      // acknowledged
	EventAnswered   EventType = "answered"   // recorded as answered
	EventDelayed    EventType = "delayed"    // internal deadline moved
	EventReassigned EventType = "reassigned" // target groups changed
	EventNotOurs    EventType = "not-ours"   // handed back to the IAB
	EventClosed     EventType = "closed"     // closed by hand
	EventReopened   EventType = "reopened"   // reopened
	EventNote       EventType = "note"       // a note was added
	EventCorrected  EventType = "corrected"  // a field was corrected

	// Outgoing statements drafted here (package actions). Each is recorded
	// on the outgoing statement and on the incoming statement it answers.
	EventDrafted    EventType = "drafted"      // a draft was started
	EventEdited     EventType = "edited"       // a draft was changed
	EventChecked    EventType = "checked"      // the draft was checked against the peer's rules (the detail lists the problems)
	EventApproved   EventType = "approved"     // an approver agreed, with the consensus reference
	EventWithdrawn  EventType = "withdrawn"    // the statement was abandoned before sending
	EventSentToPeer EventType = "sent-to-peer" // the statement was queued to the peer

	// Relationships: a statement's side and the relationship's own history.
	EventResponsibility EventType = "responsibility"    // the statement's managers changed with the appointments
	EventOverlap        EventType = "overlap"           // another relationship's statement targets the same groups
	EventShortNotice    EventType = "short-notice"      // the deadline leaves less than deadlines.min_notice
	EventAppointed      EventType = "appointed"         // relationship: a liaison manager took office
	EventAppointmentEnd EventType = "appointment-ended" // relationship: a liaison manager's appointment ended
	EventReport         EventType = "report"            // relationship: a manager's report to the IAB
)

// Channel is the way a person's action reached the daemon.
type Channel string

// The channels.
const (
	ChannelMail Channel = "mail" // a mail to the liaison address (a command or a reply)
	ChannelCLI  Channel = "cli"  // a liaisond subcommand
	ChannelWeb  Channel = "web"  // a form on the web view
	ChannelAPI  Channel = "api"  // the JSON API
)

// Valid reports whether c is one of the channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelMail, ChannelCLI, ChannelWeb, ChannelAPI:
		return true
	}
	return false
}

// Role is the part a person plays for one statement.
type Role string

// The roles.
const (
	RoleManager  Role = "manager"  // a liaison manager of the statement's organization
	RoleChair    Role = "chair"    // a chair of one of the statement's target groups
	RoleIAB      Role = "iab"      // the IAB liaison coordinators
	RoleOperator Role = "operator" // whoever runs the daemon (the CLI without --by)
	RoleSender   Role = "sender"   // the peer who sent the statement (recipient of corrections only)
	// RoleApprover is an approver of an outgoing statement drafted here:
	// a chair or director of one of its sending groups, or the IAB (see
	// outgoing.Approvers).
	RoleApprover Role = "approver"

	RoleList Role = "list" // a group's mailing list (recipient of announcements only)
)

// Roles is a set of roles; the zero value is empty.
type Roles []Role

// Has reports whether r is in the set.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// Add returns the set with r in it.
func (rs Roles) Add(r Role) Roles {
	if rs.Has(r) {
		return rs
	}
	return append(rs, r)
}

// String renders the set as "manager,chair" ("none" when empty).
func (rs Roles) String() string {
	if len(rs) == 0 {
		return "none"
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// Field names a statement field a person may correct (`set FIELD VALUE`).
// The names are those of the record's JSON view.
type Field string

// The correctable fields.
const (
	FieldTitle    Field = "title"
	FieldPurpose  Field = "purpose"
	FieldDeadline Field = "deadline"
	FieldFromOrg  Field = "from_org"
	FieldToGroups Field = "to_groups"
)

// Fields lists the correctable fields.
var Fields = []Field{FieldTitle, FieldPurpose, FieldDeadline, FieldFromOrg, FieldToGroups}

// Correction is a person's correction of one field. The record shows the
// corrected value; Original keeps what extraction and routing gave, so a
// display can say "corrected by X from Y" and reprocessing can apply the
// correction again on top of a fresh extraction.
type Correction struct {
	Field Field `json:"field"`
	// Value is the corrected value as the record holds it now (a date as
	// YYYY-MM-DD, groups comma-separated, an organization id).
	Value string `json:"value"`
	// Original is the extracted (or routed) value the correction replaced.
	Original string    `json:"original"`
	By       string    `json:"by"`
	Channel  Channel   `json:"channel"`
	At       time.Time `json:"at"`
}

// Correction returns the correction in force for f, if any.
func (r *Record) Correction(f Field) (Correction, bool) {
	for i := len(r.Corrections) - 1; i >= 0; i-- {
		if r.Corrections[i].Field == f {
			return r.Corrections[i], true
		}
	}
	return Correction{}, false
}

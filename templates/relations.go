package templates

import "github.com/ietf-tools/liaisond/liaison"

// The mail kinds about relationships and the groups' lists.
const (
	// Announcement is the short announcement of a statement to the list of
	// a group that receives statements by list (deliver: list or both).
	// It receives NoticeData.
	Announcement = "announcement"
	// Coordination tells a statement's managers about other
	// relationships' statements to the same groups. It receives
	// CoordinationData.
	Coordination = "coordination"
	// Handover gives a newly appointed manager the relationship's open
	// statements. It receives RelationshipData.
	Handover = "handover"
	// AppointmentEnded tells a manager whose appointment ended who takes
	// over. It receives RelationshipData.
	AppointmentEnded = "appointment-ended"
	// Report carries a manager's report on a relationship to the IAB. It
	// receives RelationshipData.
	Report = "report"
)

func init() {
	moreKinds = append(moreKinds, Announcement, Coordination, Handover, AppointmentEnded, Report)
}

// RelationshipData is what the mails about a relationship receive
// (handover, appointment-ended, report).
type RelationshipData struct {
	LiaisonAddress string
	IAB, Recipient liaison.Contact
	// Org is the organization's id, OrgName its name; Relationship is
	// "formal" or "informal".
	Org, OrgName, Relationship string
	// Scope and Documents say what the relationship covers.
	Scope     string
	Documents []string
	// Managers are the managers in office now (none: the IAB coordinators
	// handle the relationship); Appointed those who took office and
	// Former those whose appointment ended, in this change.
	Managers, Appointed, Former []liaison.Contact
	// Open are the relationship's open statements, by deadline.
	Open []DigestItem
	// Unsent are the statements drafted here to the organization and not
	// sent yet, by deadline.
	Unsent []UnsentItem
	// By is who reported and Text the report (report only).
	By, Text string
	BaseURL  string
}

// UnsentItem is a statement drafted here to the organization and not
// sent yet.
type UnsentItem struct {
	DigestItem
	// State is "draft" or "approved"; From the sending groups' ids, as
	// one line; Awaiting the approvals a draft still needs, as one line
	// ("" once approved).
	State, From, Awaiting string
}

// OverlapItem is another relationship's statement to the same groups,
// with who handles it.
type OverlapItem struct {
	DigestItem
	// Managers are its managers (or the IAB coordinators), as one line.
	Managers string
	// Shared are the groups both statements target.
	Shared []string
}

// CoordinationData is what the coordination template receives: the
// statement the note is about (S) and the overlapping ones.
type CoordinationData struct {
	NoticeData
	// Others are the other relationships' statements to the same groups.
	Others []OverlapItem
	// WindowDays is the coordination window (statements received this many
	// days apart or less overlap).
	WindowDays int
}

// ManagerLine renders managers as one line for lists ("Jane Doe
// <jane@example.org>, Kenji Sato <kenji@example.org>"), "" for none.
func ManagerLine(cs []liaison.Contact) string { return joinContacts(contacts(cs)) }

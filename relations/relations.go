// Package relations carries out the duties that belong to a liaison
// relationship rather than to one statement:
//
//   - Appointments and handover (Sync): when the managers in office for an
//     organization differ from those the daemon last acted on (a reload,
//     a restart, or the day an appointment begins or ends), the
//     relationship's open statements, and those drafted here to it and not
//     sent yet, move to the managers now in office,
//     each newly appointed manager gets one handover mail listing them,
//     each manager whose appointment ended one closing mail, and the
//     change is recorded in the relationship's history. Statements that
//     are answered or closed keep the managers they had.
//   - Coordination where work overlaps (Coordinate): when statements from
//     different organizations target the same group within
//     coordination.window, each side's managers get one note naming the
//     other statements and managers.
//   - What a relationship is now (OpenStatements, Others), for the
//     handover, reports and digests.
//
// Every mail goes through the caller's queue function (package notify
// composes it; deterministic keys make it once), and every change is made
// in the caller's transaction.
package relations

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/notify"
	"github.com/ietf-tools/liaisond/outgoing"
	"github.com/ietf-tools/liaisond/settings"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// Queue queues one mail through the composer (the caller's transaction and
// report).
type Queue func(notify.Mail) error

// OpenStatements returns the open statements of the relationship with
// organization org at time at (incoming and outgoing, copies left out),
// by deadline.
func OpenStatements(tx *store.Tx, org string, at time.Time) ([]*liaison.Record, error) {
	byOrg, err := openByOrg(tx, at)
	if err != nil {
		return nil, err
	}
	return byOrg[org], nil
}

// openByOrg reads every open statement once and groups them by
// organization, each group by deadline. The open statements are those of
// the scheduler's open index, and those due for its look at or before at
// (recorded, but not looked at yet); every one is read again, so the
// indexes only narrow the search.
func openByOrg(tx *store.Tx, at time.Time) (map[string][]*liaison.Record, error) {
	seen := map[string]bool{}
	out := map[string][]*liaison.Record{}
	add := func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		r, err := tx.Record(id)
		if err != nil {
			return nil // the index outlived its record: nothing to hand over
		}
		if r.State != liaison.StateOpen || r.DuplicateOf != "" || r.Routing.OrgID == "" || !strings.HasPrefix(r.ID, "LS-") {
			return nil
		}
		out[r.Routing.OrgID] = append(out[r.Routing.OrgID], r)
		return nil
	}
	if err := tx.ForEachOpen(func(id string, _ []string) error { return add(id) }); err != nil {
		return nil, err
	}
	if err := tx.DueBefore(at, func(d store.Due) error { return add(d.RecordID) }); err != nil {
		return nil, err
	}
	for _, rs := range out {
		slices.SortFunc(rs, byDeadline)
	}
	return out, nil
}

// Unsent reports whether r is a statement drafted here that is not sent
// yet: a draft, or approved and awaiting sending. It is in the hands of
// the relationship's managers as an open statement is.
func Unsent(r *liaison.Record) bool {
	ob := r.Outbound
	return ob != nil && r.State == liaison.StateDraft && (ob.State == liaison.OutboundDraft || ob.State == liaison.OutboundApproved)
}

// UnsentStatements returns the statements to organization org drafted
// here and not sent yet (Unsent), by deadline.
func UnsentStatements(tx *store.Tx, org string) ([]*liaison.Record, error) {
	byOrg, err := unsentByOrg(tx)
	if err != nil {
		return nil, err
	}
	return byOrg[org], nil
}

// unsentByOrg reads every statement drafted here and not sent yet and
// groups them by organization, each group by deadline. They are in no
// index (store.Tx.ForEachOutbound reads every record but decodes only
// the drafted ones); a change of appointments or a report is rare.
func unsentByOrg(tx *store.Tx) (map[string][]*liaison.Record, error) {
	out := map[string][]*liaison.Record{}
	if err := tx.ForEachOutbound(func(r *liaison.Record) error {
		if Unsent(r) {
			out[r.Outbound.Org] = append(out[r.Outbound.Org], r)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, rs := range out {
		slices.SortFunc(rs, byDeadline)
	}
	return out, nil
}

// byDeadline orders records by effective deadline (none last), then id.
func byDeadline(a, b *liaison.Record) int {
	return cmp.Or(liaison.CompareDeadlines(a.EffectiveDeadline(), b.EffectiveDeadline()), strings.Compare(a.ID, b.ID))
}

// Data builds what the templates of a mail about the relationship with
// org receive, for recipient to at time at, with its open statements and
// those drafted to it and not sent yet.
func Data(s *settings.Snapshot, o *config.Organization, to liaison.Contact, open, unsent []*liaison.Record, at time.Time) templates.RelationshipData {
	cfg := s.Config
	d := templates.RelationshipData{LiaisonAddress: cfg.LiaisonAddress, IAB: cfg.IAB, Recipient: to,
		Org: o.ID, OrgName: o.Name, Relationship: string(o.Relationship), Scope: strings.Join(strings.Fields(o.Scope.Text), " "),
		Documents: o.Scope.Documents, Managers: o.ManagersAt(at, cfg.Location), BaseURL: cfg.HTTP.BaseURL}
	for _, r := range open {
		d.Open = append(d.Open, templates.Item(r, cfg.Location, at))
	}
	for _, r := range unsent {
		d.Unsent = append(d.Unsent, templates.UnsentItem{DigestItem: templates.Item(r, cfg.Location, at),
			State: string(r.Outbound.State), From: strings.Join(r.Outbound.FromGroups, ", "), Awaiting: pendingLine(cfg, r)})
	}
	return d
}

// pendingLine names the approvals an unsent statement still needs
// (outgoing.PendingLine), "" for one approved.
func pendingLine(cfg *config.Config, r *liaison.Record) string {
	if r.Outbound.State != liaison.OutboundDraft {
		return ""
	}
	return outgoing.PendingLine(outgoing.Pending(cfg, r))
}

// relationshipMail is a mail about a relationship: it has no statement,
// and its period names the organization.
func relationshipMail(kind notify.Kind, to liaison.Contact, role liaison.Role, period string, data templates.RelationshipData) notify.Mail {
	return notify.Mail{Kind: kind, To: to, Role: role, Period: period, Data: func(templates.NoticeData) any { return data }}
}

// managerLine names who handles a statement: its managers, or the IAB
// coordinators.
func managerLine(s *settings.Snapshot, r *liaison.Record) string {
	return templates.ManagerLine(s.Router.Managers(r.Routing))
}

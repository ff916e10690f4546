package notify

import (
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/settings"
)

// StatementNotices are the mails that tell a statement's handlers about
// it: a notice to each of its managers (an escalation to the IAB instead
// when it is escalated) and to the chairs of its target groups. The
// pipeline queues them when a statement is recorded; the action layer
// queues them again when people change who handles it (reassign, a
// corrected organization), and the keys make sure nobody is told twice.
func StatementNotices(s *settings.Snapshot, rec *liaison.Record) []Mail {
	rt := &rec.Routing
	var ms []Mail
	if rt.Escalate {
		ms = append(ms, Mail{Kind: KindEscalation, Record: rec, To: s.Config.IAB, Role: liaison.RoleIAB})
	} else {
		for _, m := range rt.Managers {
			ms = append(ms, Mail{Kind: KindNotice, Record: rec, To: m, Role: liaison.RoleManager})
		}
	}
	for _, c := range s.Router.Chairs(rt.Groups) {
		ms = append(ms, Mail{Kind: KindNotice, Record: rec, To: c, Role: liaison.RoleChair})
	}
	return ms
}

package notify

import (
	"strings"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/settings"
)

// StatementNotices are the mails that tell a statement's handlers about
// it: a notice to each of its managers (an escalation to the IAB instead
// when it is escalated), and to each target group as the group's deliver
// key says: a notice to its chairs, a short announcement to its list, or
// both. The pipeline queues them when a statement is recorded; the action
// layer queues them again when people change who handles it (reassign, a
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
	var toChairs []string
	for _, gid := range rt.Groups {
		g, ok := s.Config.Group(gid)
		if !ok || g.Deliver.ToChairs() {
			toChairs = append(toChairs, gid)
		}
	}
	for _, c := range s.Router.Chairs(toChairs) {
		ms = append(ms, Mail{Kind: KindNotice, Record: rec, To: c, Role: liaison.RoleChair})
	}
	return append(ms, Announcements(s, rec)...)
}

// Announcements are the announcements of an incoming statement to the
// lists of its target groups that receive statements by list (deliver:
// list or both): one per list, without a reply token (a list plays no
// role), never to a list the statement itself was sent to or came
// through. The list's copy of an announcement comes back to the mailbox
// as the daemon's own mail (its marks, see package mailproc) and is never
// taken for a statement.
func Announcements(s *settings.Snapshot, rec *liaison.Record) []Mail {
	x := &rec.Extraction
	if x.Direction == liaison.Outgoing || x.OwnMail {
		return nil
	}
	var ms []Mail
	for _, gid := range rec.Routing.Groups {
		g, ok := s.Config.Group(gid)
		if !ok || !g.Deliver.ToList() || g.List == "" || sawList(x, g.List) {
			continue
		}
		ms = append(ms, Mail{Kind: KindAnnouncement, Record: rec, To: liaison.Contact{Name: strings.ToUpper(g.ID) + " list", Email: g.List}, Role: liaison.RoleList})
	}
	return ms
}

// sawList reports whether the statement was addressed to the list addr
// or delivered through it (its List-Id is the list's, in the usual
// "local.domain" form).
func sawList(x *liaison.Extraction, addr string) bool {
	for _, c := range x.HeaderTo {
		if strings.EqualFold(c.Email, addr) {
			return true
		}
	}
	for _, c := range x.HeaderCc {
		if strings.EqualFold(c.Email, addr) {
			return true
		}
	}
	return x.ListID != "" && strings.EqualFold(x.ListID, strings.Replace(addr, "@", ".", 1))
}

package routing

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// CodeCorrected is the reason code of a routing fact a person set (package
// actions: `set from_org`, `reassign`).
const CodeCorrected = "corrected"

// Roles says which parts addr plays for the statement rec under the
// configuration in force. It is a pure function of its inputs:
//
//   - manager: one of the statement's routed managers, or a manager
//     appointed for its organization at time at (a manager appointed after
//     the statement arrived acts on it too; one whose appointment ended
//     keeps acting only on the statements that stayed theirs);
//   - chair: a chair of one of the statement's target groups (as routed or
//     reassigned, not the groups it was first sent to);
//   - iab: the IAB liaison coordinators' address.
//
// Addresses compare case-insensitively; an empty address has no role. The
// operator role is never derived from an address (see package actions).
func (r *Router) Roles(rec *liaison.Record, addr string, at time.Time) liaison.Roles {
	addr = strings.ToLower(strings.TrimSpace(addr))
	var roles liaison.Roles
	if addr == "" || rec == nil {
		return roles
	}
	if addr == strings.ToLower(r.iab.Email) {
		roles = roles.Add(liaison.RoleIAB)
	}
	managers := slices.Clone(rec.Routing.Managers)
	if o, ok := r.cfg.Org(rec.Routing.OrgID); ok {
		managers = append(managers, o.ManagersAt(at, r.cfg.Location)...)
	}
	for _, m := range managers {
		if strings.EqualFold(m.Email, addr) {
			roles = roles.Add(liaison.RoleManager)
			break
		}
	}
	for _, gid := range rec.Routing.Groups {
		if g, ok := r.cfg.Group(gid); ok && slices.ContainsFunc(g.Chairs, func(c string) bool { return strings.EqualFold(c, addr) }) {
			roles = roles.Add(liaison.RoleChair)
			break
		}
	}
	return roles
}

// Known reports whether addr plays a role anywhere in the configuration:
// a manager of some organization (now or in the past), a chair of some
// group, or the IAB coordinators.
func (r *Router) Known(addr string) bool {
	if addr == "" {
		return false
	}
	if strings.EqualFold(addr, r.iab.Email) {
		return true
	}
	for i := range r.cfg.Organizations {
		if r.cfg.Organizations[i].Appointed(addr) {
			return true
		}
	}
	for _, g := range r.cfg.Groups {
		if slices.ContainsFunc(g.Chairs, func(c string) bool { return strings.EqualFold(c, addr) }) {
			return true
		}
	}
	return false
}

// Managers returns the managers of a routing decision as contacts
// (deduplicated by address), or the IAB coordinators when it is escalated
// or has none: who is responsible for the statement.
func (r *Router) Managers(rt liaison.Routing) []liaison.Contact {
	var out []liaison.Contact
	seen := map[string]bool{}
	add := func(c liaison.Contact) {
		k := strings.ToLower(c.Email)
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	if rt.IABHandles() {
		add(r.iab)
	}
	for _, m := range rt.Managers {
		add(m)
	}
	return out
}

// Chairs returns the chairs of the given groups as contacts named after
// their group ("CCAMP chairs"), deduplicated by address; unknown group ids
// are skipped.
func (r *Router) Chairs(groups []string) []liaison.Contact {
	var out []liaison.Contact
	seen := map[string]bool{}
	for _, gid := range groups {
		g, ok := r.cfg.Group(gid)
		if !ok {
			continue
		}
		for _, c := range g.Chairs {
			if k := strings.ToLower(c); c != "" && !seen[k] {
				seen[k] = true
				out = append(out, liaison.Contact{Name: strings.ToUpper(g.ID) + " chairs", Email: c})
			}
		}
	}
	return out
}

// WithOrg returns rt with its organization set by a person to the
// configured organization orgID: its id, name and the managers appointed
// at time at, and the escalation the organization implies, decided as
// Route decides them. The groups and the misdirection verdict are kept; a
// reason says who set it.
func (r *Router) WithOrg(rt liaison.Routing, orgID, by string, at time.Time) (liaison.Routing, error) {
	idx := r.orgIndex(orgID)
	if idx < 0 {
		return rt, fmt.Errorf("routing: no organization %q", orgID)
	}
	d := &decision{out: rt, orgIdx: idx, matched: true, at: at}
	d.out.Reasons = slices.Clone(rt.Reasons)
	o := r.cfg.Organizations[idx]
	d.out.OrgID, d.out.OrgName = o.ID, o.Name
	d.out.Escalate, d.out.EscalationReason, d.out.NoManager, d.out.Managers = false, "", false, nil
	d.reason(CodeCorrected, "organization set to %s by %s", o.ID, by)
	r.managers(d)
	return d.out, nil
}

// Responsible returns rt with the managers its organization has at time
// at, decided as Route decides them: the managers appointed then, or the
// IAB coordinators (escalated, no_manager) when there are none. Other
// escalations (a statement handed back to the IAB, an unknown
// organization) stay, and so does everything else. The second result
// reports whether the managers changed; only then is a reason added. It is
// how a statement still in hand follows a change of appointments.
func (r *Router) Responsible(rt liaison.Routing, at time.Time) (liaison.Routing, bool) {
	idx := r.orgIndex(rt.OrgID)
	if idx < 0 {
		return rt, false
	}
	d := &decision{out: rt, orgIdx: idx, matched: true, at: at}
	d.out.Reasons = slices.Clone(rt.Reasons)
	d.out.Managers = nil
	keep := rt.Escalate && rt.EscalationReason != EscalateNoManager
	d.out.Escalate, d.out.EscalationReason, d.out.NoManager = false, "", false
	r.managers(d)
	if keep {
		d.out.Escalate, d.out.EscalationReason = true, rt.EscalationReason
	}
	if SameContacts(rt.Managers, d.out.Managers) && rt.NoManager == d.out.NoManager {
		return rt, false
	}
	return d.out, true
}

// SameContacts reports whether two lists hold the same addresses (in any
// order, compared without case).
func SameContacts(a, b []liaison.Contact) bool {
	key := func(cs []liaison.Contact) []string {
		out := make([]string, 0, len(cs))
		for _, c := range cs {
			out = append(out, strings.ToLower(c.Email))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(key(a), key(b))
}

// orgIndex is the index of the organization orgID in the configuration,
// -1 when there is none.
func (r *Router) orgIndex(orgID string) int {
	if orgID == "" {
		return -1
	}
	return slices.IndexFunc(r.cfg.Organizations, func(o config.Organization) bool { return o.ID == orgID })
}

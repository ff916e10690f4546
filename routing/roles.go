package routing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// CodeCorrected is the reason code of a routing fact a person set (package
// actions: `set from_org`, `reassign`).
const CodeCorrected = "corrected"

// Roles says which parts addr plays for the statement rec under the
// configuration in force. It is a pure function of its inputs:
//
//   - manager: one of the statement's routed managers, or a manager the
//     configuration now names for its organization (a manager appointed
//     after the statement arrived acts on it too);
//   - chair: a chair of one of the statement's target groups (as routed or
//     reassigned, not the groups it was first sent to);
//   - iab: the IAB liaison coordinators' address.
//
// Addresses compare case-insensitively; an empty address has no role. The
// operator role is never derived from an address (see package actions).
func (r *Router) Roles(rec *liaison.Record, addr string) liaison.Roles {
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
		managers = append(managers, o.Managers...)
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
// a manager of some organization, a chair of some group, or the IAB
// coordinators.
func (r *Router) Known(addr string) bool {
	if addr == "" {
		return false
	}
	if strings.EqualFold(addr, r.iab.Email) {
		return true
	}
	for _, o := range r.cfg.Organizations {
		for _, m := range o.Managers {
			if strings.EqualFold(m.Email, addr) {
				return true
			}
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
// configured organization orgID: its id, name and managers, and the
// escalation the organization implies, decided as Route decides them. The
// groups and the misdirection verdict are kept; a reason says who set it.
func (r *Router) WithOrg(rt liaison.Routing, orgID, by string) (liaison.Routing, error) {
	idx := slices.IndexFunc(r.cfg.Organizations, func(o config.Organization) bool { return o.ID == orgID })
	if idx < 0 {
		return rt, fmt.Errorf("routing: no organization %q", orgID)
	}
	d := &decision{out: rt, orgIdx: idx, matched: true}
	d.out.Reasons = slices.Clone(rt.Reasons)
	o := r.cfg.Organizations[idx]
	d.out.OrgID, d.out.OrgName = o.ID, o.Name
	d.out.Escalate, d.out.EscalationReason, d.out.NoManager, d.out.Managers = false, "", false, nil
	d.reason(CodeCorrected, "organization set to %s by %s", o.ID, by)
	r.managers(d)
	return d.out, nil
}

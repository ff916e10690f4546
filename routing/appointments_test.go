package routing

import (
	"slices"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
)

// handoverConfig: SG15's manager Old is replaced by New on 2026-04-01;
// BBF's only manager leaves on 2026-06-30 with nobody after; CYBER is
// informal.
const handoverConfig = `liaison_address: statements@ietf.example
iab: {name: IAB, email: iab@iab.example}
timezone: Europe/Paris
organizations:
  - id: sg15
    name: ITU-T SG15
    managers:
      - {name: Old, email: old@example.org, since: 2024-01-01, until: 2026-03-31}
      - {name: New, email: new@example.org, since: 2026-04-01}
  - id: bbf
    name: Broadband Forum
    managers:
      - {name: Olu, email: olu@example.org, until: 2026-06-30}
  - id: cyber
    name: ETSI TC CYBER
groups:
  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, chairs: [ccamp-chairs@ietf.example]}
`

func handoverRouter(t *testing.T) *Router {
	t.Helper()
	cfg, err := config.Parse("h.yaml", []byte(handoverConfig))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func paris(s string) time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func emails(cs []liaison.Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Email)
	}
	return out
}

// TestRouteUsesAppointmentsOfTheDay: the managers of a decision are those
// appointed on its day in the configured zone; a relationship whose only
// appointment ended goes to the IAB as if it had none.
func TestRouteUsesAppointmentsOfTheDay(t *testing.T) {
	r := handoverRouter(t)
	x := func(org string) *liaison.Extraction {
		return &liaison.Extraction{FromOrgText: org, ToText: []string{"IETF CCAMP WG"}, HeaderTo: to(liaisonAddr)}
	}
	tests := []struct {
		name, org string
		at        time.Time
		managers  []string
		noManager bool
	}{
		{"old manager's last day", "ITU-T SG15", paris("2026-03-31 23:59"), []string{"old@example.org"}, false},
		{"new manager's first day", "ITU-T SG15", paris("2026-04-01 00:00"), []string{"new@example.org"}, false},
		{"no date: appointments without an end", "ITU-T SG15", time.Time{}, []string{"new@example.org"}, false},
		{"before the appointment ended", "Broadband Forum", paris("2026-06-30 12:00"), []string{"olu@example.org"}, false},
		{"after it ended, nobody: the IAB", "Broadband Forum", paris("2026-07-01 08:00"), []string{"iab@iab.example"}, true},
		{"informal", "ETSI TC CYBER", paris("2026-07-01 08:00"), []string{"iab@iab.example"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Route(x(tt.org), Context{At: tt.at})
			if !slices.Equal(emails(got.Managers), tt.managers) || got.NoManager != tt.noManager || got.Escalate != tt.noManager {
				t.Errorf("managers %v (no manager %v, escalate %v), want %v (%v)", emails(got.Managers), got.NoManager, got.Escalate, tt.managers, tt.noManager)
			}
		})
	}
}

// TestResponsible: a statement in hand follows a change of appointments;
// a hand-back to the IAB stays; nothing changes when the managers did not.
func TestResponsible(t *testing.T) {
	r := handoverRouter(t)
	sg15 := r.Route(&liaison.Extraction{FromOrgText: "ITU-T SG15", ToText: []string{"IETF CCAMP WG"}, HeaderTo: to(liaisonAddr)}, Context{At: paris("2026-03-01 10:00")})
	if got := emails(sg15.Managers); !slices.Equal(got, []string{"old@example.org"}) {
		t.Fatalf("routed to %v", got)
	}
	if _, changed := r.Responsible(sg15, paris("2026-03-15 10:00")); changed {
		t.Error("Responsible changed the managers although the appointments did not change")
	}
	moved, changed := r.Responsible(sg15, paris("2026-04-02 10:00"))
	if !changed || !slices.Equal(emails(moved.Managers), []string{"new@example.org"}) || moved.Escalate {
		t.Errorf("moved = %v (changed %v, escalate %v)", emails(moved.Managers), changed, moved.Escalate)
	}
	if !slices.Equal(moved.Groups, sg15.Groups) || moved.OrgID != "sg15" {
		t.Errorf("groups or organization changed: %+v", moved)
	}

	bbf := r.Route(&liaison.Extraction{FromOrgText: "Broadband Forum", ToText: []string{"IETF CCAMP WG"}, HeaderTo: to(liaisonAddr)}, Context{At: paris("2026-06-01 10:00")})
	vacant, changed := r.Responsible(bbf, paris("2026-07-02 10:00"))
	if !changed || !vacant.NoManager || !vacant.Escalate || vacant.EscalationReason != EscalateNoManager || !slices.Equal(emails(vacant.Managers), []string{"iab@iab.example"}) {
		t.Errorf("vacancy = %+v", vacant)
	}

	handedBack := sg15
	handedBack.Escalate, handedBack.EscalationReason = true, "not_ours"
	moved, changed = r.Responsible(handedBack, paris("2026-04-02 10:00"))
	if !changed || !moved.Escalate || moved.EscalationReason != "not_ours" || !slices.Equal(emails(moved.Managers), []string{"new@example.org"}) {
		t.Errorf("handed back = %+v", moved)
	}

	unknown := liaison.Routing{Managers: []liaison.Contact{{Email: "iab@iab.example"}}, Escalate: true, EscalationReason: EscalateUnknownOrg}
	if _, changed := r.Responsible(unknown, paris("2026-04-02 10:00")); changed {
		t.Error("an unknown organization's statement changed hands")
	}
}

// TestRolesFollowAppointments: a manager appointed after a statement was
// routed acts on it; one whose appointment ended acts only on statements
// still routed to them.
func TestRolesFollowAppointments(t *testing.T) {
	r := handoverRouter(t)
	rec := &liaison.Record{Routing: r.Route(&liaison.Extraction{FromOrgText: "ITU-T SG15", ToText: []string{"IETF CCAMP WG"}, HeaderTo: to(liaisonAddr)}, Context{At: paris("2026-03-01 10:00")})}
	later := paris("2026-05-01 10:00")
	if !r.Roles(rec, "new@example.org", later).Has(liaison.RoleManager) {
		t.Error("the new manager has no role on a statement routed before their appointment")
	}
	if r.Roles(rec, "new@example.org", paris("2026-03-02 10:00")).Has(liaison.RoleManager) {
		t.Error("the new manager acts before their appointment")
	}
	if !r.Roles(rec, "old@example.org", later).Has(liaison.RoleManager) {
		t.Error("the old manager lost the statement still routed to them")
	}
	rec.Routing, _ = r.Responsible(rec.Routing, later)
	if r.Roles(rec, "old@example.org", later).Has(liaison.RoleManager) {
		t.Error("the old manager still acts on a statement moved to the new one")
	}
	if !r.Known("old@example.org") {
		t.Error("a former manager is not a known person")
	}
}

package config

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// TestBrokenRelationships checks the relationship keys: each case is one
// rule, want the exact diagnostics.
func TestBrokenRelationships(t *testing.T) {
	org := head + "organizations:\n  - id: bbf\n    name: Broadband Forum\n"
	tests := []struct{ name, yaml, want string }{
		{"unknown relationship kind", org + "    relationship: friendly\n    managers: [{email: a@example.org}]\n",
			`t.yaml:6: organizations[0].relationship: "friendly" is not one of formal, informal`},
		{"informal with managers", org + "    relationship: informal\n    managers:\n      - {name: Olu, email: olu@example.org}\n",
			"t.yaml:7: organizations[0].managers: an informal relationship has no liaison manager (the IAB liaison coordinators handle it): remove the managers or set relationship: formal"},
		{"formal without managers", org + "    relationship: formal\n",
			"t.yaml:6: organizations[0].relationship: a formal relationship has liaison managers appointed by the IAB: list them under managers (with until: once an appointment ended)"},
		{"not a date", org + "    managers:\n      - {email: olu@example.org, since: 2026-02-30}\n",
			`t.yaml:7: organizations[0].managers[0].since: date "2026-02-30": want YYYY-MM-DD`},
		{"a date written as a list", org + "    managers:\n      - email: olu@example.org\n        until: [2026]\n",
			`t.yaml:8: organizations[0].managers[0].until: want a string, got a list`},
		{"until before since", org + "    managers:\n      - email: olu@example.org\n        since: 2026-05-01\n        until: 2026-04-30\n",
			"t.yaml:9: organizations[0].managers[0].until: 2026-04-30 is before since (2026-05-01)"},
		{"same manager twice at once", org + "    managers:\n      - {email: olu@example.org, since: 2025-01-01}\n      - {email: OLU@example.org, since: 2026-01-01}\n",
			"t.yaml:8: organizations[0].managers[1].email: OLU@example.org is already appointed for an overlapping period (line 7); give the earlier appointment an until before this one's since"},
		{"scope document not a URL", org + "    managers: [{email: olu@example.org}]\n    scope:\n      text: Access networks\n      documents: [\"TR-101\", \"ftp://x.example/a\"]\n",
			"t.yaml:9: organizations[0].scope.documents[0]: \"TR-101\": want an absolute http(s) URL\n" +
				"t.yaml:9: organizations[0].scope.documents[1]: \"ftp://x.example/a\": want an absolute http(s) URL"},
		{"scope is a mapping", org + "    managers: [{email: olu@example.org}]\n    scope: Access networks\n",
			"t.yaml:7: organizations[0].scope: want a mapping, got a string"},
		{"peer addresses and contacts", org + "    managers: [{email: olu@example.org}]\n    peer:\n      liaison: [liaison@]\n      contacts:\n        - {role: chair}\n        - {name: Ann, email: \"Ann <ann@bbf.example>\"}\n",
			"t.yaml:8: organizations[0].peer.liaison[0]: \"liaison@\" is not an e-mail address: missing domain\n" +
				"t.yaml:10: organizations[0].peer.contacts[0]: a contact needs a name or an email\n" +
				"t.yaml:11: organizations[0].peer.contacts[1].email: \"Ann <ann@bbf.example>\": want a bare address such as ann@bbf.example, without a display name"},
		{"unknown key in an appointment", org + "    managers:\n      - {email: olu@example.org, from: 2026-01-01}\n",
			`t.yaml:7: organizations[0].managers[0].from: unknown key`},
		{"bad delivery", head + "groups:\n  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, deliver: wiki}\n",
			`t.yaml:4: groups[0].deliver: "wiki" is not one of chairs, list, both`},
		{"windows in whole days", head + "coordination: {window: 36h}\ndeadlines: {min_notice: 2d12h}\n",
			"t.yaml:3: coordination.window: 36h0m0s: want a whole number of days, such as 60d (0d disables)\n" +
				"t.yaml:4: deadlines.min_notice: 60h0m0s: want a whole number of days, such as 30d (0d disables)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded (%s), want:\n%s", c.Summary(), tt.want)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T: %v", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func day(s string) liaison.Date {
	d, err := liaison.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestRelationshipDefaultsAndAppointments: the relationship kind follows
// the managers when not written; appointments are in force from since to
// until, both days included.
func TestRelationshipDefaultsAndAppointments(t *testing.T) {
	src := head + `timezone: Asia/Tokyo
organizations:
  - id: sg15
    name: ITU-T SG15
    scope:
      text: Optical transport
      documents: [https://www.iab.org/liaisons/sg15]
    peer:
      liaison: [tsbsg15@itu.int]
      contacts: [{name: Hiroshi Tanaka, email: h.tanaka@example.net, role: Q14/15 rapporteur}]
    managers:
      - {name: Old, email: old@example.org, since: 2024-01-01, until: 2026-03-31}
      - {name: New, email: new@example.org, since: 2026-04-01}
      - {name: Old, email: old@example.org, since: 2027-01-01}
  - id: cyber
    name: ETSI TC CYBER
groups:
  - {id: ccamp, name: CCAMP, list: ccamp@ietf.example, deliver: both}
  - {id: teas, name: TEAS, list: teas@ietf.example}
`
	c, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sg15, cyber := &c.Organizations[0], &c.Organizations[1]
	if sg15.Relationship != Formal || cyber.Relationship != Informal {
		t.Errorf("relationships = %s, %s; want formal, informal", sg15.Relationship, cyber.Relationship)
	}
	if sg15.Peer.Contacts[0].Role != "Q14/15 rapporteur" || sg15.Peer.Contacts[0].Email != "h.tanaka@example.net" || sg15.Scope.Documents[0] == "" {
		t.Errorf("peer/scope = %+v %+v", sg15.Peer, sg15.Scope)
	}
	if c.Groups[0].Deliver != DeliverBoth || c.Groups[1].Deliver != DeliverChairs {
		t.Errorf("deliver = %s, %s", c.Groups[0].Deliver, c.Groups[1].Deliver)
	}
	if c.Coordination.Window.String() != "60d" || c.Deadlines.MinNotice.String() != "30d" {
		t.Errorf("defaults: window %s, min_notice %s", c.Coordination.Window, c.Deadlines.MinNotice)
	}
	emails := func(cs []liaison.Contact) []string {
		var out []string
		for _, m := range cs {
			out = append(out, m.Email)
		}
		return out
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	for _, tt := range []struct {
		on   liaison.Date
		want []string
	}{
		{day("2023-12-31"), nil},
		{day("2026-03-31"), []string{"old@example.org"}},
		{day("2026-04-01"), []string{"new@example.org"}},
		{day("2027-01-01"), []string{"new@example.org", "old@example.org"}},
		{liaison.Date{}, []string{"new@example.org", "old@example.org"}}, // no date: every appointment without an end
	} {
		if got := emails(sg15.ManagersOn(tt.on)); !slices.Equal(got, tt.want) {
			t.Errorf("ManagersOn(%s) = %v, want %v", tt.on, got, tt.want)
		}
	}
	// 2026-03-31 16:00 UTC is already April 1st in Tokyo, the configured zone.
	if got := emails(sg15.ManagersAt(time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC), c.Location)); !slices.Equal(got, []string{"new@example.org"}) {
		t.Errorf("ManagersAt(Tokyo midnight) = %v", got)
	}
	if c.Location.String() != tokyo.String() {
		t.Errorf("location %v", c.Location)
	}
	if got := sg15.AppointmentDays(); !slices.Equal(got, []liaison.Date{day("2024-01-01"), day("2026-04-01"), day("2026-04-01"), day("2027-01-01")}) {
		t.Errorf("AppointmentDays = %v", got)
	}
	if !sg15.Appointed("OLD@example.org") || sg15.Appointed("x@example.org") {
		t.Error("Appointed is wrong")
	}
}

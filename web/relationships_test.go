package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// TestRelationshipRecords: the API and the page show each relationship
// as configured (kind, scope, the peer's side, every appointment), its
// counts and last statements from the summary index, and its latest
// history, escaped.
func TestRelationshipRecords(t *testing.T) {
	f := newFixture(t)
	err := f.db.Update(func(tx *store.Tx) error {
		for i := range HistoryShown + 2 {
			ev := liaison.Event{At: testNow.Add(-timeHours(i)), Type: liaison.EventReport, Detail: "report " + string(rune('a'+i)), By: "jane.doe@example.org", Channel: liaison.ChannelCLI}
			if err := tx.AddRelationshipEvent("itu-t-sg15", ev); err != nil {
				return err
			}
		}
		return tx.AddRelationshipEvent("itu-t-sg15", liaison.Event{At: testNow, Type: liaison.EventReport, Detail: hostileTitle, By: "kenji.sato@example.org", Channel: liaison.ChannelMail})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two statements drafted to SG15, one of them withdrawn: one not sent.
	for _, withdraw := range []bool{false, true} {
		out, err := f.actions.Apply("", actions.Operator(liaison.ChannelCLI), actions.Request{Action: actions.Draft, Draft: &actions.DraftInput{
			To: "itu-t-sg15", From: []string{"ccamp"}, Title: "LS on OTN slicing"}})
		if err == nil && withdraw {
			_, err = f.actions.Apply(out.ID, actions.Operator(liaison.ChannelCLI), actions.Request{Action: actions.Withdraw})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var body struct{ Relationships []Relationship }
	if err := json.Unmarshal(f.get(t, "/api/v1/relationships").Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	byID := map[string]Relationship{}
	for _, r := range body.Relationships {
		byID[r.ID] = r
	}
	sg15, cyber := byID["itu-t-sg15"], byID["etsi-tc-cyber"]
	if sg15.Kind != "formal" || !strings.HasPrefix(sg15.Scope, "Transport networks: optical transport (OTN)") || len(sg15.Documents) != 1 ||
		len(sg15.PeerLiaison) != 1 || sg15.PeerContacts[0].Role != "Q12/15 associate rapporteur" {
		t.Errorf("SG15's record: %+v", sg15)
	}
	if len(sg15.Managers) != 2 || len(sg15.Appointments) != 3 || sg15.Appointments[2].Current || sg15.Appointments[2].Until != "2025-03-19" || !sg15.Appointments[0].Current {
		t.Errorf("SG15's managers %v, appointments %+v", sg15.Managers, sg15.Appointments)
	}
	if sg15.LastIn == nil || sg15.LastIn.ID != f.ids["1-sg15-otn.eml"] || sg15.LastOut != nil || sg15.Open == 0 || sg15.Unsent != 1 {
		t.Errorf("SG15's statements: open %d, not sent %d, last in %+v, last out %+v", sg15.Open, sg15.Unsent, sg15.LastIn, sg15.LastOut)
	}
	if n := len(sg15.History); n != HistoryShown || sg15.History[n-1].Detail != hostileTitle || sg15.History[0].Detail != "report d" {
		t.Errorf("SG15's history (%d): %+v", n, sg15.History)
	}
	if cyber.Kind != "informal" || len(cyber.Managers) != 0 || len(cyber.Appointments) != 0 || cyber.History != nil {
		t.Errorf("CYBER's record: %+v", cyber)
	}
	page := f.get(t, "/relationships").Body.String()
	for _, want := range []string{`id="rel-itu-t-sg15"`, "Alex Moreau &lt;alex.moreau@example.org&gt; since 2019-07-01 until 2025-03-19 <span class=\"muted\">(not in office)</span>",
		`<a href="https://www.ietf.org/about/liaisons/itu-t-sg15/"`, "tsbsg15@itu.int", "none: the IAB liaison coordinators handle it", "by kenji.sato@example.org via mail",
		`<a href="/statements?state=draft&amp;org=itu-t-sg15" class="unsent">1 drafted here and not sent</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("a report's text is not escaped")
	}
}

func timeHours(n int) time.Duration { return time.Duration(n) * time.Hour }

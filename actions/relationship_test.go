package actions

import (
	"slices"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// TestReport: a relationship's managers in office and the operator report
// to the IAB; the report is recorded in the relationship's history and
// queued to the IAB with the managers in Cc; anyone else, a statement id
// instead of an organization or an empty report is refused and writes
// nothing.
func TestReport(t *testing.T) {
	f := newFixture(t)
	// Recorded, not yet looked at by the scheduler: due for its look.
	if err := f.db.Update(func(tx *store.Tx) error { return tx.LookAgain(id, testNow) }); err != nil {
		t.Fatal(err)
	}
	report := func(org, text string) Request { return Request{Action: Report, Org: org, Text: text} }
	refusals := []struct {
		name  string
		id    string
		actor Actor
		req   Request
		code  Code
	}{
		{"another organization's manager", "", marco, report("itu-t-sg15", "x"), Forbidden},
		{"a chair", "", ccamp, report("itu-t-sg15", "x"), Forbidden},
		{"the IAB itself", "", iab, report("itu-t-sg15", "x"), Forbidden},
		{"a stranger", "", stranger, report("itu-t-sg15", "x"), Forbidden},
		{"a statement id", id, jane, report("itu-t-sg15", "x"), Invalid},
		{"no organization", "", jane, report("", "x"), Invalid},
		{"unknown organization", "", jane, report("Nowhere", "x"), Invalid},
		{"no text", "", jane, report("itu-t-sg15", "  "), Invalid},
		{"too long", "", jane, report("itu-t-sg15", strings.Repeat("x", MaxReport+1)), Invalid},
	}
	for _, tc := range refusals {
		_, err := f.l.Apply(tc.id, tc.actor, tc.req)
		if code, ok := CodeOf(err); !ok || code != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// A statement drafted to SG15 and not sent yet: the report lists it.
	dr := draftReq()
	dr.Draft.Answers, dr.Draft.To = "", "itu-t-sg15"
	drafted, err := f.l.Apply("", jane, dr)
	if err != nil {
		t.Fatal(err)
	}
	woken := f.woken
	out, err := f.l.Apply("", jane, report("ITU-T SG15", "Plenary agreed the OTN work plan.\nTwo statements expected in May."))
	if err != nil {
		t.Fatal(err)
	}
	if out.Relationship != "itu-t-sg15" || out.ID != "" || !out.Changed || len(out.Queued) != 1 || f.woken != woken+1 {
		t.Fatalf("outcome %+v (woken %d, before %d)", out, f.woken, woken)
	}
	if _, err := f.l.Apply("", operator, report("itu-t-sg15", "A second report.")); err != nil {
		t.Fatal(err)
	}
	err = f.db.View(func(tx *store.Tx) error {
		evs, err := tx.RelationshipEvents("itu-t-sg15", 0)
		if err != nil {
			return err
		}
		if len(evs) != 2 || evs[0].Type != liaison.EventReport || evs[0].By != "jane.doe@example.org" || evs[0].Channel != liaison.ChannelWeb ||
			!strings.Contains(evs[0].Detail, "Two statements expected in May.") || evs[1].By != "operator" {
			t.Errorf("history = %+v", evs)
		}
		e, err := tx.Outbox(out.Queued[0])
		if err != nil {
			return err
		}
		if e.Kind != "report" || e.Recipient != "liaison-coordination@iab.example" || e.RecordID != "" ||
			!slices.Contains(e.Rcpts, "kenji.sato@example.org") || !slices.Contains(e.Rcpts, "jane.doe@example.org") {
			t.Errorf("report entry %+v", e)
		}
		for _, want := range []string{"jane.doe@example.org reports on the liaison relationship with ITU-T Study Group 15", "  Plenary agreed the OTN work plan.", "Open statements (1)", "- " + id,
			"drafted here and not sent yet (1)", "- " + drafted.ID + " [draft]"} {
			if !strings.Contains(strings.ReplaceAll(string(e.Raw), "=\r\n", ""), want) {
				t.Errorf("report lacks %q:\n%s", want, e.Raw)
			}
		}
		// The statement's own history is untouched.
		sevs, err := tx.Events(id)
		if len(sevs) != 0 {
			t.Errorf("the statement got events: %+v", sevs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

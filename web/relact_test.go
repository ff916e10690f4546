package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// relationshipEvents is the history of the relationship with org.
func relationshipEvents(t *testing.T, f *fixture, org string) []liaison.Event {
	t.Helper()
	var evs []liaison.Event
	if err := f.db.View(func(tx *store.Tx) (err error) { evs, err = tx.RelationshipEvents(org, 0); return err }); err != nil {
		t.Fatal(err)
	}
	return evs
}

// A report on a relationship through the API: by a manager of it (or the
// IAB), recorded in its history and queued to the IAB; refused otherwise.
func TestAPIRelationshipReport(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	path := "/api/v1/relationships/itu-t-sg15/actions"
	report := `{"action":"report","text":"SG15 agreed to align the OTN models; nothing needs the IAB."}`
	for _, c := range []struct {
		name, who, path, body string
		want                  int
		code                  string
	}{
		{"anonymous", "", path, report, 401, ""},
		{"read-only token", "viewer", path, report, 403, ""},
		{"a manager of another relationship", "dana", path, report, 403, "forbidden"},
		{"a statement action", "jane", path, `{"action":"ack"}`, 400, ""},
		{"no text", "jane", path, `{"action":"report"}`, 400, "invalid"},
		{"an unknown organization", "jane", "/api/v1/relationships/nosuchorg/actions", report, 400, "invalid"},
	} {
		w := apiPost(srv, c.path, c.who, c.body)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, w.Code, c.want, w.Body.String())
			continue
		}
		if c.code != "" {
			if got := decodeJSON[apiResult](t, w).Code; got != c.code {
				t.Errorf("%s: code %q, want %q", c.name, got, c.code)
			}
		}
	}
	if evs := relationshipEvents(t, f, "itu-t-sg15"); len(evs) != 0 {
		t.Fatalf("refusals wrote %v", evs)
	}
	w := apiPost(srv, path, "jane", report)
	if w.Code != http.StatusOK {
		t.Fatalf("jane's report: %d %s", w.Code, w.Body.String())
	}
	res := decodeJSON[RelationshipActionResult](t, w)
	if res.Outcome.Relationship != "itu-t-sg15" || len(res.Outcome.Queued) != 1 || !strings.Contains(res.Outcome.Result, "sent to the IAB") {
		t.Errorf("outcome %+v", res.Outcome)
	}
	evs := relationshipEvents(t, f, "itu-t-sg15")
	if len(evs) != 1 || evs[0].Type != liaison.EventReport || evs[0].By != "jane.doe@example.org" || evs[0].Channel != liaison.ChannelAPI || !strings.Contains(evs[0].Detail, "align the OTN models") {
		t.Errorf("history %+v", evs)
	}
}

// The relationships page offers the report form on the relationships one
// may report on, and takes it like the statement forms: same-origin, with
// the form token, answered by a redirect and a flash.
func TestWebRelationshipReport(t *testing.T) {
	f := newFixture(t)
	srv := actServer(t, f, &testClock{t: testNow})
	jane := &webSession{t: t, srv: srv, user: "jane"}
	dana := &webSession{t: t, srv: srv, user: "dana"}
	viewer := &webSession{t: t, srv: srv, user: "viewer"}
	for _, c := range []struct {
		s          *webSession
		want, none []string
	}{
		{jane, []string{`id="form-report-itu-t-sg15"`}, []string{`id="form-report-ieee-802-11"`}},
		{dana, []string{`id="form-report-ieee-802-11"`}, []string{`id="form-report-itu-t-sg15"`}},
		{viewer, nil, []string{`id="form-report-`, `name="csrf"`}},
	} {
		body := c.s.page("/relationships").Body.String()
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s is not offered %s", c.s.user, s)
			}
		}
		for _, s := range c.none {
			if strings.Contains(body, s) {
				t.Errorf("%s is offered %s", c.s.user, s)
			}
		}
	}
	act := "/relationships/itu-t-sg15/actions"
	form := func() url.Values {
		return url.Values{"action": {"report"}, "text": {"Q12/15 meets in March; we will attend."}}
	}
	if w := jane.post(act, form(), "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
		t.Errorf("from another site: %d", w.Code)
	}
	if w := dana.post(act, form()); w.Code != http.StatusForbidden {
		t.Errorf("dana on SG15: %d", w.Code)
	}
	if evs := relationshipEvents(t, f, "itu-t-sg15"); len(evs) != 0 {
		t.Fatalf("refused posts wrote %v", evs)
	}
	w := jane.post(act, form())
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/relationships#rel-itu-t-sg15" {
		t.Fatalf("jane's report: %d to %q: %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	page := jane.page("/relationships").Body.String()
	if !strings.Contains(page, `id="flash"`) || !strings.Contains(page, "report: report on itu-t-sg15 recorded") || !strings.Contains(page, "we will attend") {
		t.Errorf("the page after the report lacks the flash or the history entry")
	}
	if evs := relationshipEvents(t, f, "itu-t-sg15"); len(evs) != 1 || evs[0].Channel != liaison.ChannelWeb {
		t.Errorf("history %+v", evs)
	}
	if w := jane.post(act, url.Values{"action": {"report"}, "text": {"  "}}); w.Code != http.StatusSeeOther {
		t.Errorf("an empty report: %d", w.Code)
	} else if got := jane.page("/relationships").Body.String(); !strings.Contains(got, `class="flash error"`) {
		t.Error("no error flash for an empty report")
	}
}

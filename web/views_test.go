package web

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// jane is a manager of ITU-T SG15 acting on the web view.
var jane = actions.Actor{Email: "jane.doe@example.org", Channel: liaison.ChannelWeb}

var (
	rowRE    = regexp.MustCompile(`(?s)<tr>\s*<td>.*?</tr>`)
	rowIDRE  = regexp.MustCompile(`<a href="/statements/([^"]+)">`)
	statusRE = regexp.MustCompile(`class="tag status-([a-z]+)"`)
)

// listStatuses reads the list page's rows: id -> status cell.
func listStatuses(t *testing.T, f *fixture, query string) (map[string]string, map[string]string) {
	t.Helper()
	w := f.get(t, "/statements?"+query)
	if w.Code != 200 {
		t.Fatalf("/statements?%s: %d", query, w.Code)
	}
	status, rows := map[string]string{}, map[string]string{}
	for _, row := range rowRE.FindAllString(w.Body.String(), -1) {
		id, st := rowIDRE.FindStringSubmatch(row), statusRE.FindStringSubmatch(row)
		if id == nil || st == nil {
			t.Fatalf("a list row without id or status: %s", row)
		}
		status[id[1]], rows[id[1]] = st[1], row
	}
	return status, rows
}

// The list, the statement page's badge, the API list and the API detail
// say the same status for every statement; one of them is overdue.
func TestStatusAgreesEverywhere(t *testing.T) {
	f := newFixture(t)
	list, _ := listStatuses(t, f, "state=all&per_page=1000")
	var api StatementsPage
	if err := json.Unmarshal(f.get(t, "/api/v1/statements?state=all&per_page=1000").Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Statements) != len(list) || len(list) < 5 {
		t.Fatalf("the API lists %d statements, the page %d", len(api.Statements), len(list))
	}
	seen := map[string]int{}
	for _, v := range api.Statements {
		var detail StatementDetail
		if err := json.Unmarshal(f.get(t, "/api/v1/statements/"+v.ID).Body.Bytes(), &detail); err != nil {
			t.Fatal(err)
		}
		page := f.get(t, "/statements/"+v.ID).Body.String()
		badge := regexp.MustCompile(`id="status">([a-z]+)<`).FindStringSubmatch(page)
		rec, err := recordOf(f, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := string(rec.StatusAt(f.cfg.Location, testNow))
		got := []string{list[v.ID], string(v.Status), string(detail.Status), ""}
		if badge != nil {
			got[3] = badge[1]
		}
		for i, where := range []string{"list page", "API list", "API detail", "statement page"} {
			if got[i] != want {
				t.Errorf("%s: %s says %q, want %q", v.ID, where, got[i], want)
			}
		}
		seen[want]++
	}
	if seen["overdue"] == 0 || seen["open"] == 0 {
		t.Errorf("the fixture should have open and overdue statements: %v", seen)
	}
}

func TestStatusOf(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	dl := liaison.Date{Year: 2027, Month: 3, Day: 15}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		state    liaison.State
		deadline liaison.Date
		now      time.Time
		want     liaison.Status
	}{
		{liaison.StateOpen, dl, at("2027-03-15 23:59:59"), liaison.StatusOpen},
		{liaison.StateOpen, dl, at("2027-03-16 00:00:00"), liaison.StatusOverdue},
		{liaison.StateOpen, dl, at("2027-03-16 00:30:00").UTC(), liaison.StatusOverdue}, // 23:30 UTC on the 15th: already the 16th in Paris
		{liaison.StateOpen, liaison.Date{}, at("2030-01-01 00:00:00"), liaison.StatusOpen},
		{liaison.StateAnswered, dl, at("2027-04-01 00:00:00"), liaison.StatusAnswered},
		{liaison.StateClosed, dl, at("2027-04-01 00:00:00"), liaison.StatusClosed},
		{liaison.StateFailed, liaison.Date{}, at("2027-04-01 00:00:00"), liaison.StatusFailed},
	}
	for i, c := range cases {
		if got := liaison.StatusOf(c.state, c.deadline, paris, c.now); got != c.want {
			t.Errorf("case %d: StatusOf(%s, %s, %s) = %s, want %s", i, c.state, c.deadline, c.now, got, c.want)
		}
	}
	// A delay moves the effective deadline, and the status with it.
	r := &liaison.Record{State: liaison.StateOpen, Extraction: liaison.Extraction{Deadline: dl}, InternalDeadline: liaison.Date{Year: 2027, Month: 4, Day: 1}}
	if got := r.StatusAt(paris, at("2027-03-20 12:00:00")); got != liaison.StatusOpen {
		t.Errorf("delayed statement: %s, want open", got)
	}
}

// The list shows who owns each statement, when it came, and markers for
// acknowledged and escalated ones; the owner filter selects by manager.
func TestListOwnersMarkersAndFilters(t *testing.T) {
	f := newFixture(t)
	sg15, etsi := f.ids["1-sg15-otn.eml"], f.ids["2-etsi-cyber.eml"]
	if sg15 == "" || etsi == "" {
		t.Fatal("fixture statements missing")
	}
	if err := f.db.Update(func(tx *store.Tx) error {
		_, err := f.actions.ApplyTx(tx, sg15, jane, actions.Request{Action: actions.Ack}, testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, rows := listStatuses(t, f, "state=all")
	for id, want := range map[string][]string{
		sg15: {"Jane Doe", "Kenji Sato", "manager=jane.doe%40example.org", "acknowledged", "2026-03-05"},
		etsi: {"IAB Liaison Coordinators", "escalated"},
	} {
		for _, w := range want {
			if !strings.Contains(rows[id], w) {
				t.Errorf("%s row lacks %q:\n%s", id, w, rows[id])
			}
		}
	}
	if strings.Contains(rows[etsi], "acknowledged") || strings.Contains(rows[sg15], "escalated") {
		t.Errorf("markers on the wrong rows:\n%s\n%s", rows[sg15], rows[etsi])
	}
	for query, want := range map[string][]string{
		"state=all&manager=Jane.Doe@example.org":             {sg15},
		"state=all&manager=liaison-coordination@iab.example": {etsi, f.ids["hostile.eml"]}, // no manager; unknown organization
		"state=all&manager=nobody@example.org":               nil,
		"state=all&org=itu-t-sg15&group=ccamp":               {sg15},
	} {
		got, _ := listStatuses(t, f, query)
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
		for _, id := range want {
			if _, ok := got[id]; !ok {
				t.Errorf("%s: %v lacks %s", query, got, id)
			}
		}
	}
	// The owner filter keeps its value in the form and in page links.
	page := f.get(t, "/statements?state=all&manager=jane.doe@example.org").Body.String()
	if !strings.Contains(page, `<option value="jane.doe@example.org" selected>Jane Doe</option>`) {
		t.Errorf("the owner select does not show the filter")
	}
}

// A page past the last is a 404 (page and API); the last page is served.
func TestPagePastTheEnd(t *testing.T) {
	f := newFixture(t)
	for path, want := range map[string]int{
		"/statements?state=all&per_page=2&page=3":            200,
		"/statements?state=all&per_page=2&page=4":            404,
		"/statements?page=99":                                404,
		"/statements?state=all&manager=nobody@example.org":   200, // an empty selection has its page 1
		"/api/v1/statements?state=all&per_page=2&page=3":     200,
		"/api/v1/statements?state=all&per_page=2&page=99":    404,
		"/api/v1/statements?state=all&q=no-such-text&page=1": 200,
	} {
		w := f.get(t, path)
		if w.Code != want {
			t.Errorf("%s: %d, want %d", path, w.Code, want)
		}
		if want == 404 && !strings.Contains(w.Body.String(), "past the last page") {
			t.Errorf("%s: 404 without saying why: %s", path, w.Body.String())
		}
	}
}

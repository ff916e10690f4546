package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"golang.org/x/crypto/bcrypt"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

func TestEveryPageAndEndpoint(t *testing.T) {
	f := newFixture(t)
	ls1 := f.ids["1-sg15-otn.eml"]
	hostile := f.ids["hostile.eml"]
	cases := []struct {
		path, wantType string
		wantStatus     int
		want           []string
	}{
		{"/statements", "text/html", 200, []string{ls1, "LS on alignment of the OTN topology YANG model", "days late", "in "}},
		{"/statements?state=misdirected", "text/html", 200, []string{f.ids["3-bbf-misdirected.eml"], "misdirected"}},
		{"/statements?state=all&org=itu-t-sg15", "text/html", 200, []string{ls1}},
		{"/statements?state=overdue", "text/html", 200, []string{hostile, "5 days late"}},
		{"/statements?state=nonsense", "text/html", 400, []string{"unknown state"}},
		{"/statements/" + ls1, "text/html", 200, []string{"Routing", "jane.doe@example.org", "History", "Mail sent about it", "MSG-2026-0002", `class="src"`, "queued"}},
		{"/statements/LS-1999-0001", "text/html", 404, []string{"No such record"}},
		{"/statements/" + ls1 + "/raw", "text/plain", 200, []string{"Message-ID:"}},
		{"/relationships", "text/html", 200, []string{"ITU-T Study Group 15", "no manager: IAB", "unknown organization"}},
		{"/health", "text/html", 200, []string{"Outbox", "Queued: ", "Last sweep: n/a"}},
		{"/static/style.css", "text/css", 200, []string{"body{"}},
		{"/calendar.ics", "text/calendar", 200, []string{"BEGIN:VCALENDAR", "UID:" + ls1 + "-deadline@ietf.example", "SEQUENCE:0"}},
		{"/calendar/group/teas.ics", "text/calendar", 200, []string{"UID:" + ls1 + "-deadline@"}},
		{"/calendar/manager/" + ManagerHash("Jane.Doe@example.org") + ".ics", "text/calendar", 200, []string{"UID:" + ls1 + "-deadline@"}},
		{"/api/v1/statements?state=all", "application/json", 200, []string{`"statements"`, `"id": "` + ls1 + `"`}},
		{"/api/v1/statements/" + ls1, "application/json", 200, []string{`"routing_reasons"`, `"history"`, `"outbox"`}},
		{"/api/v1/statements/nope", "application/json", 404, []string{"no such record"}},
		{"/api/v1/relationships", "application/json", 200, []string{`"relationships"`, `"itu-t-sg15"`}},
		{"/api/v1/outbox", "application/json", 200, []string{`"queued"`, ls1 + "|"}},
		{"/metrics", "text/plain", 200, []string{"liaisond_statements_overdue 1", "liaisond_duplicates_total 1"}},
		{"/healthz", "text/plain", 200, []string{"ok"}},
		{"/readyz", "text/plain", 200, []string{"database: ok"}},
		{"/nowhere", "text/html", 404, []string{"nothing here"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			w := f.get(t, c.path)
			if w.Code != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, c.wantStatus, w.Body.String())
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, c.wantType) {
				t.Errorf("Content-Type %q, want %s", ct, c.wantType)
			}
			if csp := w.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, CSP) {
				t.Errorf("CSP %q", csp)
			}
			if w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
			// Same-origin form posts carry Origin (guard.go); other sites
			// are told nothing.
			if rp := w.Header().Get("Referrer-Policy"); rp != "same-origin" {
				t.Errorf("Referrer-Policy %q", rp)
			}
			for _, s := range c.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body lacks %q", s)
				}
			}
		})
	}
	// The groups feed holds only that group's statements.
	if body := f.get(t, "/calendar/group/dmm.ics").Body.String(); strings.Contains(body, ls1) || !strings.Contains(body, f.ids["6-tracker-3gpp.eml"]) {
		t.Errorf("dmm feed has the wrong statements:\n%s", body)
	}
}

func TestHostileContentIsInert(t *testing.T) {
	f := newFixture(t)
	id := f.ids["hostile.eml"]
	for _, path := range []string{"/statements?state=all", "/statements/" + id, "/statements?state=all&q=" + "alert"} {
		body := f.get(t, path).Body.String()
		for _, bad := range []string{"<script", "<img"} {
			if strings.Contains(strings.ToLower(body), bad) && !strings.Contains(body, "&lt;") {
				t.Errorf("%s: %q not escaped", path, bad)
			}
			if strings.Contains(body, bad) {
				t.Errorf("%s: raw %q in the page", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s: escaped title missing", path)
		}
	}
	// The attachment: path stripped, served as a download of an inert type.
	w := f.get(t, "/statements/"+id+"/attachments/0")
	if w.Code != 200 {
		t.Fatalf("attachment: %d %s", w.Code, w.Body.String())
	}
	want, _ := base64.StdEncoding.DecodeString("PHNjcmlwdD5hbGVydCgnYXR0YWNobWVudCcpPC9zY3JpcHQ+Cg==")
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("attachment bytes = %q, want %q", w.Body.Bytes(), want)
	}
	for k, v := range map[string]string{"Content-Type": "application/octet-stream", "Content-Disposition": `attachment; filename="passwd"`, "X-Content-Type-Options": "nosniff"} {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if code := f.get(t, "/statements/"+id+"/attachments/1").Code; code != 404 {
		t.Errorf("attachment out of range: %d", code)
	}
	// The CR/LF from the encoded Subject does not become a line of the feed.
	cal, err := ics.ParseCalendar(f.get(t, "/calendar.ics").Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range cal.Events() {
		for _, p := range ev.Properties {
			if strings.HasPrefix(strings.ToUpper(p.IANAToken), "X-INJECTED") {
				t.Errorf("injected property %q in event %s", p.IANAToken, ev.Id())
			}
		}
	}
}

func TestSafeFilename(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`..\..\boot.ini`, "boot.ini"},
		{"report\r\nX-Evil: 1.pdf", "report__X-Evil: 1.pdf"},
		{`a"b;c%.docx`, "a_b_c_.docx"},
		{"..", "attachment"},
		{"", "attachment"},
		{"Straße.pdf", "Stra_e.pdf"},
	} {
		if got := SafeFilename(c.in); got != c.want {
			t.Errorf("SafeFilename(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAuth(t *testing.T) {
	f := newFixture(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.auth = NewAuth([][32]byte{TokenDigest("tok-123")}, map[string][]byte{"iab": hash})
	basic := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	cases := []struct {
		name, remote, authz string
		want                int
	}{
		{"loopback anonymous", "127.0.0.1:5000", "", 200},
		{"loopback v6 anonymous", "[::1]:5000", "", 200},
		{"v4-mapped loopback anonymous", "[::ffff:127.0.0.1]:5000", "", 200},
		{"remote anonymous", "192.0.2.7:5000", "", 401},
		{"remote good token", "192.0.2.7:5000", "Bearer tok-123", 200},
		{"remote bad token", "192.0.2.8:5000", "Bearer tok-124", 401},
		{"remote good basic", "192.0.2.7:5000", basic("iab", "s3cret"), 200},
		{"remote wrong password", "192.0.2.9:5000", basic("iab", "guess"), 401},
		{"remote unknown user", "192.0.2.10:5000", basic("eve", "s3cret"), 401},
		{"loopback with bad credentials", "127.0.0.1:5000", "Bearer nope", 401},
		{"remote other scheme", "192.0.2.11:5000", "Digest x", 401},
		{"unix socket peer is not loopback", "@", "", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/statements", "/api/v1/statements", "/calendar.ics", "/metrics"} {
				req := httptest.NewRequest("GET", path, nil)
				req.RemoteAddr = c.remote
				if c.authz != "" {
					req.Header.Set("Authorization", c.authz)
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				if w.Code != c.want {
					t.Errorf("%s: %d, want %d", path, w.Code, c.want)
				}
				if w.Code == 401 && w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("%s: 401 without WWW-Authenticate", path)
				}
			}
		})
	}
	// Probes answer everyone.
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.RemoteAddr = "192.0.2.7:5000"
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Errorf("/healthz from remote: %d", w.Code)
	}
}

func TestCalendarParsesBackWithIndependentLibrary(t *testing.T) {
	f := newFixture(t)
	first := f.get(t, "/calendar.ics").Body.String()
	for i, line := range strings.Split(first, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d longer than 75 octets: %q", i+1, line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	sums, _ := f.db.Summaries()
	wantUIDs := map[string]bool{}
	for _, s := range sums {
		if !s.IsStatement() || s.State == liaison.StateFailed {
			continue
		}
		if !s.EffectiveDeadline().IsZero() {
			wantUIDs[s.ID+"-deadline@ietf.example"] = true
		}
		// An acknowledgement is expected of the managers of incoming
		// statements, not of the IAB (no manager, unknown organization).
		if s.State == liaison.StateOpen && !s.Acked && !s.Escalate && s.Direction != liaison.Outgoing {
			wantUIDs[s.ID+"-ack@ietf.example"] = true
		}
	}
	got := map[string]bool{}
	for _, ev := range cal.Events() {
		uid := ev.Id()
		if got[uid] {
			t.Errorf("duplicate UID %s", uid)
		}
		got[uid] = true
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart, ics.ComponentPropertySummary} {
			if ev.GetProperty(p) == nil {
				t.Errorf("%s: no %s", uid, p)
			}
		}
		if _, err := ev.GetAllDayStartAt(); err != nil {
			t.Errorf("%s: DTSTART: %v", uid, err)
		}
	}
	if len(got) != len(wantUIDs) || len(got) == 0 {
		t.Errorf("UIDs = %v, want %v", got, wantUIDs)
	}
	for uid := range wantUIDs {
		if !got[uid] {
			t.Errorf("missing %s", uid)
		}
	}
	// The hostile title survives as text, escaped, and unfolds to the original.
	hostile := f.ids["hostile.eml"]
	for _, ev := range cal.Events() {
		if ev.Id() == hostile+"-deadline@ietf.example" {
			if s := ev.GetProperty(ics.ComponentPropertySummary).Value; !strings.Contains(s, hostileTitle) {
				t.Errorf("summary %q does not contain the title", s)
			}
		}
	}
	// Stable: a second fetch has the same UIDs and dates.
	if second := f.get(t, "/calendar.ics").Body.String(); second != first {
		t.Error("the feed changed between two fetches with the same clock")
	}
}

func TestAPIListUsesRecordViewFieldNames(t *testing.T) {
	f := newFixture(t)
	w := f.get(t, "/api/v1/statements?state=all&per_page=2&page=2")
	var page struct {
		Total      int               `json:"total"`
		Statements []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	sel, _ := f.srv.Select(Filter{Selection: store.Selection{State: "all"}, Page: 1, PerPage: 1000})
	if page.Total != len(sel) || len(page.Statements) != 2 {
		t.Fatalf("total %d (want %d), %d statements on page 2", page.Total, len(sel), len(page.Statements))
	}
	var got map[string]any
	_ = json.Unmarshal(page.Statements[0], &got)
	rec, err := recordOf(f, sel[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(rec.ViewAt(f.cfg.Location, testNow))
	var want map[string]any
	_ = json.Unmarshal(wantJSON, &want)
	var gk, wk []string
	for k := range got {
		gk = append(gk, k)
	}
	for k := range want {
		wk = append(wk, k)
	}
	slices.Sort(gk)
	slices.Sort(wk)
	if !slices.Equal(gk, wk) || got["id"] != sel[2].ID {
		t.Errorf("fields %v, want %v (id %v)", gk, wk, got["id"])
	}
}

func TestListFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	ids := func(path string) []string {
		var page struct {
			Statements []liaison.RecordView `json:"statements"`
		}
		if err := json.Unmarshal(f.get(t, path).Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range page.Statements {
			out = append(out, s.ID)
		}
		return out
	}
	id := f.ids
	cases := []struct {
		query string
		want  []string
	}{
		{"state=open", []string{id["hostile.eml"], id["2-etsi-cyber.eml"], id["6-tracker-3gpp.eml"], id["1-sg15-otn.eml"], id["7-live-sg13.eml"]}},
		{"state=overdue", []string{id["hostile.eml"]}},
		{"state=misdirected", []string{id["3-bbf-misdirected.eml"]}},
		{"state=unrouted", []string{id["hostile.eml"]}},
		{"state=all&group=teas", []string{id["1-sg15-otn.eml"], id["7-live-sg13.eml"]}},
		{"state=all&org=3gpp-sa2", []string{id["6-tracker-3gpp.eml"]}},
		{"state=all&purpose=comment", []string{id["2-etsi-cyber.eml"]}},
		{"state=all&q=SRv6", []string{id["6-tracker-3gpp.eml"]}},
		{"state=all&q=quantum-safe", []string{id["2-etsi-cyber.eml"]}},
		{"state=open&per_page=2&page=2", []string{id["6-tracker-3gpp.eml"], id["1-sg15-otn.eml"]}},
	}
	for _, c := range cases {
		if got := ids("/api/v1/statements?" + c.query); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
}

func TestRelative(t *testing.T) {
	d := liaison.Date{Year: 2026, Month: 3, Day: 25}
	for _, c := range []struct {
		days        int
		want, want2 string
	}{{0, "due today", "soon"}, {1, "in 1 day", "soon"}, {3, "in 3 days", "soon"}, {30, "in 30 days", ""}, {-1, "1 day late", "late"}, {-5, "5 days late", "late"}} {
		dd := liaison.DateOf(testNow.AddDate(0, 0, c.days))
		got, cls := Relative(dd, testNow.Location(), testNow)
		if got != c.want || cls != c.want2 {
			t.Errorf("%d days: %q %q, want %q %q", c.days, got, cls, c.want, c.want2)
		}
	}
	if got, _ := Relative(liaison.Date{}, testNow.Location(), testNow); got != "" || d.IsZero() {
		t.Errorf("no deadline: %q", got)
	}
}

// A statement drafted here has no raw message: its attached files are
// served from the store, checked against their hash.
func TestDraftAttachment(t *testing.T) {
	f := newFixture(t)
	out, err := f.actions.Apply("", actions.Operator(liaison.ChannelCLI), actions.Request{Action: actions.Draft, Draft: &actions.DraftInput{
		To: "itu-t-sg15", From: []string{"ccamp"}, Title: "LS on OTN slicing",
		Attach: []actions.File{{Name: "slides.pdf", Data: []byte("%PDF-1.4 slides")}}}})
	if err != nil {
		t.Fatal(err)
	}
	w := f.get(t, "/statements/"+out.ID+"/attachments/0")
	if w.Code != 200 || w.Body.String() != "%PDF-1.4 slides" || w.Header().Get("Content-Disposition") != `attachment; filename="slides.pdf"` {
		t.Errorf("draft attachment: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	if code := f.get(t, "/statements/"+out.ID+"/attachments/1").Code; code != 404 {
		t.Errorf("attachment out of range: %d", code)
	}
	if code := f.get(t, "/statements/"+out.ID).Code; code != 200 {
		t.Errorf("the draft's page: %d", code)
	}
}

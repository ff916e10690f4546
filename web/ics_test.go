package web

import (
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ietf-tools/liaisond/actions"
	"github.com/ietf-tools/liaisond/config"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// feed fetches a calendar from srv over loopback and parses it back with
// golang-ical: UID -> event.
func feed(t *testing.T, srv *Server, path string) map[string]*ics.VEvent {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = "127.0.0.1:4000"
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("%s: %d", path, w.Code)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		out[ev.Id()] = ev
	}
	return out
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if v := ev.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func sequence(t *testing.T, ev *ics.VEvent) int {
	t.Helper()
	n, err := strconv.Atoi(prop(ev, ics.ComponentPropertySequence))
	if err != nil {
		t.Fatalf("%s: SEQUENCE %q", ev.Id(), prop(ev, ics.ComponentPropertySequence))
	}
	return n
}

// serverWith serves the fixture's store with a changed copy of its config.
func serverWith(t *testing.T, f *fixture, change func(*config.Config)) *Server {
	t.Helper()
	cfg := *f.cfg
	change(&cfg)
	srv, err := New(Options{DB: f.db, Config: func() *config.Config { return &cfg }, Now: func() time.Time { return testNow }, Log: slog.New(slog.DiscardHandler), Auth: NewAuth(nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// Every manager's and group's feed is linked from the relationships page
// and served; feeds nobody owns are 404s.
func TestCalendarFeedsLinkedAndKnown(t *testing.T) {
	f := newFixture(t)
	page := f.get(t, "/relationships").Body.String()
	links := regexp.MustCompile(`href="(/calendar[^"]*\.ics)"`).FindAllStringSubmatch(page, -1)
	paths := map[string]bool{}
	for _, l := range links {
		paths[l[1]] = true
	}
	for _, want := range []string{"/calendar.ics", ManagerFeed("jane.doe@example.org"), ManagerFeed(f.cfg.IAB.Email), GroupFeed("ccamp"), GroupFeed("teas")} {
		if !paths[want] {
			t.Errorf("the relationships page does not link %s", want)
		}
	}
	if len(paths) < len(f.cfg.Groups)+3 {
		t.Errorf("only %d feeds linked", len(paths))
	}
	for p := range paths {
		if w := f.get(t, p); w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/calendar") {
			t.Errorf("%s: %d %s", p, w.Code, w.Header().Get("Content-Type"))
		}
	}
	// The IAB's feed has the statements without a manager.
	iab := feed(t, f.srv, ManagerFeed(f.cfg.IAB.Email))
	if iab[f.ids["2-etsi-cyber.eml"]+"-deadline@ietf.example"] == nil {
		t.Errorf("the IAB's feed lacks the ETSI statement: %v", iab)
	}
	for _, p := range []string{"/calendar/group/no-such-wg.ics", ManagerFeed("nobody@example.org"), "/calendar/manager/zzz.ics", "/calendar/group/ccamp"} {
		if w := f.get(t, p); w.Code != 404 {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}

// The acknowledgement event falls ack_within after receipt (calendar days
// in the zone), and there is none when ack_within is 0.
func TestCalendarAckEventUsesAckWithin(t *testing.T) {
	f := newFixture(t)
	id := f.ids["1-sg15-otn.eml"]
	rec, err := recordOf(f, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, days := range []int{3, 10} {
		srv := serverWith(t, f, func(c *config.Config) { c.Deadlines.AckWithin = config.Duration(time.Duration(days) * 24 * time.Hour) })
		ev := feed(t, srv, "/calendar.ics")[id+"-ack@ietf.example"]
		if ev == nil {
			t.Fatalf("ack_within %dd: no acknowledgement event", days)
		}
		want := liaison.DateOf(rec.Received.In(f.cfg.Location).AddDate(0, 0, days))
		if got := prop(ev, ics.ComponentPropertyDtStart); got != icsDate(want) {
			t.Errorf("ack_within %dd: DTSTART %s, want %s", days, got, icsDate(want))
		}
	}
	off := serverWith(t, f, func(c *config.Config) { c.Deadlines.AckWithin = 0 })
	for uid := range feed(t, off, "/calendar.ics") {
		if strings.Contains(uid, "-ack@") {
			t.Errorf("ack_within 0: event %s", uid)
		}
	}
}

// UIDs name the statement and the installation, not the web view's
// address; SEQUENCE counts the statement's changes and nothing else.
func TestCalendarUIDsAndSequence(t *testing.T) {
	f := newFixture(t)
	before := feed(t, f.srv, "/calendar.ics")
	moved := feed(t, serverWith(t, f, func(c *config.Config) { c.HTTP.BaseURL = "https://elsewhere.example.net/liaisons" }), "/calendar.ics")
	if len(before) == 0 || len(before) != len(moved) {
		t.Fatalf("%d events before, %d after moving base_url", len(before), len(moved))
	}
	for uid, ev := range before {
		if moved[uid] == nil {
			t.Errorf("UID %s changed with base_url", uid)
		} else if !strings.Contains(prop(moved[uid], ics.ComponentPropertyUrl), "elsewhere.example.net") || sequence(t, moved[uid]) != sequence(t, ev) {
			t.Errorf("%s: URL %s, SEQUENCE %d -> %d", uid, prop(moved[uid], ics.ComponentPropertyUrl), sequence(t, ev), sequence(t, moved[uid]))
		}
	}

	id := f.ids["1-sg15-otn.eml"]
	uid := id + "-deadline@ietf.example"
	seq0 := sequence(t, before[uid])
	step := func(what string, change func(tx *store.Tx) error) *ics.VEvent {
		t.Helper()
		if err := f.db.Update(change); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		ev := feed(t, f.srv, "/calendar.ics")[uid]
		if ev == nil {
			t.Fatalf("after %s: no event %s", what, uid)
		}
		return ev
	}
	// Mail about it changes nothing in the event.
	ev := step("a reminder queued and sent", func(tx *store.Tx) error {
		for _, typ := range []liaison.EventType{liaison.EventQueued, liaison.EventSent} {
			if err := tx.AddEvent(id, liaison.Event{At: testNow, Type: typ, Detail: "reminder to jane.doe@example.org"}); err != nil {
				return err
			}
		}
		return nil
	})
	if got := sequence(t, ev); got != seq0 {
		t.Errorf("SEQUENCE %d after mail only, want %d", got, seq0)
	}
	// A delay moves the date (and, by a manager, acknowledges: two
	// changes); the answer changes the summary.
	ev = step("a delay", func(tx *store.Tx) error {
		_, err := f.actions.ApplyTx(tx, id, jane, actions.Request{Action: actions.Delay, Date: "2027-06-30", Reason: "WG meeting"}, testNow)
		return err
	})
	seq1 := sequence(t, ev)
	if seq1 <= seq0 || prop(ev, ics.ComponentPropertyDtStart) != "20270630" {
		t.Errorf("after a delay: SEQUENCE %d (was %d), DTSTART %s", seq1, seq0, prop(ev, ics.ComponentPropertyDtStart))
	}
	ev = step("an answer", func(tx *store.Tx) error {
		_, err := f.actions.ApplyTx(tx, id, jane, actions.Request{Action: actions.Answered, Ref: "LS-2026-0099"}, testNow)
		return err
	})
	seq2 := sequence(t, ev)
	if seq2 <= seq1 || !strings.Contains(prop(ev, ics.ComponentPropertySummary), "[answered]") {
		t.Errorf("after the answer: SEQUENCE %d (was %d), SUMMARY %s", seq2, seq1, prop(ev, ics.ComponentPropertySummary))
	}
	// The number is the history's count of changes, the same anywhere.
	var hist []liaison.Event
	if err := f.db.View(func(tx *store.Tx) (err error) { hist, err = tx.Events(id); return err }); err != nil {
		t.Fatal(err)
	}
	if Revision(hist) != seq2 {
		t.Errorf("SEQUENCE %d, Revision of the history %d", seq2, Revision(hist))
	}
}

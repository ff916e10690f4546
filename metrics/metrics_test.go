package metrics

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ietf-tools/liaisond/internal/buildinfo"
	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

var errTemp, errPerm = errors.New("421 try later"), errors.New("550 no such user")

func TestMailAttempts(t *testing.T) {
	m := New()
	isTemp := func(err error) bool { return err == errTemp }
	for _, err := range []error{nil, nil, errTemp, errPerm, errTemp, errTemp} {
		m.MailAttempt(err, isTemp)
	}
	for _, c := range []struct {
		result string
		want   float64
	}{{"sent", 2}, {"retry", 3}, {"failed", 1}} {
		if got := testutil.ToFloat64(m.mailSends.WithLabelValues(c.result)); got != c.want {
			t.Errorf("%s = %v, want %v", c.result, got, c.want)
		}
	}
}

// TestBuildInfo: /metrics says which build runs, with the labels
// `liaisond version` prints.
func TestBuildInfo(t *testing.T) {
	m := New()
	bi := buildinfo.Read()
	want := fmt.Sprintf(`
# HELP liaisond_build_info Always 1; the labels say which liaisond is running (module version, VCS revision, uncommitted changes, Go version).
# TYPE liaisond_build_info gauge
liaisond_build_info{goversion=%q,modified="%t",revision=%q,version=%q} 1
`, bi.GoVersion, bi.Modified, bi.Revision, bi.Version)
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "liaisond_build_info"); err != nil {
		t.Error(err)
	}
}

func TestErrorRingKeepsNewestErrors(t *testing.T) {
	m := New()
	ring := NewErrorRing(3, m)
	log := slog.New(ring.Handler(slog.DiscardHandler)).With("component", "test")
	for i, msg := range []string{"a", "b", "c", "d"} {
		log.Error(msg, "i", i)
	}
	log.Info("not an error")
	got := ring.Since(time.Time{})
	var msgs []string
	for _, e := range got {
		msgs = append(msgs, e.Message)
	}
	if strings.Join(msgs, ",") != "d,c,b" {
		t.Errorf("ring = %v, want d,c,b", msgs)
	}
	if len(got) > 0 && strings.Join(got[0].Attrs, " ") != "component=test i=3" {
		t.Errorf("attrs = %v", got[0].Attrs)
	}
	if n := testutil.ToFloat64(m.logErrors); n != 4 {
		t.Errorf("log errors = %v, want 4", n)
	}
}

func TestStoreCollector(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	past, future := liaison.Date{Year: 2026, Month: 1, Day: 1}, liaison.Date{Year: 2027, Month: 1, Day: 1}
	recs := []liaison.Record{
		{ID: "LS-2026-0001", State: liaison.StateOpen, Origin: "imap:INBOX/1", Extraction: liaison.Extraction{Kind: liaison.KindStatement, Deadline: past}, Routing: liaison.Routing{Misdirected: true}},
		{ID: "LS-2026-0002", State: liaison.StateOpen, Origin: "imap:INBOX/2", Extraction: liaison.Extraction{Kind: liaison.KindStatement, Deadline: future}, Routing: liaison.Routing{Escalate: true}},
		{ID: "LS-2026-0003", State: liaison.StateOpen, Origin: "imap:lists/ccamp/3", DuplicateOf: "LS-2026-0001", Extraction: liaison.Extraction{Kind: liaison.KindStatement}},
		{ID: "MSG-2026-000001", State: liaison.StateClosed, Origin: "file:x.eml", Extraction: liaison.Extraction{Kind: liaison.KindAutoreply}},
	}
	if err := db.Update(func(tx *store.Tx) error {
		for i := range recs {
			if err := tx.PutRecord(&recs[i]); err != nil {
				return err
			}
		}
		held := time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC)
		return tx.PutBreaker(store.Breaker{Tripped: held, Until: held.Add(time.Hour), Reason: "more than 25 mails to x@y within 1h", Trips: 3})
	}); err != nil {
		t.Fatal(err)
	}
	m := New()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if err := m.Register(&StoreCollector{DB: db, Now: func() time.Time { return now }}); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP liaisond_messages_recorded_total Messages recorded, by origin folder (imap folder, or file) and kind.
# TYPE liaisond_messages_recorded_total counter
liaisond_messages_recorded_total{folder="INBOX",kind="statement"} 2
liaisond_messages_recorded_total{folder="file",kind="autoreply"} 1
liaisond_messages_recorded_total{folder="lists/ccamp",kind="statement"} 1
# HELP liaisond_statements_overdue Open statements whose deadline has passed.
# TYPE liaisond_statements_overdue gauge
liaisond_statements_overdue 1
# HELP liaisond_duplicates_total Records that are duplicates of an earlier statement.
# TYPE liaisond_duplicates_total counter
liaisond_duplicates_total 1
# HELP liaisond_misdirections_total Statements found misdirected.
# TYPE liaisond_misdirections_total counter
liaisond_misdirections_total 1
# HELP liaisond_escalations_total Statements escalated to the IAB liaison coordinators (no manager or unknown organization).
# TYPE liaisond_escalations_total counter
liaisond_escalations_total 1
# HELP liaisond_outbox_queued Mails waiting in the outbox.
# TYPE liaisond_outbox_queued gauge
liaisond_outbox_queued 0
# HELP liaisond_outbox_held 1 while the outbox circuit breaker holds outgoing mail (a sending limit was exceeded).
# TYPE liaisond_outbox_held gauge
liaisond_outbox_held 1
# HELP liaisond_outbox_breaker_trips_total Times the outbox circuit breaker tripped.
# TYPE liaisond_outbox_breaker_trips_total counter
liaisond_outbox_breaker_trips_total 3
`
	if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "liaisond_messages_recorded_total", "liaisond_statements_overdue",
		"liaisond_duplicates_total", "liaisond_misdirections_total", "liaisond_escalations_total", "liaisond_outbox_queued",
		"liaisond_outbox_held", "liaisond_outbox_breaker_trips_total"); err != nil {
		t.Error(err)
	}
}

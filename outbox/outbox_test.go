package outbox

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

// scriptedTransport answers each Send with the next scripted error. The
// real SMTP server is exercised in the end-to-end tests; here the point is
// the worker's state machine, which needs failures on demand.
type scriptedTransport struct {
	mu    sync.Mutex
	errs  []error
	sends []string
}

func (s *scriptedTransport) Send(_ context.Context, from string, rcpts []string, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sends = append(s.sends, rcpts[0])
	if len(s.errs) == 0 {
		return nil
	}
	err := s.errs[0]
	s.errs = s.errs[1:]
	return err
}

var errTemp = errors.New("451 try later")
var errPerm = errors.New("550 no such user")

func isTemp(err error) bool { return errors.Is(err, errTemp) }

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T, errs ...error) (*store.DB, *Worker, *scriptedTransport, *clock, *[]string) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tr := &scriptedTransport{errs: errs}
	c := &clock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	var reports []string
	w, err := New(Options{DB: db, Transport: tr, Now: c.now, IsTemporary: isTemp, MaxAge: 2 * time.Hour,
		MinBackoff: time.Minute, MaxBackoff: 20 * time.Minute,
		Report: func(tx *store.Tx, e *store.OutboxEntry) error {
			reports = append(reports, e.Key)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(&store.OutboxEntry{Key: "LS-1|notice|a@x|", RecordID: "LS-1", Kind: "notice", Recipient: "a@x", Rcpts: []string{"a@x"}, Raw: []byte("x"), Created: c.t})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, w, tr, c, &reports
}

func state(t *testing.T, db *store.DB) *store.OutboxEntry {
	t.Helper()
	var e *store.OutboxEntry
	_ = db.View(func(tx *store.Tx) (err error) {
		e, err = tx.Outbox("LS-1|notice|a@x|")
		return err
	})
	return e
}

func TestSentOnceAndNeverAgain(t *testing.T) {
	db, w, tr, _, _ := setup(t)
	for i := 0; i < 3; i++ {
		if _, err := w.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(tr.sends) != 1 {
		t.Fatalf("sent %d times", len(tr.sends))
	}
	if e := state(t, db); e.State != store.OutboxSent || e.Attempts != 1 {
		t.Fatalf("entry = %+v", e)
	}
}

func TestTemporaryFailuresBackOffThenSucceed(t *testing.T) {
	db, w, tr, c, _ := setup(t, errTemp, errTemp)
	ctx := context.Background()
	w.DrainOnce(ctx)
	e := state(t, db)
	if e.State != store.OutboxQueued || !e.NextAttempt.Equal(c.t.Add(time.Minute)) {
		t.Fatalf("after 1st failure: %+v", e)
	}
	w.DrainOnce(ctx) // not due yet
	if len(tr.sends) != 1 {
		t.Fatalf("retried before due: %d sends", len(tr.sends))
	}
	c.t = c.t.Add(time.Minute)
	w.DrainOnce(ctx)
	if e := state(t, db); !e.NextAttempt.Equal(c.t.Add(2 * time.Minute)) {
		t.Fatalf("second backoff: next %v", e.NextAttempt)
	}
	c.t = c.t.Add(2 * time.Minute)
	w.DrainOnce(ctx)
	if e := state(t, db); e.State != store.OutboxSent || e.Attempts != 3 {
		t.Fatalf("final = %+v", e)
	}
}

func TestPermanentFailureReportedOnce(t *testing.T) {
	db, w, _, c, reports := setup(t, errPerm)
	w.DrainOnce(context.Background())
	e := state(t, db)
	if e.State != store.OutboxFailed || !e.Reported || e.LastError == "" {
		t.Fatalf("entry = %+v", e)
	}
	if len(*reports) != 1 {
		t.Fatalf("reports = %v", *reports)
	}
	// A retry by the operator requeues it; success then is not reported.
	if err := Retry(db, e.Key, c.t); err != nil {
		t.Fatal(err)
	}
	w.DrainOnce(context.Background())
	if e := state(t, db); e.State != store.OutboxSent || len(*reports) != 1 {
		t.Fatalf("after retry: %+v reports %v", e, *reports)
	}
}

func TestTemporaryFailureBecomesPermanentAfterMaxAge(t *testing.T) {
	db, w, _, c, reports := setup(t, errTemp, errTemp, errTemp, errTemp, errTemp, errTemp, errTemp, errTemp)
	for i := 0; i < 8 && state(t, db).State == store.OutboxQueued; i++ {
		w.DrainOnce(context.Background())
		c.t = c.t.Add(30 * time.Minute)
	}
	e := state(t, db)
	if e.State != store.OutboxFailed || len(*reports) != 1 {
		t.Fatalf("entry = %+v, reports %v", e, *reports)
	}
}

func TestBackoffCaps(t *testing.T) {
	_, w, _, _, _ := setup(t)
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 20 * time.Minute, 20 * time.Minute}
	for i, d := range want {
		if got := w.Backoff(i + 1); got != d {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, d)
		}
	}
}

func TestRunWakesAndStops(t *testing.T) {
	db, w, tr, _, _ := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for state(t, db).State != store.OutboxSent && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.sends) != 1 {
		t.Fatalf("sends = %d", len(tr.sends))
	}
}

// A mail that was never composed (notify records it failed, without bytes)
// cannot be retried: there is nothing to send until the cause is fixed.
func TestRetryRefusesAMailNeverComposed(t *testing.T) {
	db, w, tr, c, _ := setup(t)
	e := &store.OutboxEntry{Key: "LS-2026-0001|misdirection|tsb sg15@itu.int|", Kind: "misdirection", Recipient: "tsb sg15@itu.int",
		State: store.OutboxFailed, LastError: "cannot compose: invalid email address", Created: c.t}
	if err := db.Update(func(tx *store.Tx) error { _, err := tx.Enqueue(e); return err }); err != nil {
		t.Fatal(err)
	}
	if err := Retry(db, e.Key, c.t); err == nil || !strings.Contains(err.Error(), "never composed") {
		t.Fatalf("retry of a mail never composed: %v", err)
	}
	w.DrainOnce(context.Background())
	for _, to := range tr.sends {
		if to == e.Recipient {
			t.Errorf("a mail never composed was sent to %s", to)
		}
	}
}

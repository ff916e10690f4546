package outbox

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

// breakerSetup is a worker with limits whose Tripped hook queues a
// notice to iab@x keyed by the trip time.
func breakerSetup(t *testing.T, lim Limits) (*store.DB, *Worker, *scriptedTransport, *clock, *[]store.Breaker) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tr := &scriptedTransport{}
	c := &clock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	var trips []store.Breaker
	w, err := New(Options{DB: db, Transport: tr, Now: c.now, Limits: lim, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Tripped: func(tx *store.Tx, b store.Breaker) (string, error) {
			trips = append(trips, b)
			key := "|breaker-tripped|iab@x|" + b.Tripped.Format(time.RFC3339)
			_, err := tx.Enqueue(&store.OutboxEntry{Key: key, Kind: "breaker-tripped", Recipient: "iab@x", Rcpts: []string{"iab@x"}, Raw: []byte("x"), Created: b.Tripped})
			return key, err
		}})
	if err != nil {
		t.Fatal(err)
	}
	return db, w, tr, c, &trips
}

func enqueue(t *testing.T, db *store.DB, c *clock, n int, rcpts ...string) {
	t.Helper()
	if err := db.Update(func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			key := fmt.Sprintf("LS-%d|notice|%s|%d", i, rcpts[0], c.t.UnixNano())
			if _, err := tx.Enqueue(&store.OutboxEntry{Key: key, Kind: "notice", Recipient: rcpts[0], Rcpts: rcpts, Raw: []byte("x"), Created: c.t}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func breakerState(t *testing.T, db *store.DB) (store.Breaker, int) {
	t.Helper()
	var b store.Breaker
	var n int
	if err := db.View(func(tx *store.Tx) (err error) {
		n, _ = tx.QueuedOutbox()
		b, err = tx.Breaker()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return b, n
}

func TestBreakerPerRecipient(t *testing.T) {
	db, w, tr, c, trips := breakerSetup(t, Limits{PerRecipient: 5, Total: 100, Window: time.Hour, Cooldown: time.Hour})
	enqueue(t, db, c, 20, "loop@relay.example")
	enqueue(t, db, c, 2, "jane@example.org", "chairs@example.org")
	st, err := w.DrainOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, queued := breakerState(t, db)
	// Five to the looping address (and maybe Jane's two, by queue order),
	// then the trip; the IAB's notice passes the held queue.
	if !st.Held || b.Tripped.IsZero() || b.Trips != 1 || len(*trips) != 1 {
		t.Fatalf("stats %+v, breaker %+v, %d trips", st, b, len(*trips))
	}
	toLoop := 0
	for _, r := range tr.sends {
		if r == "loop@relay.example" {
			toLoop++
		}
	}
	if toLoop != 5 || tr.sends[len(tr.sends)-1] != "iab@x" {
		t.Errorf("sent %v: want 5 to the loop, the IAB notice last", tr.sends)
	}
	if sent := len(tr.sends); queued != 22+1-sent {
		t.Errorf("%d queued after %d sent: entries were lost", queued, sent)
	}
	if !b.Until.Equal(c.t.Add(time.Hour)) || b.Reason != "more than 5 mails to loop@relay.example within 1h0m0s" {
		t.Errorf("breaker %+v", b)
	}

	// Held: nothing goes out, not even after new mail, and the notice is not sent again.
	n := len(tr.sends)
	enqueue(t, db, c, 1, "other@example.org")
	c.t = c.t.Add(30 * time.Minute)
	if st, _ := w.DrainOnce(context.Background()); !st.Held || len(tr.sends) != n {
		t.Fatalf("held queue sent %v", tr.sends[n:])
	}
	if wait := w.nextWait(); wait != 30*time.Minute {
		t.Errorf("next wake in %v, want the end of the cool-down (30m)", wait)
	}

	// After the cool-down it resumes with fresh limits: five more to the
	// loop, then a second trip and a second notice with its own key.
	c.t = c.t.Add(31 * time.Minute)
	if _, err := w.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, _ = breakerState(t, db)
	if b.Trips != 2 || len(*trips) != 2 || (*trips)[0].Tripped.Equal((*trips)[1].Tripped) {
		t.Errorf("after the cool-down: breaker %+v, trips %+v", b, *trips)
	}
	toLoop = 0
	for _, r := range tr.sends {
		if r == "loop@relay.example" {
			toLoop++
		}
	}
	if toLoop != 10 {
		t.Errorf("%d mails to the loop after two trips, want 10", toLoop)
	}
}

func TestBreakerGlobalAndRelease(t *testing.T) {
	db, w, tr, c, trips := breakerSetup(t, Limits{PerRecipient: 100, Total: 10, Window: time.Hour})
	for i := 0; i < 15; i++ {
		enqueue(t, db, c, 1, fmt.Sprintf("r%d@example.org", i))
	}
	if _, err := w.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, queued := breakerState(t, db)
	if len(tr.sends) != 11 || b.Tripped.IsZero() || !b.Until.IsZero() || queued != 5 || len(*trips) != 1 {
		t.Fatalf("sent %d, breaker %+v, %d queued", len(tr.sends), b, queued)
	}
	// Without a cool-down it holds until released, across restarts.
	c.t = c.t.Add(48 * time.Hour)
	w2, err := New(w.opt)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := w2.DrainOnce(context.Background()); !st.Held || len(tr.sends) != 11 {
		t.Fatalf("a restarted worker sent %v", tr.sends[11:])
	}
	was, err := Release(db, c.t)
	if err != nil || was.Tripped.IsZero() {
		t.Fatalf("Release: %+v, %v", was, err)
	}
	if _, err := w2.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, queued = breakerState(t, db)
	if queued != 0 || len(tr.sends) != 16 || !b.Tripped.IsZero() || b.ReleasedBy != "operator" || b.Trips != 1 {
		t.Errorf("after release: %d queued, %d sent, breaker %+v", queued, len(tr.sends), b)
	}
}

// TestBreakerBucketRefills: the allowance refills over the window, so
// steady mail below the limit never trips it.
func TestBreakerBucketRefills(t *testing.T) {
	db, w, tr, c, trips := breakerSetup(t, Limits{PerRecipient: 4, Total: 4, Window: time.Hour, Cooldown: time.Hour})
	for i := 0; i < 40; i++ {
		enqueue(t, db, c, 1, "jane@example.org")
		if _, err := w.DrainOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(16 * time.Minute) // 3.75 an hour
	}
	if len(*trips) != 0 || len(tr.sends) != 40 {
		t.Errorf("%d trips, %d sent", len(*trips), len(tr.sends))
	}
}

func TestNoLimitsNoBreaker(t *testing.T) {
	db, w, tr, c, trips := breakerSetup(t, Limits{})
	enqueue(t, db, c, 200, "jane@example.org")
	if _, err := w.DrainOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(tr.sends) != 200 || len(*trips) != 0 {
		t.Errorf("%d sent, %d trips", len(tr.sends), len(*trips))
	}
}

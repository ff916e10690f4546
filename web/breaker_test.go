package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

// TestHealthShowsHeldOutbox: a tripped circuit breaker is on the health
// page with its reason and when it resumes, and gone once released.
func TestHealthShowsHeldOutbox(t *testing.T) {
	f := newFixture(t)
	if body := f.get(t, "/health").Body.String(); strings.Contains(body, "circuit breaker") {
		t.Fatal("breaker shown before it tripped")
	}
	tripped := testNow.Add(-10 * time.Minute)
	set := func(b store.Breaker) {
		if err := f.db.Update(func(tx *store.Tx) error { return tx.PutBreaker(b) }); err != nil {
			t.Fatal(err)
		}
	}
	set(store.Breaker{Tripped: tripped, Until: tripped.Add(time.Hour), Reason: "more than 25 mails to loop@relay.example within 1h0m0s", Trips: 1})
	body := f.get(t, "/health").Body.String()
	for _, want := range []string{"held by the circuit breaker", "more than 25 mails to loop@relay.example", "liaisond outbox release", "08:50:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("health page lacks %q", want)
		}
	}
	set(store.Breaker{Trips: 1, Released: testNow, ReleasedBy: "operator"})
	if body := f.get(t, "/health").Body.String(); strings.Contains(body, "circuit breaker") {
		t.Error("breaker still shown after release")
	}
}

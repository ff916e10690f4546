package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

func TestReportBreakerQueuesOneMarkedNoticePerTrip(t *testing.T) {
	f := newFixture(t, "", nil)
	b := store.Breaker{Tripped: testNow, Until: testNow.Add(time.Hour), Reason: "more than 25 mails to loop@relay.example within 1h0m0s", Trips: 1}
	var keys []string
	for i := 0; i < 2; i++ {
		if err := f.db.Update(func(tx *store.Tx) error {
			k, err := f.n.ReportBreaker(tx, b)
			keys = append(keys, k)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if keys[0] == "" || keys[0] != keys[1] {
		t.Fatalf("keys %q: want one deterministic key per trip", keys)
	}
	out := f.outbox(t)
	if len(out) != 1 || out[0].Key != keys[0] || out[0].Recipient != f.set.Config().IAB.Email || out[0].Kind != string(KindBreakerTripped) || out[0].State != store.OutboxQueued {
		t.Fatalf("outbox %+v", out)
	}
	body := textOf(t, out[0].Raw)
	for _, want := range []string{"loop@relay.example", "resumes by itself", "liaisond-mark: "} {
		if !strings.Contains(body, want) {
			t.Errorf("notice lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(string(out[0].Raw), "Auto-Submitted: auto-generated") {
		t.Error("notice is not marked auto-generated")
	}
	// The next trip is another period: another notice.
	b.Tripped = b.Tripped.Add(2 * time.Hour)
	_ = f.db.Update(func(tx *store.Tx) error {
		k, err := f.n.ReportBreaker(tx, b)
		if k == keys[0] {
			t.Error("a second trip reuses the first notice's key")
		}
		return err
	})
}

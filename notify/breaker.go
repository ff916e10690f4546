package notify

import (
	"fmt"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/templates"
)

// KindBreakerTripped tells the IAB that the outbox's circuit breaker
// tripped and outgoing mail is held.
const KindBreakerTripped Kind = templates.BreakerTripped

// ReportBreaker queues the one mail that tells the IAB the outbox's
// circuit breaker tripped, and returns its outbox key. The key's period is
// the trip's time, so a retried transaction or a restart never queues it
// twice. It is the outbox worker's Tripped hook.
func (n *Notifier) ReportBreaker(tx *store.Tx, b store.Breaker) (string, error) {
	s := n.opt.Settings.Current()
	queued, _ := tx.QueuedOutbox()
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(s.Config.Location).Format("2006-01-02 15:04 MST")
	}
	m := Mail{Kind: KindBreakerTripped, To: s.Config.IAB, Role: liaison.RoleIAB, Period: b.Tripped.UTC().Format(time.RFC3339Nano),
		Extra: map[string]string{"reason": b.Reason, "since": when(b.Tripped), "until": when(b.Until), "queued": fmt.Sprint(queued)}}
	q, err := n.Queue(tx, m, n.opt.Now())
	if err != nil {
		return "", err
	}
	return q.Key.String(), nil
}

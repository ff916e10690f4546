package outbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/ietf-tools/liaisond/store"
)

// Limits configure the circuit breaker: how much mail may go out before
// the worker decides something is wrong (a mail loop, a runaway rule) and
// holds the queue. The zero value has no limits.
type Limits struct {
	// PerRecipient is how many mails one address may be sent within
	// Window (0: no limit).
	PerRecipient int
	// Total is how many mails may be sent within Window (0: no limit).
	Total int
	// Window is the period the limits count over; the allowance refills
	// continuously (a token bucket of PerRecipient or Total tokens that
	// refills in Window).
	Window time.Duration
	// Cooldown is how long a tripped breaker holds the queue before it
	// resumes by itself; 0 holds it until an operator releases it.
	Cooldown time.Duration
}

func (l Limits) enabled() bool { return l.Window > 0 && (l.PerRecipient > 0 || l.Total > 0) }

// bucket is a token bucket: full at capacity, refilled at capacity per
// window.
type bucket struct {
	tokens float64
	at     time.Time
}

// level returns the tokens at now.
func (b *bucket) level(now time.Time, capacity int, window time.Duration) float64 {
	if b.at.IsZero() {
		return float64(capacity)
	}
	if d := now.Sub(b.at); d > 0 {
		return min(float64(capacity), b.tokens+float64(capacity)*float64(d)/float64(window))
	}
	return b.tokens
}

// limiter counts outgoing mail against Limits. It is used by one
// goroutine (the worker's).
type limiter struct {
	lim     Limits
	total   bucket
	perRcpt map[string]*bucket
}

func newLimiter(l Limits) *limiter { return &limiter{lim: l, perRcpt: map[string]*bucket{}} }

// take counts one mail to rcpts at now, when every limit allows it. When
// one does not, nothing is counted and why names the limit.
func (l *limiter) take(rcpts []string, now time.Time) (ok bool, why string) {
	if !l.lim.enabled() {
		return true, ""
	}
	win := l.lim.Window
	if l.lim.Total > 0 && l.total.level(now, l.lim.Total, win) < 1 {
		return false, fmt.Sprintf("more than %d mails within %s", l.lim.Total, win)
	}
	if l.lim.PerRecipient > 0 {
		for _, r := range rcpts {
			if b := l.perRcpt[strings.ToLower(r)]; b != nil && b.level(now, l.lim.PerRecipient, win) < 1 {
				return false, fmt.Sprintf("more than %d mails to %s within %s", l.lim.PerRecipient, r, win)
			}
		}
	}
	if l.lim.Total > 0 {
		l.total.tokens, l.total.at = l.total.level(now, l.lim.Total, win)-1, now
	}
	if l.lim.PerRecipient > 0 {
		for _, r := range rcpts {
			k := strings.ToLower(r)
			b := l.perRcpt[k]
			if b == nil {
				b = &bucket{}
				l.perRcpt[k] = b
			}
			b.tokens, b.at = b.level(now, l.lim.PerRecipient, win)-1, now
		}
		l.prune(now)
	}
	return true, ""
}

// prune forgets full buckets once there are many (they count nothing).
func (l *limiter) prune(now time.Time) {
	if len(l.perRcpt) < 1024 {
		return
	}
	for k, b := range l.perRcpt {
		if b.level(now, l.lim.PerRecipient, l.lim.Window) >= float64(l.lim.PerRecipient) {
			delete(l.perRcpt, k)
		}
	}
}

// reset refills every bucket (after a release).
func (l *limiter) reset() {
	l.total = bucket{}
	clear(l.perRcpt)
}

// Release closes a tripped breaker so that the held queue is sent again
// (with the limits counting afresh). It returns the state it released
// (the zero Breaker when it was not tripped). A running worker notices at
// its next pass; call Worker.Wake to make that now.
func Release(db *store.DB, now time.Time) (store.Breaker, error) {
	var was store.Breaker
	err := db.Update(func(tx *store.Tx) error {
		b, err := tx.Breaker()
		if err != nil || b.Tripped.IsZero() {
			return err
		}
		was = b
		return tx.PutBreaker(released(b, now, "operator"))
	})
	return was, err
}

// released is b after a release at now.
func released(b store.Breaker, now time.Time, by string) store.Breaker {
	return store.Breaker{Trips: b.Trips, Released: now, ReleasedBy: by}
}

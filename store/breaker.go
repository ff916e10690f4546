package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// keyBreaker holds the outbox circuit breaker's state in the meta bucket.
var keyBreaker = []byte("outbox_breaker")

// Breaker is the state of the outbox's circuit breaker (see package
// outbox). It is kept in the database so that a restart does not release
// a tripped breaker, and so that every process (the health page, metrics,
// `liaisond outbox`) sees the same state.
type Breaker struct {
	// Tripped is when the breaker last tripped; zero while mail flows.
	Tripped time.Time `json:"tripped,omitempty"`
	// Until is when a tripped breaker resumes by itself (zero: only when
	// an operator releases it).
	Until time.Time `json:"until,omitempty"`
	// Reason says which limit was exceeded.
	Reason string `json:"reason,omitempty"`
	// Notice is the outbox key of the one mail that tells the IAB about
	// this trip; it is sent while the breaker holds everything else.
	Notice string `json:"notice,omitempty"`
	// Trips counts the trips ever.
	Trips int `json:"trips"`
	// Released is when the breaker was last released, and ReleasedBy how
	// ("cool-down" or "operator").
	Released   time.Time `json:"released,omitempty"`
	ReleasedBy string    `json:"released_by,omitempty"`
}

// Held reports whether the breaker holds the queue at now.
func (b Breaker) Held(now time.Time) bool {
	return !b.Tripped.IsZero() && (b.Until.IsZero() || now.Before(b.Until))
}

// Breaker reads the breaker's state (the zero Breaker when it never
// tripped).
func (t *Tx) Breaker() (Breaker, error) {
	var b Breaker
	v := t.b(bMeta).Get(keyBreaker)
	if v == nil {
		return b, nil
	}
	if err := json.Unmarshal(v, &b); err != nil {
		return b, fmt.Errorf("store: decode outbox breaker: %w", err)
	}
	return b, nil
}

// PutBreaker stores the breaker's state.
func (t *Tx) PutBreaker(b Breaker) error {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("store: encode outbox breaker: %w", err)
	}
	return t.b(bMeta).Put(keyBreaker, data)
}

package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// bAttempts counts how often each IMAP message was taken up without being
// committed. It is created idempotently on open (see migrate).
var bAttempts = []byte("attempts") // folder | 0 | BE uidvalidity | BE uid -> JSON Attempt

func init() {
	allBuckets = append(allBuckets, bAttempts)
}

// Attempt is what is known of the attempts at one IMAP message that has not
// been committed yet. An attempt is counted before the message is fetched,
// so an attempt that killed the daemon (a crash, an out-of-memory kill) is
// counted too: it is one of Count that is neither a Failure nor the attempt
// in hand.
type Attempt struct {
	// Count is the number of attempts begun, the one in hand included.
	Count int `json:"count"`
	// Failures is the number of attempts that ended with an error.
	Failures int `json:"failures,omitempty"`
	// LastError is the error of the latest failed attempt.
	LastError string `json:"last_error,omitempty"`
	// First and Last are when the first and the latest attempt began.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// Unfinished is the number of earlier attempts that ended without a result
// (the daemon stopped while processing), not counting the one in hand.
func (a Attempt) Unfinished() int { return max(a.Count-1-a.Failures, 0) }

func attemptPrefix(folder string) []byte { return append([]byte(folder), 0) }

func attemptKey(folder string, uidValidity, uid uint32) []byte {
	k := attemptPrefix(folder)
	k = binary.BigEndian.AppendUint32(k, uidValidity)
	return binary.BigEndian.AppendUint32(k, uid)
}

// getAttempt reads the attempts at one message (zero when none).
func (t *Tx) getAttempt(key []byte) (Attempt, error) {
	var a Attempt
	v := t.b(bAttempts).Get(key)
	if v == nil {
		return a, nil
	}
	if err := json.Unmarshal(v, &a); err != nil {
		return a, fmt.Errorf("store: decode attempts %q: %w", key, err)
	}
	return a, nil
}

func (t *Tx) putAttempt(key []byte, a Attempt) error {
	data, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("store: encode attempts: %w", err)
	}
	if err := t.b(bAttempts).Put(key, data); err != nil {
		return fmt.Errorf("store: put attempts %q: %w", key, err)
	}
	return nil
}

// Attempt returns the attempts so far at message uid of folder (with this
// UIDVALIDITY); the zero value for a message never tried.
func (t *Tx) Attempt(folder string, uidValidity, uid uint32) (Attempt, error) {
	return t.getAttempt(attemptKey(folder, uidValidity, uid))
}

// BeginAttempt counts one more attempt at message uid of folder (with this
// UIDVALIDITY), begun at now, and returns the updated attempts.
func (t *Tx) BeginAttempt(folder string, uidValidity, uid uint32, now time.Time) (Attempt, error) {
	key := attemptKey(folder, uidValidity, uid)
	a, err := t.getAttempt(key)
	if err != nil {
		return a, err
	}
	a.Count++
	if a.First.IsZero() {
		a.First = now
	}
	a.Last = now
	return a, t.putAttempt(key, a)
}

// EndAttempt notes how the current attempt at a message ended without a
// commit: failed with failure, or, when failure is "", interrupted by
// something that was not the message's fault, which uncounts it. A message
// with no attempts is left alone.
func (t *Tx) EndAttempt(folder string, uidValidity, uid uint32, failure string) error {
	key := attemptKey(folder, uidValidity, uid)
	a, err := t.getAttempt(key)
	if err != nil || a.Count == 0 {
		return err
	}
	if failure == "" {
		a.Count--
		if a.Count == 0 {
			return t.b(bAttempts).Delete(key)
		}
	} else {
		a.Failures = min(a.Failures+1, a.Count)
		a.LastError = failure
	}
	return t.putAttempt(key, a)
}

// ClearAttempts forgets the attempts at every message of folder that the
// checkpoint (uidValidity, lastUID) covers: those with a UID up to lastUID
// and those of any other UIDVALIDITY.
func (t *Tx) ClearAttempts(folder string, uidValidity, lastUID uint32) error {
	prefix := attemptPrefix(folder)
	b := t.b(bAttempts)
	var stale [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		rest := k[len(prefix):]
		if len(rest) == 8 && binary.BigEndian.Uint32(rest) == uidValidity && binary.BigEndian.Uint32(rest[4:]) > lastUID {
			continue
		}
		stale = append(stale, bytes.Clone(k))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("store: clear attempts of %s: %w", folder, err)
		}
	}
	return nil
}

// Attempts returns the pending attempts of folder by UID (for this
// UIDVALIDITY), for status pages and tests.
func (t *Tx) Attempts(folder string, uidValidity uint32) (map[uint32]Attempt, error) {
	out := map[uint32]Attempt{}
	prefix := binary.BigEndian.AppendUint32(attemptPrefix(folder), uidValidity)
	c := t.b(bAttempts).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var a Attempt
		if err := json.Unmarshal(v, &a); err != nil {
			return nil, fmt.Errorf("store: decode attempts of %s: %w", folder, err)
		}
		out[binary.BigEndian.Uint32(k[len(prefix):])] = a
	}
	return out, nil
}

package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// OutboxState is the delivery state of an outbox entry.
type OutboxState string

// Outbox states.
const (
	OutboxQueued OutboxState = "queued" // waiting for (another) delivery attempt
	OutboxSent   OutboxState = "sent"   // accepted by the SMTP server
	OutboxFailed OutboxState = "failed" // permanently failed
)

// OutboxEntry is one mail the daemon will send (or sent). The key is
// deterministic — statement, kind, recipient, period — so enqueueing the
// same mail twice is a no-op and a restart never sends it again.
type OutboxEntry struct {
	Key          string      `json:"key"`
	RecordID     string      `json:"record_id,omitempty"`
	Kind         string      `json:"kind"`
	Recipient    string      `json:"recipient"`
	MessageID    string      `json:"message_id"`
	Subject      string      `json:"subject"`
	EnvelopeFrom string      `json:"envelope_from"`
	Rcpts        []string    `json:"rcpts"`
	Raw          []byte      `json:"raw"`
	State        OutboxState `json:"state"`
	Created      time.Time   `json:"created"`
	NextAttempt  time.Time   `json:"next_attempt,omitempty"`
	LastAttempt  time.Time   `json:"last_attempt,omitempty"`
	Attempts     int         `json:"attempts"`
	LastError    string      `json:"last_error,omitempty"`
	Sent         time.Time   `json:"sent,omitempty"`
	// Bounce is the id of a received bounce that answers this mail.
	Bounce string `json:"bounce,omitempty"`
	// Reported is set once a permanent failure was reported to the IAB.
	Reported bool `json:"reported,omitempty"`
	// FileHeader is prepended to the copy of the mail filed in the sent
	// folder: its trace (outmail.Trace), which a rebuild reads.
	FileHeader []byte `json:"file_header,omitempty"`
	// Filing is the state of that copy (nil: none to file).
	Filing *Filing `json:"filing,omitempty"`
}

func outboxDueKey(at time.Time, key string) []byte {
	k := make([]byte, 0, 8+len(key))
	k = binary.BigEndian.AppendUint64(k, uint64(at.UnixNano()))
	return append(k, key...)
}

// Enqueue adds e to the outbox unless an entry with the same key exists.
// It reports whether e was added.
func (t *Tx) Enqueue(e *OutboxEntry) (bool, error) {
	if e.Key == "" {
		return false, fmt.Errorf("store: outbox entry without key")
	}
	if t.b(bOutbox).Get([]byte(e.Key)) != nil {
		return false, nil
	}
	if e.State == "" {
		e.State = OutboxQueued
	}
	if e.NextAttempt.IsZero() {
		e.NextAttempt = e.Created
	}
	if e.MessageID != "" {
		if err := t.b(bOutboxMID).Put([]byte(e.MessageID), []byte(e.Key)); err != nil {
			return false, err
		}
	}
	return true, t.putOutbox(e, nil)
}

// HasOutbox reports whether an entry with key exists.
func (t *Tx) HasOutbox(key string) bool { return t.b(bOutbox).Get([]byte(key)) != nil }

// Outbox reads one entry.
func (t *Tx) Outbox(key string) (*OutboxEntry, error) {
	v := t.b(bOutbox).Get([]byte(key))
	if v == nil {
		return nil, fmt.Errorf("store: outbox %s: %w", key, ErrNotFound)
	}
	var e OutboxEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return nil, fmt.Errorf("store: decode outbox %s: %w", key, err)
	}
	return &e, nil
}

// PutOutbox updates an existing entry (state, attempts, ...) and keeps the
// due index in step: only queued entries are in it.
func (t *Tx) PutOutbox(e *OutboxEntry) error {
	old, err := t.Outbox(e.Key)
	if err != nil {
		return err
	}
	return t.putOutbox(e, old)
}

func (t *Tx) putOutbox(e, old *OutboxEntry) error {
	if old != nil && old.State == OutboxQueued {
		if err := t.b(bOutboxDue).Delete(outboxDueKey(old.NextAttempt, old.Key)); err != nil {
			return err
		}
	}
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("store: encode outbox %s: %w", e.Key, err)
	}
	if err := t.b(bOutbox).Put([]byte(e.Key), data); err != nil {
		return fmt.Errorf("store: put outbox %s: %w", e.Key, err)
	}
	if err := t.indexFiling(e, old); err != nil {
		return fmt.Errorf("store: put outbox %s: %w", e.Key, err)
	}
	if e.State == OutboxQueued {
		return t.b(bOutboxDue).Put(outboxDueKey(e.NextAttempt, e.Key), nil)
	}
	return nil
}

// DueOutbox returns up to limit queued entry keys whose next attempt is at
// or before now, oldest first.
func (t *Tx) DueOutbox(now time.Time, limit int) []string {
	return t.dueKeys(bOutboxDue, now, limit)
}

// NextOutbox returns when the earliest queued entry is due.
func (t *Tx) NextOutbox() (time.Time, bool) { return t.firstDue(bOutboxDue) }

// dueKeys reads a time index (BE unix nanos | key): up to limit keys due
// at or before now, oldest first.
func (t *Tx) dueKeys(bucket []byte, now time.Time, limit int) []string {
	var keys []string
	c := t.b(bucket).Cursor()
	for k, _ := c.First(); k != nil && len(keys) < limit; k, _ = c.Next() {
		if int64(binary.BigEndian.Uint64(k[:8])) > now.UnixNano() {
			break
		}
		keys = append(keys, string(k[8:]))
	}
	return keys
}

// firstDue returns the earliest time of a time index.
func (t *Tx) firstDue(bucket []byte) (time.Time, bool) {
	k, _ := t.b(bucket).Cursor().First()
	if k == nil {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))), true
}

// QueuedOutbox counts queued entries and returns the oldest one's creation
// time.
func (t *Tx) QueuedOutbox() (n int, oldest time.Time) {
	c := t.b(bOutboxDue).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
		if e, err := t.Outbox(string(k[8:])); err == nil && (oldest.IsZero() || e.Created.Before(oldest)) {
			oldest = e.Created
		}
	}
	return n, oldest
}

// ForEachOutbox calls fn for every outbox entry in key order.
func (t *Tx) ForEachOutbox(fn func(*OutboxEntry) error) error {
	return t.b(bOutbox).ForEach(func(k, v []byte) error {
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("store: decode outbox %s: %w", k, err)
		}
		return fn(&e)
	})
}

// OutboxByMessageID finds the entry that sent a Message-ID (for attaching
// bounces and threading replies).
func (t *Tx) OutboxByMessageID(mid string) (*OutboxEntry, bool) {
	k := t.b(bOutboxMID).Get([]byte(mid))
	if k == nil {
		return nil, false
	}
	e, err := t.Outbox(string(k))
	return e, err == nil
}

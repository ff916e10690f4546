package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// OutboxFor returns the outbox entries about a record, in key order. It
// reads only the keys that start with the record's id (outbox keys are
// "ID|kind|recipient|period", see notify.Key).
func (t *Tx) OutboxFor(recordID string) ([]*OutboxEntry, error) {
	var out []*OutboxEntry
	prefix := []byte(recordID + "|")
	c := t.b(bOutbox).Cursor()
	for k, v := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, v = c.Next() {
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("store: decode outbox %s: %w", k, err)
		}
		if e.RecordID == recordID {
			out = append(out, &e)
		}
	}
	return out, nil
}

// OutboxKinds returns the kinds of mail queued about a record (any state),
// reading only the outbox keys ("ID|kind|recipient|period"), not the mail.
func (t *Tx) OutboxKinds(recordID string) map[string]bool {
	kinds := map[string]bool{}
	prefix := []byte(recordID + "|")
	c := t.b(bOutbox).Cursor()
	for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
		rest := k[len(prefix):]
		if i := bytes.IndexByte(rest, '|'); i > 0 {
			kinds[string(rest[:i])] = true
		}
	}
	return kinds
}

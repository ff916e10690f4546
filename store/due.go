package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// Due is one entry of the deadline index: something about a record falls
// due at a time. Kind names what ("deadline" for a statement's reply
// deadline; the scheduler adds its own kinds such as "ack").
type Due struct {
	At       time.Time
	Kind     string
	RecordID string
}

func dueKey(at time.Time, kind, id string) []byte {
	k := make([]byte, 0, 8+len(kind)+1+len(id))
	k = binary.BigEndian.AppendUint64(k, uint64(at.Unix()))
	k = append(k, kind...)
	k = append(k, 0)
	k = append(k, id...)
	return k
}

func decodeDueKey(k []byte) (Due, error) {
	if len(k) < 9 {
		return Due{}, fmt.Errorf("store: short due key %x", k)
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(k[:8])), 0).UTC()
	rest := k[8:]
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return Due{}, fmt.Errorf("store: malformed due key %x", k)
	}
	return Due{At: at, Kind: string(rest[:i]), RecordID: string(rest[i+1:])}, nil
}

func byIDKey(id, kind string) []byte { return []byte(id + "\x00" + kind) }

// SetDue places (or moves) the record's entry of the given kind in the
// deadline index. Only one entry per (record, kind) exists.
func (t *Tx) SetDue(id, kind string, at time.Time) error {
	if err := t.ClearDue(id, kind); err != nil {
		return err
	}
	k := dueKey(at, kind, id)
	if err := t.b(bDue).Put(k, nil); err != nil {
		return fmt.Errorf("store: index due %s/%s: %w", id, kind, err)
	}
	return t.b(bDueByID).Put(byIDKey(id, kind), k)
}

// ClearDue removes the record's entry of the given kind, if any.
func (t *Tx) ClearDue(id, kind string) error {
	bk := byIDKey(id, kind)
	old := t.b(bDueByID).Get(bk)
	if old == nil {
		return nil
	}
	if err := t.b(bDue).Delete(append([]byte(nil), old...)); err != nil {
		return err
	}
	return t.b(bDueByID).Delete(bk)
}

// ClearDueThrough removes every entry of the record due at or before t,
// whatever its kind: the triggers a look at the record at t consumes.
// Entries due later stay.
func (t *Tx) ClearDueThrough(id string, at time.Time) error {
	prefix := []byte(id + "\x00")
	limit := uint64(at.Unix())
	var kinds []string
	c := t.b(bDueByID).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(v) >= 8 && binary.BigEndian.Uint64(v[:8]) <= limit {
			kinds = append(kinds, string(k[len(prefix):]))
		}
	}
	for _, kind := range kinds {
		if err := t.ClearDue(id, kind); err != nil {
			return fmt.Errorf("store: clear due %s/%s: %w", id, kind, err)
		}
	}
	return nil
}

// DueAt returns when the record's entry of kind falls due.
func (t *Tx) DueAt(id, kind string) (time.Time, bool) {
	v := t.b(bDueByID).Get(byIDKey(id, kind))
	if v == nil {
		return time.Time{}, false
	}
	d, err := decodeDueKey(v)
	if err != nil {
		return time.Time{}, false
	}
	return d.At, true
}

// DueBefore calls fn, in time order, for every index entry due at or before
// t. It reads only the entries it returns (plus one), never the whole index.
func (t *Tx) DueBefore(before time.Time, fn func(Due) error) error {
	c := t.b(bDue).Cursor()
	limit := uint64(before.Unix())
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if binary.BigEndian.Uint64(k[:8]) > limit {
			return nil
		}
		d, err := decodeDueKey(k)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// NextDue returns the earliest entry in the index.
func (t *Tx) NextDue() (Due, bool) {
	k, _ := t.b(bDue).Cursor().First()
	if k == nil {
		return Due{}, false
	}
	d, err := decodeDueKey(k)
	return d, err == nil
}

package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The scheduler's buckets. They are created idempotently on open (see
// migrate), so no schema change is needed.
var (
	bSchedState = []byte("sched_state") // "digest\x00" recipient -> JSON DigestState; flags
	bOpenIdx    = []byte("open_idx")    // owner | 0 | id -> nothing: open statements per owner
	bOpenByID   = []byte("open_by_id")  // id -> owners joined by 0
	bRecvIdx    = []byte("recv_idx")    // BE unix seconds | id -> nothing: statements by receipt
)

func init() {
	allBuckets = append(allBuckets, bSchedState, bOpenIdx, bOpenByID, bRecvIdx)
}

// DigestState remembers the last digest sent to a recipient.
type DigestState struct {
	// Period is the last period ("2027-W09", "2027-03-01") a digest was
	// queued for; periods compare in time order as strings.
	Period string `json:"period"`
	// At is the slot time of that digest: "new since the last digest"
	// counts from it.
	At time.Time `json:"at"`
}

func digestKey(recipient string) []byte {
	return []byte("digest\x00" + strings.ToLower(recipient))
}

// DigestState returns the last digest state of recipient (ok false when
// none was ever sent).
func (t *Tx) DigestState(recipient string) (DigestState, bool, error) {
	var st DigestState
	v := t.b(bSchedState).Get(digestKey(recipient))
	if v == nil {
		return st, false, nil
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return st, false, fmt.Errorf("store: decode digest state of %s: %w", recipient, err)
	}
	return st, true, nil
}

// SetDigestState records the digest queued for recipient.
func (t *Tx) SetDigestState(recipient string, st DigestState) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("store: encode digest state: %w", err)
	}
	return t.b(bSchedState).Put(digestKey(recipient), data)
}

// SchedFlag reports whether a one-time scheduler step (such as the backfill
// of the indexes) was done.
func (t *Tx) SchedFlag(name string) bool {
	return t.b(bSchedState).Get([]byte("flag\x00"+name)) != nil
}

// SetSchedFlag marks a one-time scheduler step done.
func (t *Tx) SetSchedFlag(name string) error {
	return t.b(bSchedState).Put([]byte("flag\x00"+name), []byte{1})
}

func openKey(owner, id string) []byte {
	return []byte(strings.ToLower(owner) + "\x00" + id)
}

// SetOpen records the owners (manager addresses, or a role such as "iab")
// an open statement is listed under; no owners removes it from the index.
func (t *Tx) SetOpen(id string, owners []string) error {
	if old := t.b(bOpenByID).Get([]byte(id)); old != nil {
		for _, o := range strings.Split(string(old), "\x00") {
			if err := t.b(bOpenIdx).Delete(openKey(o, id)); err != nil {
				return fmt.Errorf("store: unindex open %s: %w", id, err)
			}
		}
	}
	if len(owners) == 0 {
		return t.b(bOpenByID).Delete([]byte(id))
	}
	for i, o := range owners {
		owners[i] = strings.ToLower(o)
		if err := t.b(bOpenIdx).Put(openKey(o, id), nil); err != nil {
			return fmt.Errorf("store: index open %s: %w", id, err)
		}
	}
	return t.b(bOpenByID).Put([]byte(id), []byte(strings.Join(owners, "\x00")))
}

// OpenFor calls fn with the id of every open statement listed under owner,
// in id order, reading only that owner's part of the index.
func (t *Tx) OpenFor(owner string, fn func(id string) error) error {
	prefix := []byte(strings.ToLower(owner) + "\x00")
	c := t.b(bOpenIdx).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if err := fn(string(k[len(prefix):])); err != nil {
			return err
		}
	}
	return nil
}

// ForEachOpen calls fn with every open statement's id and owners.
func (t *Tx) ForEachOpen(fn func(id string, owners []string) error) error {
	return t.b(bOpenByID).ForEach(func(k, v []byte) error {
		return fn(string(k), strings.Split(string(v), "\x00"))
	})
}

func recvKey(at time.Time, id string) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(id)), uint64(at.Unix()))
	return append(k, id...)
}

// IndexReceived lists a statement under its receipt time (idempotent).
func (t *Tx) IndexReceived(id string, at time.Time) error {
	return t.b(bRecvIdx).Put(recvKey(at, id), nil)
}

// ReceivedBetween calls fn, in time order, with the id of every indexed
// statement received after from and at or before to.
func (t *Tx) ReceivedBetween(from, to time.Time, fn func(id string) error) error {
	c := t.b(bRecvIdx).Cursor()
	lo, hi := uint64(from.Unix()), uint64(to.Unix())
	for k, _ := c.Seek(binary.BigEndian.AppendUint64(nil, lo+1)); k != nil; k, _ = c.Next() {
		if binary.BigEndian.Uint64(k[:8]) > hi {
			return nil
		}
		if err := fn(string(k[8:])); err != nil {
			return err
		}
	}
	return nil
}

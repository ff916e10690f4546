package store

import (
	"bytes"
	"fmt"
)

// bRefs indexes what replies refer to: kind | 0 | normalised value | 0 |
// record id -> nothing. Kinds are chosen by the caller ("title" for
// normalised statement titles, "peerid" for a peer organization's own
// document identifiers), so that a reply can be matched to the statement it
// answers with one prefix seek instead of a scan of every record.
var bRefs = []byte("refs")

// The kinds of refs the daemon indexes for reply tracking.
const (
	// RefTitle indexes a statement under its normalised title
	// (liaison.NormTitle).
	RefTitle = "title"
	// RefPeerID indexes a statement under a peer organization's own
	// identifier of it (mailproc.NormID).
	RefPeerID = "peerid"
)

// The refs bucket is created like every other bucket: idempotently on open
// (see migrate), without a schema change.
func init() { allBuckets = append(allBuckets, bRefs) }

func refPrefix(kind, value string) []byte {
	k := make([]byte, 0, len(kind)+len(value)+2)
	k = append(k, kind...)
	k = append(k, 0)
	k = append(k, value...)
	return append(k, 0)
}

// AddRef indexes record id under (kind, value). Empty values are ignored;
// adding the same entry twice is a no-op.
func (t *Tx) AddRef(kind, value, id string) error {
	if kind == "" || value == "" || id == "" {
		return nil
	}
	b := t.b(bRefs)
	if b == nil {
		return fmt.Errorf("store: refs index missing (open the database read-write once)")
	}
	if err := b.Put(append(refPrefix(kind, value), id...), nil); err != nil {
		return fmt.Errorf("store: index %s ref of %s: %w", kind, id, err)
	}
	return nil
}

// RemoveRef removes record id from (kind, value), if it is there.
func (t *Tx) RemoveRef(kind, value, id string) error {
	b := t.b(bRefs)
	if b == nil || value == "" {
		return nil
	}
	if err := b.Delete(append(refPrefix(kind, value), id...)); err != nil {
		return fmt.Errorf("store: unindex %s ref of %s: %w", kind, id, err)
	}
	return nil
}

// Refs returns the ids of the records indexed under (kind, value), in id
// order. It reads only those entries.
func (t *Tx) Refs(kind, value string) []string {
	b := t.b(bRefs)
	if b == nil || value == "" {
		return nil
	}
	prefix := refPrefix(kind, value)
	var out []string
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

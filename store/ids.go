package store

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
)

// Reserved ids: a database rebuilt from the mailbox gives a record the id
// the mailbox names for it (the sent folder's traces say which record each
// mail was about), so that the keys, Message-IDs and reply tokens of the
// mail already sent still name the same statements. Those ids are reserved
// before anything is recorded, so that NextID gives them to nobody else,
// and taken (TakeID) by the records they belong to.

// reservedKey is the meta key reserving id.
func reservedKey(id string) []byte { return []byte("reserved/" + id) }

// ReserveID keeps id from NextID until TakeID takes it.
func (t *Tx) ReserveID(id string) error {
	if err := t.b(bMeta).Put(reservedKey(id), []byte{1}); err != nil {
		return fmt.Errorf("store: reserve id %s: %w", id, err)
	}
	return nil
}

// TakeID takes id for a new record when no record holds it, whether it was
// reserved or not, and reports whether it did.
func (t *Tx) TakeID(id string) (bool, error) {
	if id == "" || t.b(bRecords).Get([]byte(id)) != nil {
		return false, nil
	}
	if err := t.b(bMeta).Delete(reservedKey(id)); err != nil {
		return false, fmt.Errorf("store: take id %s: %w", id, err)
	}
	return true, nil
}

// idTaken reports whether a record holds id or id is reserved.
func (t *Tx) idTaken(id string) bool {
	return t.b(bRecords).Get([]byte(id)) != nil || t.b(bMeta).Get(reservedKey(id)) != nil
}

// idRE finds the record ids in a text (an outbox key).
var idRE = regexp.MustCompile(`\b(LS|MSG)-(\d{4})-(\d{4,})\b`)

// PassIDs moves the id sequences past every id named in text, so that
// NextID never gives out an id that mail already sent names (a rebuilt
// database: the sent folder's keys name ids of records it may not have).
func (t *Tx) PassIDs(text string) error {
	m := t.b(bMeta)
	for _, sub := range idRE.FindAllStringSubmatch(text, -1) {
		n, err := strconv.ParseUint(sub[3], 10, 64)
		if err != nil {
			continue
		}
		key := []byte("seq/" + sub[1] + "/" + sub[2])
		if v := m.Get(key); v != nil && binary.BigEndian.Uint64(v) >= n {
			continue
		}
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], n)
		if err := m.Put(key, buf[:]); err != nil {
			return fmt.Errorf("store: pass id %s: %w", sub[0], err)
		}
	}
	return nil
}

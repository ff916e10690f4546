package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Reset empties the database, for a rebuild from the mailbox into the same
// file (a daemon catching up after it took the mailbox over): every bucket
// is dropped and made again, and of the meta bucket only the schema
// version, the instance id and the mark that the database is behind the
// mailbox are kept (id sequences and reserved ids go). The in-memory list index is emptied with it. The caller
// keeps a copy first (BackupFile) if it wants one.
func (db *DB) Reset() error {
	err := db.update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if bytes.Equal(name, bMeta) {
				continue
			}
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return fmt.Errorf("store: reset %s: %w", name, err)
				}
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("store: reset %s: %w", name, err)
			}
		}
		m := tx.Bucket(bMeta)
		var drop [][]byte
		if err := m.ForEach(func(k, _ []byte) error {
			if !bytes.Equal(k, keySchema) && !bytes.Equal(k, keyInstance) && !bytes.Equal(k, keyBehind) {
				drop = append(drop, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range drop {
			if err := m.Delete(k); err != nil {
				return fmt.Errorf("store: reset meta %s: %w", k, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ix := &db.summaries
	ix.mu.Lock()
	ix.built, ix.byID = false, nil
	ix.sorted.Store(nil)
	ix.mu.Unlock()
	return nil
}

// Empty reports whether the database holds no record and no outbox entry.
func (t *Tx) Empty() bool {
	return t.CountRecords() == 0 && t.b(bOutbox).Stats().KeyN == 0
}

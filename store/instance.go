package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// Meta keys of the database's identity toward the mailbox it works on
// (package imapwatch's lease).
var (
	keyInstance = []byte("instance") // random id of this database
	keyBehind   = []byte("behind")   // set while the database is behind the mailbox
)

// Instance returns the database's random identity, made on first use: the
// holder of a claim on the mailbox names the database it works on, so that
// a daemon taking the mailbox over can tell whether its own database is
// the one the mailbox was last worked with.
func (db *DB) Instance() (string, error) {
	var id string
	err := db.View(func(tx *Tx) error {
		id = string(tx.b(bMeta).Get(keyInstance))
		return nil
	})
	if err != nil || id != "" {
		return id, err
	}
	err = db.Update(func(tx *Tx) error {
		if v := tx.b(bMeta).Get(keyInstance); v != nil {
			id = string(v)
			return nil
		}
		var err error
		id, err = tx.NewInstance()
		return err
	})
	return id, err
}

// NewInstance gives the database a new identity: a restored backup is not
// the database it was copied from (which may work on elsewhere), and is
// behind the mailbox.
func (t *Tx) NewInstance() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: new instance id: %w", err)
	}
	id := hex.EncodeToString(b[:])
	if err := t.b(bMeta).Put(keyInstance, []byte(id)); err != nil {
		return "", fmt.Errorf("store: new instance id: %w", err)
	}
	return id, nil
}

// Behind reports whether the database was found behind the mailbox and
// has not caught up yet (a rebuild that did not finish).
func (t *Tx) Behind() bool { return t.b(bMeta).Get(keyBehind) != nil }

// SetBehind records whether the database is behind the mailbox: set before
// a rebuild starts, cleared when it finished, so that a rebuild cut short
// is done again rather than worked on.
func (t *Tx) SetBehind(behind bool) error {
	if !behind {
		return t.b(bMeta).Delete(keyBehind)
	}
	return t.b(bMeta).Put(keyBehind, []byte{1})
}

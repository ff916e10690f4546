package store

import (
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

func TestResetKeepsOnlyTheIdentity(t *testing.T) {
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inst, err := db.Instance()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *Tx) error {
		id, err := tx.NextID("LS", 2026)
		if err != nil {
			return err
		}
		if err := tx.PutRecord(&liaison.Record{ID: id, Received: now}); err != nil {
			return err
		}
		if _, err := tx.Enqueue(&OutboxEntry{Key: id + "|notice|a@x|", Raw: []byte("x"), Created: now}); err != nil {
			return err
		}
		if err := tx.SetCheckpoint("INBOX", Checkpoint{UIDValidity: 1, LastUID: 9}); err != nil {
			return err
		}
		return tx.SetBehind(true)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sums, _ := db.Summaries(); len(sums) != 1 {
		t.Fatalf("%d summaries before the reset", len(sums))
	}
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if sums, _ := db.Summaries(); len(sums) != 0 {
		t.Errorf("%d summaries after the reset", len(sums))
	}
	err = db.View(func(tx *Tx) error {
		if !tx.Empty() {
			t.Error("records or outbox entries survived the reset")
		}
		if cp, _ := tx.Checkpoint("INBOX"); cp.LastUID != 0 {
			t.Errorf("checkpoint survived: %+v", cp)
		}
		if !tx.Behind() {
			t.Error("the mark that the database is behind the mailbox was dropped")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Instance(); got != inst {
		t.Errorf("instance %q after the reset, want %q kept", got, inst)
	}
	var id string
	_ = db.Update(func(tx *Tx) (err error) { id, err = tx.NextID("LS", 2026); return err })
	if id != "LS-2026-0001" {
		t.Errorf("first id after the reset %s", id)
	}
	if rep, err := db.Check(10); err != nil || !rep.OK() {
		t.Errorf("check after the reset: %+v, %v", rep, err)
	}
}

package store

import (
	"testing"
	"time"
)

func TestAttemptsCountFailuresAndUnfinished(t *testing.T) {
	db, dir := openTest(t)
	t0 := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	update := func(db *DB, fn func(tx *Tx) error) {
		t.Helper()
		if err := db.Update(fn); err != nil {
			t.Fatal(err)
		}
	}
	// Attempt 1 is begun and the daemon dies.
	update(db, func(tx *Tx) error { _, err := tx.BeginAttempt("INBOX", 7, 42, t0); return err })
	db.Close()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Attempt 2 fails; attempt 3 is interrupted (uncounted); attempt 3
	// again is in hand.
	update(db, func(tx *Tx) error {
		if _, err := tx.BeginAttempt("INBOX", 7, 42, t0.Add(time.Minute)); err != nil {
			return err
		}
		if err := tx.EndAttempt("INBOX", 7, 42, "record: disk full"); err != nil {
			return err
		}
		if _, err := tx.BeginAttempt("INBOX", 7, 42, t0.Add(2*time.Minute)); err != nil {
			return err
		}
		if err := tx.EndAttempt("INBOX", 7, 42, ""); err != nil {
			return err
		}
		_, err := tx.BeginAttempt("INBOX", 7, 42, t0.Add(3*time.Minute))
		return err
	})
	var a, none Attempt
	_ = db.View(func(tx *Tx) (err error) {
		if a, err = tx.Attempt("INBOX", 7, 42); err != nil {
			return err
		}
		none, err = tx.Attempt("INBOX", 7, 43)
		return err
	})
	if a.Count != 3 || a.Failures != 1 || a.LastError != "record: disk full" || a.Unfinished() != 1 ||
		!a.First.Equal(t0) || !a.Last.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("attempt = %+v (unfinished %d)", a, a.Unfinished())
	}
	if none != (Attempt{}) {
		t.Fatalf("a message never tried has attempts %+v", none)
	}
	// Ending an attempt at a message never tried changes nothing; an
	// interrupted only attempt leaves no trace.
	update(db, func(tx *Tx) error {
		if err := tx.EndAttempt("INBOX", 7, 44, "late"); err != nil {
			return err
		}
		if _, err := tx.BeginAttempt("INBOX", 7, 45, t0); err != nil {
			return err
		}
		return tx.EndAttempt("INBOX", 7, 45, "")
	})
	_ = db.View(func(tx *Tx) error {
		if m, _ := tx.Attempts("INBOX", 7); len(m) != 1 {
			t.Errorf("attempts = %+v, want only UID 42", m)
		}
		return nil
	})
}

func TestClearAttemptsKeepsOnlyWhatTheCheckpointDoesNotCover(t *testing.T) {
	db, _ := openTest(t)
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	err := db.Update(func(tx *Tx) error {
		for _, k := range []struct {
			folder string
			uidv   uint32
			uid    uint32
		}{{"INBOX", 7, 1}, {"INBOX", 7, 5}, {"INBOX", 7, 6}, {"INBOX", 7, 900}, {"INBOX", 6, 800}, {"INBOX2", 7, 1}} {
			if _, err := tx.BeginAttempt(k.folder, k.uidv, k.uid, now); err != nil {
				return err
			}
		}
		return tx.ClearAttempts("INBOX", 7, 5)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		got, err := tx.Attempts("INBOX", 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[6].Count != 1 || got[900].Count != 1 {
			t.Errorf("INBOX/7 attempts after clearing up to 5 = %+v, want UIDs 6 and 900", got)
		}
		if old, _ := tx.Attempts("INBOX", 6); len(old) != 0 {
			t.Errorf("attempts of an old UIDVALIDITY kept: %+v", old)
		}
		if other, _ := tx.Attempts("INBOX2", 7); len(other) != 1 {
			t.Errorf("another folder's attempts touched: %+v", other)
		}
		return nil
	})
}

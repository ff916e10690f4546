package store

import (
	"errors"
	"testing"
)

func TestFiles(t *testing.T) {
	db, _ := openTest(t)
	data := []byte("%PDF-1.4 a small attachment")
	var sha string
	if err := db.Update(func(tx *Tx) (err error) {
		sha, err = tx.PutFile("LS-2027-0001", data)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(sha) != 64 {
		t.Fatalf("sha %q", sha)
	}
	_ = db.View(func(tx *Tx) error {
		got, err := tx.File("LS-2027-0001", sha)
		if err != nil || string(got) != string(data) {
			t.Errorf("File = %q, %v", got, err)
		}
		if _, err := tx.File("LS-2027-0002", sha); !errors.Is(err, ErrNotFound) {
			t.Errorf("another record's file: %v, want not found", err)
		}
		return nil
	})
	// A file whose bytes changed under its key is refused, not served.
	if err := db.Update(func(tx *Tx) error { return tx.PutRaw(FileKey("LS-2027-0001", sha), []byte("changed")) }); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if _, err := tx.File("LS-2027-0001", sha); err == nil {
			t.Error("a file that does not match its hash was returned")
		}
		return nil
	})
	if err := db.Update(func(tx *Tx) error { return tx.DeleteFile("LS-2027-0001", sha) }); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if _, err := tx.File("LS-2027-0001", sha); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		return nil
	})
}

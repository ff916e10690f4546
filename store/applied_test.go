package store

import (
	"strings"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
)

// The replay guard keeps applied commands across a reopen, per statement
// and key, and the database check verifies what it names.
func TestAppliedCommands(t *testing.T) {
	db, dir := openTest(t)
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	if err := db.Update(func(tx *Tx) error {
		if err := tx.PutRecord(&liaison.Record{ID: "LS-2026-0001", Received: at}); err != nil {
			return err
		}
		return tx.MarkCommandApplied("LS-2026-0001", "k1", AppliedCommand{At: at, Mail: "MSG-2026-000002", Command: "ack"})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *Tx) error {
		a, ok, err := tx.CommandApplied("LS-2026-0001", "k1")
		if err != nil || !ok || a.Mail != "MSG-2026-000002" || a.Command != "ack" || !a.At.Equal(at) {
			t.Errorf("applied: %+v %v %v", a, ok, err)
		}
		for _, miss := range [][2]string{{"LS-2026-0001", "k2"}, {"LS-2026-0002", "k1"}} {
			if _, ok, _ := tx.CommandApplied(miss[0], miss[1]); ok {
				t.Errorf("%v found", miss)
			}
		}
		return nil
	})
	if rep, err := db.Check(10); err != nil || !rep.OK() {
		t.Fatalf("check: %v %+v", err, rep)
	}
	// An entry for a statement that does not exist is a problem.
	if err := db.Update(func(tx *Tx) error {
		return tx.MarkCommandApplied("LS-2026-0099", "k1", AppliedCommand{At: at, Command: "ack"})
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Check(10)
	if err != nil || rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "applied_commands/LS-2026-0099") {
		t.Errorf("check of a dangling entry: %v %+v", err, rep.Problems)
	}
}

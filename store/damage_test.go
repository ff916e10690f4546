package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
	"github.com/ietf-tools/liaisond/store/storetest"
)

// populated returns a closed database in a fresh data dir holding n
// statements with raw mail, events and outbox entries: enough pages that
// damage lands on data.
func populated(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *store.Tx) error {
		for i := range n {
			id := fmt.Sprintf("LS-2026-%04d", i+1)
			body := strings.Repeat(fmt.Sprintf("Statement %d on OTN YANG models. ", i), 40)
			r := &liaison.Record{ID: id, Received: at, RawKey: id, State: liaison.StateOpen, Extraction: liaison.Extraction{
				Kind: liaison.KindStatement, MessageID: id + "@itu.int", ContentHash: "h" + id, Title: "LS on OTN " + id, Body: body}}
			if err := tx.PutRecord(r); err != nil {
				return err
			}
			if err := tx.PutRaw(id, []byte("Subject: LS\r\n\r\n"+body+body)); err != nil {
				return err
			}
			if err := tx.AddEvent(id, liaison.Event{At: at, Type: "received"}); err != nil {
				return err
			}
			if err := tx.SetDue(id, "deadline", at.AddDate(0, 0, i)); err != nil {
				return err
			}
			if _, err := tx.Enqueue(&store.OutboxEntry{Key: id + "|notice|a@ietf.example|", RecordID: id, Kind: "notice", Recipient: "a@ietf.example",
				MessageID: "n-" + id + "@ietf.example", Raw: []byte("Subject: notice\r\n\r\nhello"), Created: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkDir opens a data dir's database read-only and checks it.
func checkDir(t *testing.T, dir string, limit int) *store.CheckReport {
	t.Helper()
	db, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.Check(limit)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// readAll reads every record, every raw message and the outbox, the way
// `list`, the web view and the outbox loop do.
func readAll(db *store.DB) error {
	return db.View(func(tx *store.Tx) error {
		err := tx.ForEachRecord(func(r *liaison.Record) error {
			if _, err := tx.Raw(r.RawKey); err != nil {
				return err
			}
			_, err := tx.Events(r.ID)
			return err
		})
		if err != nil {
			return err
		}
		return tx.ForEachOutbox(func(*store.OutboxEntry) error { return nil })
	})
}

func TestCheckPassesAHealthyDatabase(t *testing.T) {
	rep := checkDir(t, populated(t, 200), 0)
	if !rep.OK() || !rep.PagesChecked {
		t.Fatalf("a healthy database has problems (pages checked %v): %q", rep.PagesChecked, rep.Problems)
	}
	for bucket, want := range map[string]int{"records": 200, "raw": 200, "outbox": 200, "events": 200, "due": 200, "msgid": 200} {
		if rep.Counts[bucket] != want {
			t.Errorf("%s: counted %d, want %d", bucket, rep.Counts[bucket], want)
		}
	}
}

// TestCheckFindsSchemaProblems breaks the schema without breaking bbolt:
// undecodable values and index entries pointing at nothing.
func TestCheckFindsSchemaProblems(t *testing.T) {
	dir := populated(t, 20)
	b, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		put := func(bucket, k, v string) {
			if err == nil {
				err = tx.Bucket([]byte(bucket)).Put([]byte(k), []byte(v))
			}
		}
		put("records", "LS-2026-0003", "{not json")
		put("msgid", "ghost@example.org", "LS-2026-0999")
		put("outbox_mid", "gone@ietf.example", "LS-2026-0999|notice|x|")
		put("outbox_due", "\x00\x00\x00\x00\x00\x00\x00\x01LS-2026-0998|notice|y|", "")
		if err == nil {
			// The first (here the only) chunk of its raw message.
			err = tx.Bucket([]byte("raw_chunks")).Delete([]byte("LS-2026-0005\x00\x00\x00\x00\x00"))
		}
		return err
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	rep := checkDir(t, dir, 0)
	got := strings.Join(rep.Problems, "\n")
	for _, want := range []string{
		"records/LS-2026-0003: does not decode",
		`msgid/ghost@example.org: points at record "LS-2026-0999", which does not exist`,
		`outbox_mid/gone@ietf.example: points at outbox entry "LS-2026-0999|notice|x|", which does not exist`,
		"outbox_due/LS-2026-0998|notice|y|: no such outbox entry",
		`records/LS-2026-0005: its raw message "LS-2026-0005" is missing`,
		// The undecodable record's own index entries now dangle.
		`events/LS-2026-0003: points at record "LS-2026-0003"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("check did not report %q; it said:\n%s", want, got)
		}
	}
	if !rep.PagesChecked {
		t.Error("a bbolt-consistent file skipped the page check")
	}
	if lim := checkDir(t, dir, 2); len(lim.Problems) != 2 || lim.Omitted == 0 {
		t.Errorf("limit 2: %d problems, %d omitted", len(lim.Problems), lim.Omitted)
	}
}

// TestTruncatedFileIsRefusedAtOpen cuts a file in half: opening it must
// name the file and the truncation instead of dying of SIGBUS on the first
// read.
func TestTruncatedFileIsRefusedAtOpen(t *testing.T) {
	for _, ro := range []bool{false, true} {
		t.Run(fmt.Sprintf("readonly=%v", ro), func(t *testing.T) {
			dir := populated(t, 200)
			path := filepath.Join(dir, store.FileName)
			storetest.Truncate(t, path)
			db, err := store.Open(dir, store.Options{ReadOnly: ro})
			if err == nil {
				db.Close()
				t.Fatal("a truncated file opened")
			}
			var d *store.DamageError
			if !errors.As(err, &d) || !errors.Is(err, store.ErrDamaged) || d.Path != path || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("err = %v, want a DamageError about truncation of %s", err, path)
			}
		})
	}
}

// TestFileCutUnderAnOpenDatabase truncates the file while it is open, as a
// full disk or an operator's mistake can while the daemon runs: the next
// read faults (SIGBUS), which must become a DamageError, after which the
// database refuses every transaction and says so on Damaged.
func TestFileCutUnderAnOpenDatabase(t *testing.T) {
	dir := populated(t, 300)
	path := filepath.Join(dir, store.FileName)
	db, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Truncate(path, 8192); err != nil {
		t.Fatal(err)
	}
	err = readAll(db)
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "faulted") {
		t.Fatalf("reading a cut file: %v", err)
	}
	select {
	case <-db.Damaged():
	default:
		t.Error("Damaged is not closed after damage was found")
	}
	calls := 0
	err2 := db.View(func(*store.Tx) error { calls++; return nil })
	if err2 == nil || err2.Error() != err.Error() || calls != 0 {
		t.Errorf("after damage: err %v, fn called %d times; want the same damage and no call", err2, calls)
	}
	if db.Damage() == nil {
		t.Error("Damage() is nil after damage")
	}
}

// TestOverwrittenPagesAreReportedNotPanicked fills pages with garbage:
// bbolt panics on its assertions; every store entry point must return a
// DamageError naming the file instead, and Check must list problems.
func TestOverwrittenPagesAreReportedNotPanicked(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dir := populated(t, 200)
			path := filepath.Join(dir, store.FileName)
			storetest.Overwrite(t, path, seed)

			// Read-write open (what `run` and `ingest` do), then read.
			db, err := store.Open(dir, store.Options{})
			if err == nil {
				err = readAll(db)
				if err == nil {
					err = db.Update(func(tx *store.Tx) error { return tx.PutRaw("new", []byte("x")) })
				}
				db.Close()
			}
			if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), path) {
				t.Fatalf("read-write: err = %v, want a DamageError naming %s", err, path)
			}

			// A failed open must not leave the file locked (bbolt panics
			// in Open with its file locked and mapped).
			db, err = store.Open(dir, store.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
			if errors.Is(err, store.ErrLocked) {
				t.Fatalf("the damaged file stayed locked: %v", err)
			}
			if err != nil {
				if !errors.Is(err, store.ErrDamaged) {
					t.Fatalf("read-only open: %v", err)
				}
				return // damage found at open: nothing more to check
			}
			defer db.Close()
			rep, err := db.Check(50)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("check passed a file with overwritten pages")
			}
			t.Logf("check found %d problems (+%d):\n%s", len(rep.Problems), rep.Omitted, strings.Join(rep.Problems, "\n"))
		})
	}
}

// TestMetaPagesOverwritten: a file whose first pages are garbage is not a
// database any more; opening says so and names it.
func TestMetaPagesOverwritten(t *testing.T) {
	dir := populated(t, 10)
	path := filepath.Join(dir, store.FileName)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(strings.Repeat("garbage!", 2048)), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = store.Open(dir, store.Options{ReadOnly: true})
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "meta page") {
		t.Fatalf("err = %v", err)
	}
}

// TestCallerPanicsAreNotTakenForDamage: a bug in the function given to
// View is re-raised, not reported as a damaged file.
func TestCallerPanicsAreNotTakenForDamage(t *testing.T) {
	db, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer func() {
		if r := recover(); r != "caller bug" {
			t.Errorf("recovered %v, want the caller's panic", r)
		}
		if db.Damage() != nil {
			t.Errorf("a caller's panic marked the database damaged: %v", db.Damage())
		}
	}()
	_ = db.View(func(*store.Tx) error { panic("caller bug") })
	t.Error("View returned after a panic")
}

package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ietf-tools/liaisond/liaison"
	"github.com/ietf-tools/liaisond/store"
)

// TestBackupWhileWriting takes backups while another goroutine keeps
// committing records: every backup is a consistent database (it passes
// the full check) holding a prefix of the writes.
func TestBackupWhileWriting(t *testing.T) {
	dir := populated(t, 50)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("LS-2027-%04d", i+1)
			err := db.Update(func(tx *store.Tx) error {
				if err := tx.PutRaw(id, make([]byte, 20000)); err != nil {
					return err
				}
				return tx.PutRecord(&liaison.Record{ID: id, RawKey: id, Received: time.Now()})
			})
			if err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	out := t.TempDir()
	prev := 0
	for i := range 5 {
		// Let the writer commit more before each backup.
		for w := written.Load(); written.Load() < w+3; {
			time.Sleep(time.Millisecond)
		}
		path := filepath.Join(out, fmt.Sprintf("b%d.db", i))
		if _, err := db.BackupFile(path); err != nil {
			t.Fatal(err)
		}
		b, err := store.OpenFile(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := b.Check(0)
		b.Close()
		if err != nil || !rep.OK() {
			t.Fatalf("backup %d: %v %q", i, err, rep.Problems)
		}
		if n := rep.Counts["records"]; n <= prev || n <= 50 {
			t.Errorf("backup %d holds %d records, the one before %d", i, n, prev)
		} else {
			prev = n
		}
	}
	close(stop)
	wg.Wait()
	if leftovers, _ := filepath.Glob(filepath.Join(out, ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestRestore keeps the replaced file aside and refuses while the data
// dir is held.
func TestRestore(t *testing.T) {
	src := populated(t, 20)
	backup := filepath.Join(t.TempDir(), "backup.db")
	db, err := store.Open(src, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	db.Close()

	target := populated(t, 3)
	held, err := store.Open(target, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 29, 10, 30, 0, 0, time.UTC)
	if _, err := store.Restore(target, backup, now); !errors.Is(err, store.ErrLocked) {
		t.Errorf("restore into a held data dir: %v, want ErrLocked", err)
	}
	held.Close()
	if names, _ := filepath.Glob(filepath.Join(target, "*")); len(names) != 1 {
		t.Errorf("a refused restore changed the data dir: %v", names)
	}

	res, err := store.Restore(target, backup, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(target, store.FileName+".before-restore-20261129T103000Z"); res.Aside != want {
		t.Errorf("aside = %q, want %q", res.Aside, want)
	}
	count := func(dir string, ro bool) int {
		db, err := store.OpenFile(dir, store.Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n := 0
		_ = db.View(func(tx *store.Tx) error { n = tx.CountRecords(); return nil })
		return n
	}
	if n := count(res.Path, false); n != 20 {
		t.Errorf("restored database holds %d records, want 20", n)
	}
	if n := count(res.Aside, true); n != 3 {
		t.Errorf("the file kept aside holds %d records, want the old 3", n)
	}
	if st, err := os.Stat(res.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("restored file mode: %v %v", st.Mode(), err)
	}
}

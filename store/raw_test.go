package store

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestRawRoundTripsInChunks(t *testing.T) {
	db, _ := openTest(t)
	sizes := []int{0, 1, rawChunk - 1, rawChunk, rawChunk + 1, 3*rawChunk + 17}
	want := map[string][]byte{}
	err := db.Update(func(tx *Tx) error {
		for i, n := range sizes {
			raw := bytes.Repeat([]byte{byte('a' + i)}, n)
			key := "MSG-2027-" + strconv.Itoa(i)
			want[key] = raw
			if err := tx.PutRaw(key, raw); err != nil {
				return err
			}
		}
		// A key that is a prefix of another must not read its chunks.
		want["MSG-2027-1"] = []byte("x")
		return tx.PutRaw("MSG-2027-1", []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		for key, w := range want {
			got, err := tx.Raw(key)
			if err != nil || !bytes.Equal(got, w) {
				t.Errorf("%s: %d bytes, %v; want %d bytes", key, len(got), err, len(w))
			}
		}
		if _, err := tx.Raw("MSG-2027-99"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing raw: err = %v", err)
		}
		return nil
	})
	// Replacing a raw message leaves none of its old chunks behind.
	if err := db.Update(func(tx *Tx) error { return tx.PutRaw("MSG-2027-5", []byte("short")) }); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if got, _ := tx.Raw("MSG-2027-5"); string(got) != "short" {
			t.Errorf("replaced raw = %d bytes", len(got))
		}
		return nil
	})
}

// A database of schema 1 kept each raw message as one value in "raw": it
// still reads after the upgrade, and the file says schema 2.
func TestRawOfSchema1StillReads(t *testing.T) {
	dir := t.TempDir()
	b, err := bolt.Open(dir+"/"+FileName, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := bytes.Repeat([]byte("schema one "), 100000)
	err = b.Update(func(tx *bolt.Tx) error {
		if err := migrations[0](tx); err != nil {
			return err
		}
		if err := tx.Bucket(bRaw).Put([]byte("LS-2026-0001"), old); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(keySchema, []byte("1"))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *Tx) error {
		if got, err := tx.Raw("LS-2026-0001"); err != nil || !bytes.Equal(got, old) {
			t.Errorf("schema-1 raw: %d bytes, %v", len(got), err)
		}
		if v := readSchema(tx.tx); v != 2 {
			t.Errorf("schema = %d after opening, want 2", v)
		}
		return nil
	})
	// Writing it again moves it to chunks.
	if err := db.Update(func(tx *Tx) error { return tx.PutRaw("LS-2026-0001", []byte("new")) }); err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *Tx) error {
		if got, _ := tx.Raw("LS-2026-0001"); string(got) != "new" || tx.b(bRaw).Get([]byte("LS-2026-0001")) != nil {
			t.Errorf("rewritten raw = %q, old value left: %v", got, tx.b(bRaw).Get([]byte("LS-2026-0001")) != nil)
		}
		return nil
	})
}

// Recording a large message in its own transaction must not re-read and
// re-write the messages recorded before it: bbolt rewrites every leaf a
// commit touches, values included, so one value per message made each
// commit copy up to three earlier messages through the heap.
func TestPutRawDoesNotRewriteEarlierMessages(t *testing.T) {
	db, _ := openTest(t)
	raw := bytes.Repeat([]byte("0123456789abcdef"), 8<<20/16)
	var ms runtime.MemStats
	for i := 0; i < 6; i++ {
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		if err := db.Update(func(tx *Tx) error { return tx.PutRaw("LS-2027-"+strconv.Itoa(i), raw) }); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&ms)
		if alloc := ms.TotalAlloc - before; i > 0 && alloc > uint64(len(raw))*3/2 {
			t.Fatalf("commit %d allocated %d MB for a %d MB message", i, alloc>>20, len(raw)>>20)
		}
	}
}

// Check counts raw messages once whatever their chunks, and finds a
// message missing a chunk in its middle.
func TestCheckSeesMissingChunks(t *testing.T) {
	db, dir := openTest(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutRaw("LS-2027-0001", bytes.Repeat([]byte("a"), 3*rawChunk)); err != nil {
			return err
		}
		return tx.PutRaw("LS-2027-0002", []byte("small"))
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func() *CheckReport {
		t.Helper()
		db.Close()
		ro, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ro.Check(0)
		ro.Close()
		if err != nil {
			t.Fatal(err)
		}
		db, err = Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := check(); !rep.OK() || rep.Counts["raw"] != 2 {
		t.Fatalf("healthy: problems %q, %d raw messages counted", rep.Problems, rep.Counts["raw"])
	}
	if err := db.Update(func(tx *Tx) error { return tx.b(bRawChunks).Delete(rawChunkKey("LS-2027-0001", 1)) }); err != nil {
		t.Fatal(err)
	}
	rep := check()
	defer db.Close()
	if got := strings.Join(rep.Problems, "\n"); !strings.Contains(got, "raw_chunks/LS-2027-0001: chunk 2 follows no chunk 1") {
		t.Errorf("problems = %q", got)
	}
}

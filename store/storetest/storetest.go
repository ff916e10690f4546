// Package storetest damages copies of liaisond databases the way disks and
// operators do, for tests of how the store and the commands report it.
package storetest

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Layout returns a database file's page size and its high water mark (the
// number of pages in use), as bbolt's meta page says.
func Layout(t testing.TB, path string) (pageSize, pages int64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("storetest: open %s: %v", path, err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		pageSize = int64(db.Info().PageSize)
		pages = tx.Size() / pageSize
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pageSize, pages
}

// Truncate cuts the file to half of the pages in use, as a full disk or an
// interrupted copy does. The meta pages stay intact.
func Truncate(t testing.TB, path string) {
	t.Helper()
	size, pages := Layout(t, path)
	if pages < 8 {
		t.Fatalf("storetest: %s has only %d pages; add data before truncating", path, pages)
	}
	if err := os.Truncate(path, size*(pages/2)); err != nil {
		t.Fatal(err)
	}
}

// Overwrite fills every third page after the meta pages, and the page of
// the root bucket (which every bucket is reached through), with random
// bytes (seeded, so a failure can be replayed), as a bad disk or a stray
// write does. The file keeps its size. Damaging the root page makes the
// damage reach every reader whatever the file's layout.
func Overwrite(t testing.TB, path string, seed uint64) {
	t.Helper()
	size, pages := Layout(t, path)
	root := rootPage(t, path, size)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	buf := make([]byte, size)
	for p := int64(2); p < pages; p++ {
		if (p-2)%3 != 0 && p != root {
			continue
		}
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		if _, err := f.WriteAt(buf, p*size); err != nil {
			t.Fatal(err)
		}
	}
}

// rootPage returns the page of the root bucket the newer of the two meta
// pages names (bbolt's layout: a 16-byte page header, then the meta whose
// root page id is at offset 16 and transaction id at offset 48).
func rootPage(t testing.TB, path string, size int64) int64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || int64(len(data)) < 2*size {
		t.Fatalf("storetest: read %s: %v", path, err)
	}
	var root, txid uint64
	for m := int64(0); m < 2; m++ {
		meta := data[m*size+16:]
		if tx := binary.LittleEndian.Uint64(meta[48:]); tx >= txid {
			txid, root = tx, binary.LittleEndian.Uint64(meta[16:])
		}
	}
	return int64(root)
}

// Copy copies the database file src to dst (a test damages the copy).
func Copy(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

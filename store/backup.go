package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ietf-tools/liaisond/internal/atomicfile"
)

// Backup writes a consistent copy of the database to w and returns its
// size: the pages of one read transaction (bbolt's Tx.WriteTo), read from
// the file, not the mapping. Writers go on meanwhile; the copy is the
// database as of the moment the transaction began. It takes an open DB, so
// a running daemon can serve it as well as a command that opened the data
// dir itself.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.view(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: back up %s: %w", db.path, err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path, atomically
// (package atomicfile): a failed backup leaves no partial file behind.
func (db *DB) BackupFile(path string) (int64, error) {
	var n int64
	err := atomicfile.Write(path, func(f *os.File) (err error) {
		n, err = db.Backup(f)
		return err
	}, nil)
	if err != nil {
		return 0, fmt.Errorf("store: back up to %s: %w", path, err)
	}
	return n, nil
}

// Restored says what Restore did.
type Restored struct {
	// Path is the database file now in place.
	Path string
	// Aside is where the file it replaced was kept ("" when there was
	// none).
	Aside string
}

// Restore puts the database file backup in place as dataDir's database.
// The caller checks the backup first (Check). The current file, if any, is
// kept aside as FileName.before-restore-TIMESTAMP, never deleted; it may
// be damaged (that is often why one restores), so it is locked without
// opening it as a database. Restore fails with ErrLocked while another
// process (a daemon) holds it.
func Restore(dataDir, backup string, now time.Time) (*Restored, error) {
	path := filepath.Join(dataDir, FileName)
	res := &Restored{Path: path}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("store: restore: %w", err)
	}
	cur, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("store: restore: %w", err)
	default:
		defer cur.Close()
		if err := lockExclusive(cur); err != nil {
			return nil, fmt.Errorf("store: restore into %s: %w (stop `liaisond run` first)", path, err)
		}
		defer unlock(cur)
		res.Aside = path + ".before-restore-" + now.UTC().Format("20060102T150405Z")
	}
	tmp, err := copyToTemp(backup, dataDir)
	if err != nil {
		return nil, fmt.Errorf("store: restore %s: %w", backup, err)
	}
	if res.Aside != "" {
		if err := os.Rename(path, res.Aside); err != nil {
			os.Remove(tmp)
			return nil, fmt.Errorf("store: restore: keep the current file aside: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("store: restore: put %s in place: %w", backup, err)
	}
	return res, atomicfile.SyncDir(dataDir)
}

// copyToTemp copies src into a synced temporary file in dir and returns
// its name.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "."+FileName+".restore-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(0o600)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

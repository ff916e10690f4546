// Package atomicfile writes a file so that readers see either the old file
// or the whole new one: into a temporary file beside it, synced, checked,
// renamed over it, and the rename made durable.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes the file at path with write, which gets the temporary
// file. When check is not nil, it gets the temporary file's path once it
// is written and synced, and an error from it keeps the old file. Whatever
// fails, no temporary file is left behind.
func Write(path string, write func(f *os.File) error, check func(tmp string) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after the rename there is nothing to remove
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && check != nil {
		err = check(f.Name())
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return SyncDir(filepath.Dir(path))
}

// SyncDir makes a rename in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

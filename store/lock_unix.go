//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// lockExclusive takes the lock bbolt takes on a database file (an
// exclusive flock), without waiting: ErrLocked when another process holds
// it.
func lockExclusive(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}

// unlock releases bbolt's flock on f. Closing f alone does not when the
// file is still memory-mapped: the mapping keeps the locked open file
// alive.
func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

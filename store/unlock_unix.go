//go:build unix

package store

import (
	"os"
	"syscall"
)

// unlock releases bbolt's flock on f. Closing f alone does not when the
// file is still memory-mapped: the mapping keeps the locked open file
// alive.
func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

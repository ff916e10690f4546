//go:build !unix

package store

import "os"

// lockExclusive does nothing where bbolt does not lock with flock.
func lockExclusive(*os.File) error { return nil }

// unlock does nothing where bbolt does not lock with flock.
func unlock(*os.File) {}

package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// A damaged database file is reported, never crashed on.
//
// bbolt trusts its file: overwritten pages make it panic on an assertion,
// and a file cut short makes a read of the memory-mapped file fault
// (SIGBUS), which kills the process. The store therefore
//
//   - reads the meta pages itself before opening, and refuses a file
//     shorter than the pages its meta page claims (truncation);
//   - runs every transaction (and the open itself) with faults turned into
//     panics (debug.SetPanicOnFault), and turns a panic that comes from
//     bbolt, or a fault at an address in the mapped file, into a
//     *DamageError. Any other panic (a bug in the caller's function) is
//     re-raised untouched;
//   - remembers the damage: once found, every later transaction returns the
//     same error without touching the file, and Damaged is closed, so that a
//     running daemon stops instead of writing into a damaged file.
//
// A panicking bbolt transaction is rolled back by bbolt itself (its View and
// Update roll back on panic), so nothing half-done is committed.

// ErrDamaged matches (errors.Is) every error that reports a damaged
// database file.
var ErrDamaged = errors.New("database file is damaged")

// DamageError says which database file is damaged and what was found.
type DamageError struct {
	// Path is the database file.
	Path string
	// Detail is what was found: a truncation, bbolt's assertion, a fault.
	Detail string
}

// Error names the file and the finding; the advice on what to do is
// Advice, which commands print after it.
func (e *DamageError) Error() string {
	return fmt.Sprintf("store: database file %s is damaged: %s", e.Path, e.Detail)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamageError) Is(target error) bool { return target == ErrDamaged }

// Advice is what an operator should do about a damaged database file.
const Advice = "stop liaisond and keep a copy of the damaged file; `liaisond check --db -c FILE` shows the extent; " +
	"then restore the latest backup (`liaisond restore -c FILE -i BACKUP`) or rebuild the database (README, \"Running in production\")"

// metaInfo is what a bbolt meta page says about the file.
type metaInfo struct {
	pageSize uint32
	hwm      uint64 // high water mark: pages in use, the file must hold them
	txid     uint64
}

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common): a 16-byte
// page header, then magic, version, page size, flags (4 bytes each), the
// root bucket (root page, sequence), the freelist page, the high water
// mark, the transaction id and an FNV-64a checksum of everything before it
// (8 bytes each), in the machine's byte order.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	metaOffset     = 16
	metaSumLen     = 56 // bytes of the meta covered by the checksum
	metaLen        = metaSumLen + 8
	minBoltPage    = 1024
	defaultPageLen = 4096
)

// parseMeta decodes and validates one meta page read from the file.
func parseMeta(b []byte) (metaInfo, bool) {
	if len(b) < metaOffset+metaLen {
		return metaInfo{}, false
	}
	m := b[metaOffset : metaOffset+metaLen]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:]) != boltMagic || ne.Uint32(m[4:]) != boltVersion {
		return metaInfo{}, false
	}
	h := fnv.New64a()
	h.Write(m[:metaSumLen])
	if h.Sum64() != ne.Uint64(m[metaSumLen:]) {
		return metaInfo{}, false
	}
	mi := metaInfo{pageSize: ne.Uint32(m[8:]), hwm: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}
	if mi.pageSize < minBoltPage || mi.pageSize&(mi.pageSize-1) != 0 {
		return metaInfo{}, false
	}
	return mi, true
}

// checkFile compares an existing database file's size with what its meta
// pages claim, before bbolt maps it: a file cut short would otherwise make
// the first read past its end kill the process. A missing or empty file
// (bbolt creates it) passes. It returns a *DamageError for a file that is
// not a database or is shorter than its pages.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: stat %s: %w", path, err)
	}
	size := st.Size()
	if size == 0 {
		return nil
	}
	first := make([]byte, defaultPageLen)
	n, err := io.ReadFull(f, first)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("store: read %s: %w", path, err)
	}
	m0, ok0 := parseMeta(first[:n])
	// The second meta page is one page further; its size is the first
	// page's claim, else the default.
	pageLen := int64(defaultPageLen)
	if ok0 {
		pageLen = int64(m0.pageSize)
	}
	second := make([]byte, metaOffset+metaLen)
	n, err = f.ReadAt(second, pageLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("store: read %s: %w", path, err)
	}
	m1, ok1 := parseMeta(second[:n])
	var m metaInfo
	switch {
	case ok0 && ok1:
		m = m0
		if m1.txid > m0.txid {
			m = m1
		}
	case ok0:
		m = m0
	case ok1:
		m = m1
	default:
		return &DamageError{Path: path, Detail: fmt.Sprintf("neither meta page is valid (%d bytes; not a liaisond database, or its first pages were overwritten)", size)}
	}
	if need := int64(m.hwm) * int64(m.pageSize); size < need {
		return &DamageError{Path: path, Detail: fmt.Sprintf("the file is %d bytes but its pages need %d (%d pages of %d bytes): it was truncated", size, need, m.hwm, m.pageSize)}
	}
	return nil
}

// guard runs fn with memory faults turned into panics and turns a panic
// that comes from a damaged file into a *DamageError (see the comment at
// the top of this file). Other panics are re-raised.
func guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			d := damageFromPanic(path, r)
			if d == nil {
				panic(r)
			}
			err = d
		}
	}()
	return fn()
}

// faultDetail starts the detail of damage found by a memory fault.
const faultDetail = "reading the file faulted"

// faultFloor separates a fault in the mapped file from a nil pointer
// dereference (which faults within the first page or so of address 0).
const faultFloor = 1 << 16

// damageFromPanic classifies a recovered panic value. It must be called
// from the deferred function that recovered it, so that the panicking
// frames are still on the stack.
func damageFromPanic(path string, r any) *DamageError {
	if re, ok := r.(interface{ Addr() uintptr }); ok && re.Addr() >= faultFloor {
		return &DamageError{Path: path, Detail: fmt.Sprintf("%s at address %#x (%v): the file is shorter than its pages, or unreadable", faultDetail, re.Addr(), r)}
	}
	if fn := panickingFunc(); strings.HasPrefix(fn, "go.etcd.io/bbolt.") || strings.HasPrefix(fn, "go.etcd.io/bbolt/") {
		return &DamageError{Path: path, Detail: fmt.Sprintf("bbolt: %v (in %s)", r, fn)}
	}
	return nil
}

// panickingFunc returns the function that raised the panic being handled:
// the first frame below runtime.gopanic that is not the runtime's own.
func panickingFunc() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			return f.Function
		}
		if !more {
			return ""
		}
	}
}
